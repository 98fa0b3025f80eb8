import BackupJobs

/// Comparisons, arithmetic, text tests, time windows and functions.
extension ExpressionChecker {
    // MARK: Comparisons

    mutating func checkComparison(
        _ op: BinaryOperator, _ left: Expr, _ right: Expr, range: SourceRange, in context: EvaluationContext, ignoringCase: Bool = false
    ) -> Typed? {
        let l = check(left, in: context), r = check(right, in: context)
        guard var l, var r else { return nil }
        // `State == COMPLETED`: a bare name beside an enumeration is one of its values.
        guard resolveEnumName(&l, against: r.type), resolveEnumName(&r, against: l.type) else { return nil }
        let comparison = ComparisonOperator(rawValue: op.rawValue)!
        // `State == "COMPLETE"`, `ResourceType == "rds"`: a value the field never takes.
        guard checkComparedValue(comparison, l, left, r, right, of: kind(of: context), ignoringCase: ignoringCase) else { return nil }
        guard let lo = operand(l), let ro = operand(r) else { return nil }
        guard l.type.isComparable(with: r.type) else {
            var notes: [Diagnostic.Note] = []
            for (a, b) in [(l, r), (r, l)] where a.type == .timestamp {
                if case .value(.constant(.string(let text))) = b.lowered, Timestamp(written: text) != nil {
                    notes.append(.init("write dates and timestamps without quotes: \(text)", at: b.range))
                }
            }
            report(.mismatch, "cannot compare \(l.type.withArticle) with \(r.type.withArticle)", at: range, notes: notes)
            return nil
        }
        if comparison != .equal && comparison != .notEqual && !(l.type.isOrdered && r.type.isOrdered) {
            report(.mismatch, "'\(op.rawValue)' orders values; \((l.type.isOrdered ? r.type : l.type).withArticle) has no order", at: range)
            return nil
        }
        return Typed(lowered: .condition(.compare(comparison, lo, ro)), type: .boolean, range: range)
    }

    /// Turns a bare name into an enumeration value when the other side is an enumeration.
    mutating func resolveEnumName(_ typed: inout Typed, against other: ValueType) -> Bool {
        guard case .enumName(let word, let nameKind) = typed.lowered else { return true }
        guard case .enumeration(let name, let values) = other else {
            reportUnknownName(word, at: typed.range, kind: nameKind)
            return false
        }
        guard values.contains(word) else {
            report(.unknownEnumValue, "'\(word)' is not a \(name) value", at: typed.range,
                   notes: Suggestions.note(for: word, among: values) + [.init("\(name) values: \(values.joined(separator: ", "))")])
            return false
        }
        typed = Typed(lowered: .value(.constant(.string(word))), type: other, range: typed.range)
        return true
    }

    // MARK: Arithmetic

    mutating func checkArithmetic(_ op: BinaryOperator, _ left: Expr, _ right: Expr, range: SourceRange, in context: EvaluationContext) -> Typed? {
        let l = check(left, in: context), r = check(right, in: context)
        guard let l, let r, let lo = operand(l), let ro = operand(r) else { return nil }
        let arithmetic = ArithmeticOperator(rawValue: op.rawValue)!
        guard let result = Self.arithmeticResult(arithmetic, l.type, r.type) else {
            report(.mismatch, "cannot compute \(l.type) \(op.rawValue) \(r.type)", at: range,
                   notes: [.init("times take durations (now - 24h); sizes, durations and numbers combine with their own kind")])
            return nil
        }
        let written = Formatter.format(Expr(.binary(op, left, right), range))
        if case .constant(let a) = lo, case .constant(let b) = ro {
            switch Self.fold(arithmetic, a, b, result: result) {
            case .constant(let folded):
                return Typed(lowered: .value(.constant(folded)), type: result, range: range)
            case .overflow:
                report(.outOfRange, "\(written) is out of range: \(result.rangeDescription)", at: range)
                return nil
            case .undefined:
                break  // a division by zero: missing when evaluated, as documented
            }
        }
        return Typed(lowered: .value(.arithmetic(arithmetic, lo, ro, result: result, source: written)), type: result, range: range)
    }

