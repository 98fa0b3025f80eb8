import BackupJobs

/// What an expression turned into: a value, a condition, or something only some places accept.
enum Lowered {
    case value(Operand)
    case condition(Condition)
    /// A bare name that is no field or parameter: an enumeration value, if the other side of a
    /// comparison is an enumeration; otherwise an unknown name (of records of the kind).
    case enumName(String, RecordKind)
    case structure(StoredField)
    case jobs(RecordSelection)
    case job(JobPick)
}

struct Typed {
    var lowered: Lowered
    var type: ValueType
    var range: SourceRange
}

/// Where an expression is evaluated.
enum EvaluationContext: Equatable {
    /// Fields are the record's, of this kind.
    case job(RecordKind)
    /// Fields must describe the group; aggregates are over its records.
    case group(GroupKey)
}

/// Checks expressions against the environment's schemas and lowers them for the evaluator.
/// Reports problems into `diagnostics` and returns `nil` for an expression it could not type.
struct ExpressionChecker {
    let source: SourceFile
    let environment: RuleEnvironment
    /// Parameters by name, as constants.
    let parameters: [String: Constant]
    var usedParameters: Set<String> = []
    var diagnostics: [Diagnostic] = []
    /// Whether what is being checked chooses the subjects judged (an `every` rule's `where`, a
    /// query's): there, values a job must match are recorded in `literals`.
    var recordsLiterals = false
    /// Values of the scope that a job must match (`ExpressionChecker+Values`).
    var literals: [LiteralComparison] = []
    /// How many `not`s enclose what is being checked: under an odd number, `==` excludes.
    var negations = 0

    init(source: SourceFile, parameters: [String: Constant], environment: RuleEnvironment) {
        self.source = source
        self.parameters = parameters
        self.environment = environment
    }

    /// The kind of the records whose fields an expression in `context` reads: groups are formed
    /// from the environment's group kind.
    func kind(of context: EvaluationContext) -> RecordKind {
        switch context {
        case .job(let kind): kind
        case .group: environment.groupKind
        }
    }

    /// The context of a condition on records of `kind` (`has copy job where ...`).
    static func records(_ kind: RecordKind) -> EvaluationContext { .job(kind) }

