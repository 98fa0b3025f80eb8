/// Warnings about conditions that are cheap to see through: equalities that cannot all hold,
/// and alternatives that always hold.
enum Lints {
    static func conditions(in file: RuleFile, source: SourceFile) -> [Diagnostic] {
        var found: [Diagnostic] = []
        func visit(_ expr: Expr) {
            switch expr.kind {
            case .binary(.and, _, _):
                if let diagnostic = contradiction(in: operands(of: expr, .and), range: expr.range, source: source) {
                    found.append(diagnostic)
                }
            case .binary(.or, _, _):
                if let diagnostic = tautology(in: operands(of: expr, .or), range: expr.range, source: source) {
                    found.append(diagnostic)
                }
            default: break
            }
            children(of: expr).forEach(visit)
        }
        for item in file.items {
            switch item {
            case .rule(let rule):
                guard let body = rule.body else { continue }
                switch body {
                case .every(let subject, let filter, let assertion, _):
                    if case .group(let by) = subject.kind { visit(by) }
                    filter.map(visit)
                    switch assertion {
                    case .satisfies(let condition, _): visit(condition)
                    case .has(_, _, let filter, _, _): filter.map(visit)
                    case .latest(_, let filter, let condition, _):
                        filter.map(visit)
                        visit(condition)
                    }
                case .no(_, let filter, _): visit(filter)
                }
            case .waiver(let waiver):
                if case .matching(let condition) = waiver.target { visit(condition) }
            case .parameter, .test: break
            }
        }
        // One finding per place: an inner `and` inside an outer one repeats it.
        var seen: Set<SourceRange> = []
        return found.filter { seen.insert($0.range).inserted }
    }

    static func operands(of expr: Expr, _ op: BinaryOperator) -> [Expr] {
        var e = expr
        while case .parenthesized(let inner) = e.kind { e = inner }
        if case .binary(op, let left, let right) = e.kind { return operands(of: left, op) + operands(of: right, op) }
        return [e]
    }

    static func children(of expr: Expr) -> [Expr] {
        Expr.children(of: expr.kind)
    }

    /// `FIELD op VALUE` with a written value, as (field text, operator, value text).
    static func fieldTest(_ expr: Expr) -> (field: String, op: BinaryOperator, value: String)? {
        guard case .binary(let op, let left, let right) = expr.kind, op == .equal || op == .notEqual else { return nil }
        func isField(_ e: Expr) -> Bool {
            switch e.kind {
            case .name(let name): name.first?.isUppercase == true && name.contains(where: \.isLowercase)
            case .member: true
            default: false
            }
        }
        func literal(_ e: Expr) -> String? {
            switch e.kind {
            case .string(let text): text
            case .number(let text): text
            case .name(let name) where name.allSatisfy({ $0.isUppercase || $0 == "_" }): name
            case .boolean(let flag): flag ? "true" : "false"
            default: nil
            }
        }
        if isField(left), let value = literal(right) { return (Formatter.format(left), op, value) }
        if isField(right), let value = literal(left) { return (Formatter.format(right), op, value) }
        return nil
    }

    static func contradiction(in parts: [Expr], range: SourceRange, source: SourceFile) -> Diagnostic? {
        var equal: [String: String] = [:]
        for part in parts {
            guard let test = fieldTest(part), test.op == .equal else { continue }
            if let other = equal[test.field], other != test.value {
                return Diagnostic(.contradiction, "\(test.field) cannot be both \(other) and \(test.value); this condition never holds",
                                  file: source.name, at: range, notes: [.init("did you mean 'or'?")])
            }
            equal[test.field] = test.value
        }
        for part in parts {
            guard let test = fieldTest(part), test.op == .notEqual, equal[test.field] == test.value else { continue }
            return Diagnostic(.contradiction, "\(test.field) cannot be both equal and unequal to \(test.value); this condition never holds",
                              file: source.name, at: range)
        }
        return nil
    }

    static func tautology(in parts: [Expr], range: SourceRange, source: SourceFile) -> Diagnostic? {
        var unequal: [String: String] = [:]
        var equal: [String: String] = [:]
        for part in parts {
            guard let test = fieldTest(part) else { continue }
            if test.op == .notEqual {
                if let other = unequal[test.field], other != test.value {
                    return Diagnostic(.alwaysTrue, "\(test.field) is always unequal to \(other) or to \(test.value); this condition holds whenever \(test.field) is present",
                                      file: source.name, at: range, notes: [.init("did you mean 'and'?")])
                }
                unequal[test.field] = test.value
            } else {
                equal[test.field] = test.value
            }
        }
        for (field, value) in equal where unequal[field] == value {
            return Diagnostic(.alwaysTrue, "\(field) == \(value) or \(field) != \(value) holds whenever \(field) is present",
                              file: source.name, at: range)
        }
        return nil
    }
}