    static func arithmeticResult(_ op: ArithmeticOperator, _ l: ValueType, _ r: ValueType) -> ValueType? {
        switch (op, l, r) {
        case (.plus, .timestamp, .duration), (.plus, .duration, .timestamp), (.minus, .timestamp, .duration): .timestamp
        case (.minus, .timestamp, .timestamp): .duration
        case (.plus, .duration, .duration), (.minus, .duration, .duration): .duration
        case (.plus, .number, .number), (.minus, .number, .number), (.times, .number, .number), (.divided, .number, .number): .number
        case (.plus, .size, .size), (.minus, .size, .size): .size
        case (.plus, .percent, .percent), (.minus, .percent, .percent): .percent
        case (.times, .duration, .number), (.times, .number, .duration), (.divided, .duration, .number): .duration
        case (.times, .size, .number), (.times, .number, .size), (.divided, .size, .number): .size
        case (.times, .percent, .number), (.times, .number, .percent), (.divided, .percent, .number): .percent
        case (.divided, .duration, .duration), (.divided, .size, .size): .number
        default: nil
        }
    }

    enum Folded {
        case constant(Constant)
        /// Beyond the range of the result's kind: a checker error.
        case overflow
        /// A division by zero, left for evaluation (where it is missing).
        case undefined
    }

    /// Folds arithmetic on constants (`2 * rpo`, `2027-01-01 + 7d`) with the evaluator's
    /// arithmetic, so a constant expression means what it would mean computed.
    static func fold(_ op: ArithmeticOperator, _ a: Constant, _ b: Constant, result: ValueType) -> Folded {
        guard let x = a.amount, let y = b.amount else { return .undefined }
        switch CheckedArithmetic.apply(op, x, y, result: result) {
        case .value(let amount): return Constant(amount, as: result).map(Folded.constant) ?? .undefined
        case .overflow: return .overflow
        case .undefined: return .undefined
        }
    }

    // MARK: Text tests and membership

    mutating func checkMatch(
        _ op: MatchOperator, _ left: Expr, _ right: Expr, ignoringCase: Bool, range: SourceRange, in context: EvaluationContext
    ) -> Typed? {
        if op == .equal || op == .notEqual {
            // `X == "a" ignoring case`: membership in a one-value list, without case.
            // Without a comparison, the reason is already reported.
            guard let typed = checkComparison(op == .equal ? .equal : .notEqual, left, right, range: range, in: context, ignoringCase: true)
            else { return nil }
            guard case .condition(.compare(_, let lo, .constant(let value))) = typed.lowered else {
                report(.mismatch, "'ignoring case' compares with text written out", at: right.range)
                return nil
            }
            guard value.type.isText || value.type == .string else {
                report(.mismatch, "'ignoring case' applies to text, not \(value.type.withArticle)", at: range)
                return nil
            }
            return Typed(lowered: .condition(.text(.oneOf([value], negated: op == .notEqual), lo, ignoringCase: true)), type: .boolean, range: range)
        }
        guard let l = check(left, in: context), let lo = operand(l) else { return nil }
        if op == .in || op == .notIn {
            let listTyped: Typed?
            if case .list(let elements) = right.kind {
                listTyped = checkList(elements, range: right.range, in: context, elementType: l.type)
            } else {
                listTyped = check(right, in: context)
            }
            guard let listTyped else { return nil }
            guard case .value(.constant(.list(let values))) = listTyped.lowered else {
                report(.mismatch, "'\(op.rawValue)' needs a list, like [\"RDS\", \"Aurora\"]; found \(listTyped.type.withArticle)", at: right.range)
                return nil
            }
            for value in values where !l.type.isComparable(with: value.type) {
                report(.mismatch, "cannot compare \(l.type.withArticle) with \(value.type.withArticle) in the list", at: right.range)
                return nil
            }
            guard checkListedValues(values, of: right, against: l, in: kind(of: context), ignoringCase: ignoringCase, negated: op == .notIn) else { return nil }
            if ignoringCase && !l.type.isText {
                report(.mismatch, "'ignoring case' applies to text, not \(l.type.withArticle)", at: range)
                return nil
            }
            return Typed(lowered: .condition(.text(.oneOf(values, negated: op == .notIn), lo, ignoringCase: ignoringCase)), type: .boolean, range: range)
        }
        guard l.type.isText else {
            report(.mismatch, "'\(op.rawValue)' needs text on its left, found \(l.type.withArticle)", at: left.range)
            return nil
        }
        guard let r = check(right, in: context) else { return nil }
        guard case .value(.constant(.string(let pattern))) = r.lowered else {
            report(.mismatch, "'\(op.rawValue)' needs text written out (or a text parameter) on its right, found \(r.type.withArticle)", at: right.range)
            return nil
        }
        let test: TextTest
        switch op {
        case .contains: test = .contains(pattern)
        case .startsWith: test = .startsWith(pattern)
        case .endsWith: test = .endsWith(pattern)
        default:
            guard let compiled = patternTest(op, pattern, ignoringCase: ignoringCase, written: right) else { return nil }
            test = compiled
        }
        return Typed(lowered: .condition(.text(test, lo, ignoringCase: ignoringCase)), type: .boolean, range: range)
    }