    mutating func report(_ code: DiagnosticCode, _ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(code, message, file: source.name, at: range, notes: notes))
    }

    // MARK: Conditions and values

    /// Checks an expression that must be true or false. Each condition that is not itself an
    /// `and` or `or` keeps its text, for explanations.
    mutating func condition(_ expr: Expr, in context: EvaluationContext) -> Condition? {
        guard let typed = check(expr, in: context), let condition = asCondition(typed) else { return nil }
        let plain = Self.unparenthesized(expr)
        switch (plain.kind, condition) {
        case (.binary(.and, _, _), _), (.binary(.or, _, _), _), (_, .clause): return condition
        default: return .clause(Formatter.format(plain), condition)
        }
    }

    static func unparenthesized(_ expr: Expr) -> Expr {
        if case .parenthesized(let inner) = expr.kind { return unparenthesized(inner) }
        return expr
    }

    mutating func asCondition(_ typed: Typed) -> Condition? {
        switch typed.lowered {
        case .condition(let condition): return condition
        case .value(.constant(.boolean(let flag))): return .constant(flag)
        case .value(let operand) where typed.type == .boolean: return .isTrue(operand)
        case .enumName(let name, let nameKind):
            reportUnknownName(name, at: typed.range, kind: nameKind)
            return nil
        default:
            report(.notACondition, "expected a condition (true or false), found \(typed.type.withArticle)", at: typed.range)
            return nil
        }
    }

    /// Checks an expression that must give a value (not a condition, set of jobs or structure).
    mutating func operand(_ typed: Typed) -> Operand? {
        switch typed.lowered {
        case .value(let operand): return operand
        case .condition:
            report(.mismatch, "a condition cannot be used as a value here; compare the fields themselves", at: typed.range)
            return nil
        case .enumName(let name, let nameKind):
            reportUnknownName(name, at: typed.range, kind: nameKind)
            return nil
        case .structure(let field):
            report(.mismatch, "\(field.path) is a structure; name one of its members, like \(Self.firstMember(of: field))",
                   at: typed.range)
            return nil
        case .jobs:
            report(.wrongArguments, "a set of jobs can only be given to count, share, ratio, latest, earliest, min, max, sum, avg, median or distinct",
                   at: typed.range)
            return nil
        case .job:
            report(.mismatch, "latest(...) and earliest(...) give a job; name one of its fields, like latest(jobs).State", at: typed.range)
            return nil
        }
    }

    static func firstMember(of structure: StoredField) -> String {
        structure.kind.schema.members(of: structure.index).first?.path ?? structure.path
    }

    mutating func check(_ expr: Expr, in context: EvaluationContext) -> Typed? {
        let range = expr.range
        func value(_ operand: Operand, _ type: ValueType) -> Typed { Typed(lowered: .value(operand), type: type, range: range) }
        func constant(_ c: Constant) -> Typed { value(.constant(c), c.type) }
        switch expr.kind {
        case .string(let text): return constant(.string(text))
        case .number(let text):
            // Digits too many for a Double read as infinity: out of range, like 99999999999999w.
            guard let value = Double(text), value.isFinite else {
                report(.outOfRange, "the number \(text) is out of range: \(ValueType.number.rangeDescription)", at: range)
                return nil
            }
            return constant(.number(value))
        case .duration(let milliseconds, _): return constant(.duration(milliseconds))
        case .size(let bytes, _): return constant(.size(bytes))
        case .percent(let fraction, let written):
            guard fraction.isFinite else {
                report(.outOfRange, "the percentage \(written) is out of range: \(ValueType.percent.rangeDescription)", at: range)
                return nil
            }
            return constant(.percent(fraction))
        case .timestamp(let timestamp, _): return constant(.timestamp(timestamp))
        case .boolean(let flag): return constant(.boolean(flag))
        case .list(let elements): return checkList(elements, range: range, in: context, elementType: nil)
        case .parenthesized(let inner): return check(inner, in: context).map { Typed(lowered: $0.lowered, type: $0.type, range: range) }
        case .name(let name): return checkName(name, range: range, in: context)
        case .member: return checkPath(expr, in: context)
        case .call(let name, let arguments): return checkCall(name, arguments, range: range, in: context)
        case .jobs:
            report(.wrongArguments, "'jobs' is a set of jobs; it can only be given to count, share, ratio, latest, earliest, min, max, sum, avg, median or distinct",
                   at: range)
            return nil
        case .not(let inner):
            negations += 1
            defer { negations -= 1 }
            guard let c = condition(inner, in: context) else { return nil }
            return Typed(lowered: .condition(.not(c)), type: .boolean, range: range)
        case .negate(let inner):
            guard let typed = check(inner, in: context), let operand = operand(typed) else { return nil }
            guard [.number, .duration, .size, .percent].contains(typed.type) else {
                report(.mismatch, "'-' needs a number, duration, size or percentage, found \(typed.type.withArticle)", at: range)
                return nil
            }
            let written = Formatter.format(expr)
            if case .constant(let c) = operand {
                guard let negated = Self.negated(c) else {
                    report(.outOfRange, "\(written) is out of range: \(typed.type.rangeDescription)", at: range)
                    return nil
                }
                return constant(negated)
            }
            return value(.negate(operand, source: written), typed.type)
        case .binary(.and, let left, let right), .binary(.or, let left, let right):
            let isAnd: Bool = if case .binary(.and, _, _) = expr.kind { true } else { false }
            let l = condition(left, in: context), r = condition(right, in: context)
            guard let l, let r else { return nil }
            let combined: Condition = isAnd ? .and(Self.flatten(l, and: true) + Self.flatten(r, and: true))
                : .or(Self.flatten(l, and: false) + Self.flatten(r, and: false))
            return Typed(lowered: .condition(combined), type: .boolean, range: range)
        case .binary(let op, let left, let right) where op.isComparison:
            return checkComparison(op, left, right, range: range, in: context)
        case .binary(let op, let left, let right):
            return checkArithmetic(op, left, right, range: range, in: context)
        case .match(let op, let left, let right, let ignoringCase):
            return checkMatch(op, left, right, ignoringCase: ignoringCase, range: range, in: context)
        case .presence(let inner, let exists):
            guard let typed = check(inner, in: context) else { return nil }
            let operand: Operand?
            if case .structure(let field) = typed.lowered {
                operand = .field(.stored(field))
            } else {
                operand = self.operand(typed)
            }
            guard let operand else { return nil }
            return Typed(lowered: .condition(.presence(operand, exists: exists)), type: .boolean, range: range)
        case .window(let op, let left, let right):
            return checkWindow(op, left, right, range: range, in: context)
        }
    }

    static func flatten(_ condition: Condition, and: Bool) -> [Condition] {
        switch (condition, and) {
        case (.and(let parts), true), (.or(let parts), false): parts
        default: [condition]
        }
    }

    /// `-constant`; nil when it overflows (`-(0s - 9223372036854775807ms - 1ms)`).
    static func negated(_ constant: Constant) -> Constant? {
        guard let amount = constant.amount else { return constant }
        guard case .value(let negated) = CheckedArithmetic.negate(amount) else { return nil }
        return Constant(negated, as: constant.type)
    }

    // MARK: Names and fields

    /// A field, checked for the context: in a group, only fields that describe the group.
    mutating func field(_ field: FieldRef, type: ValueType, range: SourceRange, in context: EvaluationContext) -> Typed? {
        if case .group(let key) = context, !environment.attributes(of: key).contains(field) {
            let allowed = environment.attributes(of: key).map(\.path).joined(separator: ", ")
            report(.notAGroupAttribute,
                   "\(field.path) differs from job to job, so it does not describe \(withArticle(key.displayName))",
                   at: range,
                   notes: [
                       .init("\(withArticle(key.displayName)) condition can use \(allowed), and aggregates of its jobs"),
                       .init("to test its jobs, write 'has job where \(field.path) ...' or use latest(jobs).\(field.path)"),
                   ])
            return nil
        }
        return Typed(lowered: .value(.field(field)), type: type, range: range)
    }

    /// A name that is a field (stored or derived) of records of `kind`.
    func isField(_ name: String, of kind: RecordKind) -> Bool {
        environment.schema(kind).descriptor(path: name) != nil || DerivedField(rawValue: name).map { environment.has($0, kind) } == true
    }

    mutating func checkName(_ name: String, range: SourceRange, in context: EvaluationContext) -> Typed? {
        if name == "now" { return Typed(lowered: .value(.now), type: .timestamp, range: range) }
        if let constant = parameters[name] {
            usedParameters.insert(name)
            return Typed(lowered: .value(.constant(constant)), type: constant.type, range: range)
        }
        let kind = kind(of: context)
        if let derived = DerivedField(rawValue: name), environment.has(derived, kind) {
            return field(.derived(derived), type: derived.type, range: range, in: context)
        }
        if let index = environment.schema(kind).index(path: name) {
            let stored = StoredField(kind, index)
            if case .structure = stored.descriptor.type { return Typed(lowered: .structure(stored), type: .structure(stored), range: range) }
            return field(.stored(stored), type: .of(stored), range: range, in: context)
        }
        if DerivedField(rawValue: name) != nil || isFieldOfAnotherKind(name, than: kind) {
            reportUnknownName(name, at: range, kind: kind)
            return nil
        }
        return Typed(lowered: .enumName(name, kind), type: .string, range: range)
    }

    func isFieldOfAnotherKind(_ name: String, than kind: RecordKind) -> Bool {
        environment.kinds.contains { $0.kind != kind && isField(name, of: $0.kind) }
    }

    /// `unknown field 'X'` (of copy jobs), with the nearest names and the kinds that have it.
    mutating func reportUnknownName(_ name: String, at range: SourceRange, kind: RecordKind? = nil) {
        let kind = kind ?? environment.groupKind
        let schema = environment.schema(kind)
        let candidates = schema.fields.map(\.path) + environment[kind].derived.map(\.rawValue) + parameters.keys.sorted()
            + schema.states.values
        var notes = Suggestions.note(for: name, among: candidates)
        let others = environment.kinds.filter { $0.kind != kind && isField(name, of: $0.kind) }
        if !others.isEmpty {
            let subjects = others.map { "'\($0.word) job'" }.joined(separator: " or ")
            notes.append(.init("\(name) is a field of \(others.map(\.kind.pluralNoun).joined(separator: " and ")): test those with \(subjects) (has \(others[0].word) job where \(name) ...)"))
        }
        if name.first?.isLowercase == true && notes.isEmpty {
            notes.append(.init("parameters are declared with 'param \(name) = VALUE'"))
        }
        let of = kind == environment.groupKind ? "" : " of \(kind.pluralNoun)"
        report(.unknownField, "unknown field '\(name)'\(of)", at: range, notes: notes)
    }

    /// `CreatedBy.BackupPlanId`, `BackupOptions.WindowsVSS`, `DestinationBackupVaultArn.Region`,
    /// `latest(jobs).State`.
    mutating func checkPath(_ expr: Expr, in context: EvaluationContext) -> Typed? {
        var members: [Name] = []
        var base = expr
        while case .member(let inner, let member) = base.kind {
            members.insert(member, at: 0)
            base = inner
        }
        var pick: JobPick?
        var prefix: String
        var kind = kind(of: context)
        switch base.kind {
        case .name(let name) where parameters[name] == nil && isField(name, of: kind):
            prefix = name
        case .call:
            guard let typed = check(base, in: context) else { return nil }
            guard case .job(let picked) = typed.lowered else {
                report(.mismatch, "\(typed.type.withArticle) has no fields", at: members[0].range)
                return nil
            }
            pick = picked
            kind = picked.records.kind
            let first = members.removeFirst()
            prefix = first.text
            // The picked record's field must exist (fuzzing found `latest(jobs).X` unchecked).
            guard isField(prefix, of: kind) else {
                reportUnknownName(prefix, at: first.range, kind: kind)
                return nil
            }
            if members.isEmpty {
                // `latest(copy jobs).State`: read in the picked record's context.
                return checkPickedName(prefix, pick: picked, range: expr.range, in: context)
            }
        case .name(let name):
            reportUnknownName(name, at: base.range, kind: kind)
            return nil
        default:
            report(.mismatch, "only fields have members", at: members[0].range)
            return nil
        }
        let schema = environment.schema(kind)
        // BackupOptions.KEY: the rest is the map key.
        if prefix == "BackupOptions", kind == .backupJob {
            guard let key = members.first else { return nil }
            let fieldRef = FieldRef.backupOption(members.map(\.text).joined(separator: "."))
            return picked(pick, fieldRef, .string, range: expr.range, keyRange: key.range, in: context)
        }
        var path = prefix
        for (position, member) in members.enumerated() {
            let extended = path + "." + member.text
            // `DestinationBackupVaultArn.Region`: a part of an ARN field.
            if position == members.count - 1, let part = ARNPart(rawValue: member.text), let index = schema.index(path: path),
               Self.isARN(schema[index]) {
                return picked(pick, .arnPart(StoredField(kind, index), part), .string, range: expr.range, keyRange: expr.range, in: context)
            }
            guard schema.descriptor(path: extended) != nil else {
                let children = schema.fields.map(\.path).filter { $0.hasPrefix(path + ".") }
                var notes = Spelling.closest(to: extended, among: children, limit: 1).first.map { [Diagnostic.Note("did you mean '\($0)'?")] }
                    ?? (children.isEmpty ? [] : [Diagnostic.Note("\(path) has \(children.map { String($0.dropFirst(path.count + 1)) }.joined(separator: ", "))")])
                if children.isEmpty, let index = schema.index(path: path), Self.isARN(schema[index]) {
                    notes.append(.init("an ARN field has the members \(ARNPart.allCases.map(\.rawValue).joined(separator: " and ")) (\(path).Region)"))
                }
                let of = kind == environment.groupKind ? "" : " of \(kind.pluralNoun)"
                report(.unknownField, "unknown field '\(extended)'\(of)", at: member.range, notes: notes)
                return nil
            }
            path = extended
        }
        if let derived = DerivedField(rawValue: path), environment.has(derived, kind) {
            return picked(pick, .derived(derived), derived.type, range: expr.range, keyRange: expr.range, in: context)
        }
        let stored = StoredField(kind, schema.index(path: path)!)
        if case .structure = stored.descriptor.type {
            if pick == nil { return Typed(lowered: .structure(stored), type: .structure(stored), range: expr.range) }
            report(.mismatch, "\(path) is a structure; name one of its members, like \(Self.firstMember(of: stored))", at: expr.range)
            return nil
        }
        return picked(pick, .stored(stored), .of(stored), range: expr.range, keyRange: expr.range, in: context)
    }

    /// An ARN field (the model's shape names it so): `.Region` and `.Account` read its parts.
    static func isARN(_ descriptor: FieldDescriptor) -> Bool {
        descriptor.type == .string && (descriptor.shape == "ARN" || descriptor.shape == "IAMRoleArn" || descriptor.path.hasSuffix("Arn"))
    }

    /// `latest(copy jobs).State`: one field of the picked record.
    private mutating func checkPickedName(_ name: String, pick: JobPick, range: SourceRange, in context: EvaluationContext) -> Typed? {
        let kind = pick.records.kind
        if let derived = DerivedField(rawValue: name), environment.has(derived, kind) {
            return picked(pick, .derived(derived), derived.type, range: range, keyRange: range, in: context)
        }
        let stored = StoredField(kind, environment.schema(kind).index(path: name)!)
        if case .structure = stored.descriptor.type {
            report(.mismatch, "\(name) is a structure; name one of its members, like \(Self.firstMember(of: stored))", at: range)
            return nil
        }
        return picked(pick, .stored(stored), .of(stored), range: range, keyRange: range, in: context)
    }

    private mutating func picked(
        _ pick: JobPick?, _ field: FieldRef, _ type: ValueType, range: SourceRange, keyRange: SourceRange, in context: EvaluationContext
    ) -> Typed? {
        guard let pick else { return self.field(field, type: type, range: range, in: context) }
        return Typed(lowered: .value(.pickedJobField(pick, field)), type: type, range: range)
    }

    // MARK: Lists

    mutating func checkList(_ elements: [Expr], range: SourceRange, in context: EvaluationContext, elementType: ValueType?) -> Typed? {
        var constants: [Constant] = []
        var type: ValueType?
        for element in elements {
            if case .enumeration(let name, let values) = elementType, case .name(let word) = element.kind, parameters[word] == nil {
                guard values.contains(word) else {
                    report(.unknownEnumValue, "'\(word)' is not a \(name) value", at: element.range,
                           notes: Suggestions.note(for: word, among: values) + [.init("\(name) values: \(values.joined(separator: ", "))")])
                    return nil
                }
                constants.append(.string(word))
                continue
            }
            guard let typed = check(element, in: context) else { return nil }
            guard case .value(.constant(let constant)) = typed.lowered else {
                if case .enumName(let word, let nameKind) = typed.lowered {
                    reportUnknownName(word, at: element.range, kind: nameKind)
                } else {
                    report(.mismatch, "list elements must be values written out (or parameters), not computed", at: element.range)
                }
                return nil
            }
            if let type, !type.isComparable(with: constant.type) {
                report(.mismatch, "a list mixes \(type) and \(constant.type)", at: element.range)
                return nil
            }
            type = type ?? constant.type
            constants.append(constant)
        }
        return Typed(lowered: .value(.constant(.list(constants))), type: .list(type ?? elementType ?? .string), range: range)
    }
}
