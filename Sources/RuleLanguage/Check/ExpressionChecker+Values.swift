import BackupJobs

/// Values compared with fields whose values are known: an enumeration of the service model
/// (State), or a list AWS documents (ResourceType). A value written out that a closed list does not
/// hold can never match, so it is an error; values of a rule's scope that a job must match are
/// recorded for the evaluator, which looks for them in the data.
extension ExpressionChecker {
    /// What the schema knows of a field's values.
    struct KnownValues {
        var values: [String]
        var isClosed: Bool
        /// The enumeration's name (BackupJobState); `nil` for a documented list.
        var enumeration: String?
        /// "resource types AWS Backup supports"
        var description: String
    }

    static func knownValues(of field: FieldRef) -> KnownValues? {
        guard case .stored(let stored) = field else { return nil }
        let descriptor = stored.descriptor
        if case .enumeration(let name, let values) = descriptor.type {
            return KnownValues(values: values, isClosed: true, enumeration: name, description: "\(name) values")
        }
        return descriptor.documentedValues.map {
            KnownValues(values: $0.values, isClosed: $0.isClosed, enumeration: nil, description: $0.description)
        }
    }

    /// The field a value reads directly, when the field holds text: `ResourceType`,
    /// `latest(jobs).State`, `BackupOptions.WindowsVSS`, `Region`.
    static func textField(_ typed: Typed) -> FieldRef? {
        let field: FieldRef
        switch typed.lowered {
        case .value(.field(let read)), .value(.pickedJobField(_, let read)): field = read
        default: return nil
        }
        switch field {
        case .stored(let stored):
            switch stored.descriptor.type {
            case .string, .enumeration: return field
            default: return nil
            }
        case .backupOption, .arnPart: return field
        case .derived(let derived): return derived.type == .string ? field : nil
        // JSON of any type: the data decides what it holds.
        case .additional: return nil
        }
    }

    /// `field == VALUE` or `VALUE == field` (also `!=`): checks a value written beside a field.
    mutating func checkComparedValue(
        _ op: ComparisonOperator, _ l: Typed, _ left: Expr, _ r: Typed, _ right: Expr, of kind: RecordKind, ignoringCase: Bool
    ) -> Bool {
        guard op == .equal || op == .notEqual else { return true }
        for (fieldSide, valueSide, valueExpr) in [(l, r, right), (r, l, left)] {
            guard let field = Self.textField(fieldSide), case .value(.constant(.string(let value))) = valueSide.lowered else { continue }
            return checkValue(value, written: valueExpr, at: valueSide.range, against: field, of: kind, ignoringCase: ignoringCase,
                              mustMatch: op == .equal)
        }
        return true
    }

    /// `field in [...]` (also `not in`): checks each value written in the list.
    mutating func checkListedValues(
        _ values: [Constant], of list: Expr, against typed: Typed, in kind: RecordKind, ignoringCase: Bool, negated: Bool
    ) -> Bool {
        guard let field = Self.textField(typed) else { return true }
        // One constant per element of a list written out; a parameter gives the whole list.
        let elements: [Expr] = if case .list(let written) = Self.unparenthesized(list).kind, written.count == values.count {
            written
        } else {
            Array(repeating: list, count: values.count)
        }
        var valid = true
        for (value, element) in zip(values, elements) {
            guard case .string(let text) = value else { continue }
            valid = checkValue(text, written: element, at: element.range, against: field, of: kind, ignoringCase: ignoringCase, mustMatch: !negated)
                && valid
        }
        return valid
    }

    /// Holds a value against the field's known values when it is written out (not a parameter:
    /// a parameter is how a rule gives a value AWS added after the schema), and records it when
    /// it chooses the scope. Returns false after an error.
    private mutating func checkValue(
        _ value: String, written expr: Expr, at range: SourceRange, against field: FieldRef, of kind: RecordKind, ignoringCase: Bool, mustMatch: Bool
    ) -> Bool {
        let known = Self.knownValues(of: field)
        let listed = known.map { known in
            known.values.contains(value) || (ignoringCase && known.values.contains { $0.lowercased() == value.lowercased() })
        } ?? false
        if let known, !listed, case .string = Self.unparenthesized(expr).kind {
            let suggestion = Suggestions.closest(to: value, among: known.values)
            let didYouMean = suggestion.map { [Diagnostic.Note("did you mean '\($0)'?")] } ?? []
            let parameter = Self.parameterName(for: field)
            if known.isClosed {
                // AWS adds values; the schema's list can lag. Say how to go on without waiting for it.
                let escape = Diagnostic.Note(
                    "the list is backup-audit's job schema (docs/schema.md); a value AWS added since can be given through a parameter, "
                        + "which is not held against the list (param \(parameter) = \(Self.quoted(value))), or matched as text "
                        + "(\(field.path) like \(Self.exactGlob(value)))")
                if let name = known.enumeration {
                    report(.unknownEnumValue, "'\(value)' is not a \(name) value", at: range,
                           notes: didYouMean + [.init("\(name) values: \(known.values.joined(separator: ", "))"), escape])
                } else {
                    report(.unknownValue, "'\(value)' is not one of the \(known.description)", at: range,
                           notes: didYouMean + [.init("\(field.path) values: \(known.values.joined(separator: ", "))"), escape])
                }
                return false
            }
            if suggestion != nil {
                report(.unlistedValue, "'\(value)' is not one of the \(known.description)", at: range,
                       notes: didYouMean + [.init("if '\(value)' is right, give it through a parameter: param \(parameter) = \(Self.quoted(value))")])
            }
        }
        // A listed value of a closed list is valid: finding it in no job is news about the data
        // (the rule's result tells it), not a mistake in the rule.
        if recordsLiterals && mustMatch && negations % 2 == 0 && !(listed && known?.isClosed == true) {
            let position = source.position(of: range.start)
            literals.append(LiteralComparison(
                kind: kind, field: field, value: value, ignoringCase: ignoringCase,
                location: SourceLocation(file: source.name, range: range, line: position.line, column: position.column)))
        }
        return true
    }

    /// Text as a rule writes it between quotes.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\\" || character == "\"" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }

    /// A glob matching exactly `text`, between quotes.
    static func exactGlob(_ text: String) -> String {
        var glob = ""
        for character in text {
            if "\\*?".contains(character) { glob.append("\\") }
            glob.append(character)
        }
        return quoted(glob)
    }

    /// `ResourceType` → `resource_type`: a parameter name for the escape note.
    static func parameterName(for field: FieldRef) -> String {
        var name = ""
        for character in field.path.split(separator: ".").last.map(String.init) ?? field.path {
            if character.isUppercase, !name.isEmpty, name.last != "_" { name.append("_") }
            name += character.lowercased()
        }
        return name
    }
}