    // MARK: Time windows

    /// The longest window ListBackupJobs can fill: it keeps 30 days of jobs.
    static let retention: Int64 = 30 * DurationUnit.day.milliseconds

    mutating func checkWindow(_ op: WindowOperator, _ left: Expr, _ right: Expr, range: SourceRange, in context: EvaluationContext) -> Typed? {
        let l = check(left, in: context), r = check(right, in: context)
        guard let l, let r, let lo = operand(l), let ro = operand(r) else { return nil }
        guard l.type == .timestamp else {
            report(.mismatch, "'\(op.rawValue)' needs a timestamp on its left, found \(l.type.withArticle)", at: left.range)
            return nil
        }
        let needed: ValueType = op == .within || op == .olderThan ? .duration : .timestamp
        guard r.type == needed else {
            let example = needed == .duration ? "24h, 7d" : "2026-11-01, now - 7d"
            report(.mismatch, "'\(op.rawValue)' needs \(needed.withArticle) (\(example)), found \(r.type.withArticle)", at: right.range)
            return nil
        }
        if op == .within, case .constant(.duration(let window)) = ro, window > Self.retention {
            diagnostics.append(Diagnostic(
                .windowBeyondRetention,
                "a window of \(window / DurationUnit.day.milliseconds) days is longer than the 30 days of jobs AWS Backup lists",
                file: source.name, at: right.range,
                notes: [.init("jobs older than 30 days are missing from ListBackupJobs, so the rule judges them as absent")]))
        }
        // The start of the window, `now - WINDOW`, named as such if it overflows.
        let window = Formatter.format(right)
        let start: Operand = .arithmetic(.minus, .now, ro, result: .timestamp,
                                         source: "now - " + (Self.isAtom(right) ? window : "(\(window))"))
        let condition: Condition = switch op {
        case .within:
            .and([.compare(.greaterOrEqual, lo, start), .compare(.lessOrEqual, lo, .now)])
        case .olderThan: .compare(.less, lo, start)
        case .before: .compare(.less, lo, ro)
        case .after: .compare(.greater, lo, ro)
        }
        return Typed(lowered: .condition(condition), type: .boolean, range: range)
    }

    /// An expression that reads as one value without parentheses (`rpo`, `24h`, `count(jobs)`).
    static func isAtom(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .binary, .negate, .not, .match, .presence, .window: false
        default: true
        }
    }

    // MARK: Functions

    static let aggregateFunctions = ["count", "share", "ratio", "latest", "earliest", "min", "max", "sum", "avg", "median", "distinct"]
    static let functions = aggregateFunctions + ["extra"]

    mutating func checkCall(_ name: Name, _ arguments: [Expr], range: SourceRange, in context: EvaluationContext) -> Typed? {
        guard Self.functions.contains(name.text) else {
            report(.unknownFunction, "unknown function '\(name.text)'", at: name.range,
                   notes: Suggestions.note(for: name.text, among: Self.functions) + [.init("functions: \(Self.functions.joined(separator: ", "))")])
            return nil
        }
        if name.text == "extra" {
            guard arguments.count == 1, case .string(let path) = arguments[0].kind, !path.isEmpty else {
                report(.wrongArguments, "extra takes the name of one field as text: extra(\"NewField\")", at: range)
                return nil
            }
            return field(.additional(path), type: .json, range: range, in: context)
        }
        guard case .group = context else {
            report(.aggregateOutsideGroup, "\(name.text)(...) needs a group of jobs; use it in a resource, account, vault, plan or group rule",
                   at: name.range)
            return nil
        }
        let expected: Int = switch name.text {
        case "count", "latest", "earliest": 1
        default: 2
        }
        let usage: String = switch name.text {
        case "count": "count(jobs where CONDITION)"
        case "share": "share(jobs where CONDITION, CONDITION)"
        case "ratio": "ratio(jobs where CONDITION, jobs where CONDITION)"
        case "latest", "earliest": "\(name.text)(jobs where CONDITION).FIELD"
        case "distinct": "distinct(jobs, FIELD)"
        default: "\(name.text)(jobs where CONDITION, FIELD)"
        }
        guard arguments.count == expected, case .jobs(let kindWord, let filterExpr) = arguments[0].kind else {
            report(.wrongArguments, "\(name.text) takes \(expected == 1 ? "a set of jobs" : "a set of jobs and \(name.text == "ratio" ? "another" : name.text == "share" ? "a condition" : "a field")"): \(usage)",
                   at: range)
            return nil
        }
        guard let records = selection(kindWord, filterExpr, range: arguments[0].range, in: context) else { return nil }
        let recordContext = EvaluationContext.job(records.kind)
        switch name.text {
        case "count":
            return Typed(lowered: .value(.aggregate(.count(records))), type: .number, range: range)
        case "latest", "earliest":
            return Typed(lowered: .job(JobPick(which: name.text == "latest" ? .latest : .earliest, records: records)), type: .job, range: range)
        case "share":
            guard let of = condition(arguments[1], in: recordContext) else { return nil }
            return Typed(lowered: .value(.aggregate(.share(records, of))), type: .percent, range: range)
        case "ratio":
            guard case .jobs(let secondWord, let secondExpr) = arguments[1].kind else {
                report(.wrongArguments, "ratio takes two sets of jobs: \(usage)", at: arguments[1].range)
                return nil
            }
            guard let second = selection(secondWord, secondExpr, range: arguments[1].range, in: context) else { return nil }
            return Typed(lowered: .value(.aggregate(.ratio(records, second))), type: .percent, range: range)
        default:
            guard let typed = check(arguments[1], in: recordContext), let operand = operand(typed) else { return nil }
            if name.text == "distinct" {
                return Typed(lowered: .value(.aggregate(.distinct(records, operand))), type: .number, range: range)
            }
            let statistic = Statistic(rawValue: name.text)!
            let allowed: [ValueType] = switch statistic {
            case .min, .max, .median: [.number, .size, .duration, .percent, .timestamp]
            case .sum, .avg: [.number, .size, .duration, .percent]
            }
            guard allowed.contains(typed.type) else {
                report(.mismatch, "\(name.text) needs numbers, sizes, durations\(statistic == .sum || statistic == .avg ? "" : ", timestamps") or percentages; \(arguments[1].range == typed.range ? "this is" : "found") \(typed.type.withArticle)",
                       at: arguments[1].range)
                return nil
            }
            let written = Formatter.format(Expr(.call(name, arguments), range))
            return Typed(lowered: .value(.aggregate(.statistic(statistic, records, operand, typed.type, source: written))), type: typed.type, range: range)
        }
    }

    // MARK: Records of a group

    /// `jobs [where C]`, `copy jobs [where C]`: records of the group being judged (its backup
    /// jobs, or the records of another kind related to it), the filter checked on that kind.
    mutating func selection(_ word: Name?, _ filterExpr: Expr?, range: SourceRange, in context: EvaluationContext) -> RecordSelection? {
        guard let kind = relatedKind(word, range: range, in: context) else { return nil }
        var filter: Condition?
        if let filterExpr {
            guard let checked = condition(filterExpr, in: .job(kind)) else { return nil }
            filter = checked
        }
        return RecordSelection(kind, filter: filter)
    }

    /// The kind a word before `job` names (`copy`; none: the group kind), when its records can
    /// belong to the group of the context.
    mutating func relatedKind(_ word: Name?, range: SourceRange, in context: EvaluationContext) -> RecordKind? {
        guard let kind = recordKind(named: word) else { return nil }
        if case .group(let key) = context, kind != environment.groupKind, environment.relation(key, to: kind) == nil {
            report(.noRelation, "\(kind.pluralNoun) do not name \(withArticle(key.displayName)), so \(withArticle(key.displayName)) has no \(kind.pluralNoun)",
                   at: range,
                   notes: [.init("\(withArticle(key.displayName)) rule can read the \(environment.kinds.filter { $0.kind == environment.groupKind || environment.relation(key, to: $0.kind) != nil }.map(\.kind.pluralNoun).joined(separator: " and ")) of its \(key.displayName)")])
            return nil
        }
        return kind
    }

    /// The kind a word before `job` names; nil for `job` alone: the group kind (backup jobs).
    mutating func recordKind(named word: Name?) -> RecordKind? {
        guard let word else { return environment.groupKind }
        if let kind = environment.kind(word: word.text) { return kind }
        report(.unknownSubject, "'\(word.text) job' names no kind of record; the kinds are \(environment.kinds.map { "\($0.word) job" }.joined(separator: ", "))",
               at: word.range, notes: Suggestions.note(for: word.text, among: environment.kindWords))
        return nil
    }
}
