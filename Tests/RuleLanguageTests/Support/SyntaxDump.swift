import BackupJobs
@testable import RuleLanguage

/// The shape of a syntax tree without source ranges, for comparing trees (a formatted file must
/// parse to the same tree as the original).
enum SyntaxDump {
    static func dump(_ file: RuleFile) -> String {
        file.items.map(dump).joined(separator: "\n")
    }

    static func dump(_ item: Item) -> String {
        switch item {
        case .parameter(let p): "(param \(p.name.text) \(dump(p.value)))"
        case .rule(let r):
            "(rule \(r.id.text) " + r.metadata.map { "(\($0.kind.rawValue) \($0.values.map(dump).joined(separator: " ")))" }.joined(separator: " ")
                + " " + (r.body.map(dump) ?? "()") + ")"
        case .waiver(let w):
            "(waive \(w.rule.text) " + {
                switch w.target {
                case .subjects(let ids): "(for \(ids.map(dump).joined(separator: " ")))"
                case .matching(let condition): "(where \(dump(condition)))"
                }
            }() + " \(dump(w.until)) \(dump(w.reason)))"
        case .test(let t):
            "(test \(dump(t.name)) " + t.statements.map(dump).joined(separator: " ") + ")"
        }
    }

    static func dump(_ statement: TestStatement) -> String {
        switch statement {
        case .now(let time, _): "(now \(dump(time)))"
        case .parameter(let p): "(param \(p.name.text) \(dump(p.value)))"
        case .fixture(let path, _): "(jobs \(dump(path)))"
        case .job(let job): "(job " + job.members.map { "(\(dump($0.field)) \(dump($0.value)))" }.joined(separator: " ") + ")"
        case .expectation(let e): "(expect \(e.rule.text) \(e.passes ? "passes" : "fails") \(e.subject.map(dump) ?? "_"))"
        }
    }

    static func dump(_ body: Body) -> String {
        switch body {
        case .every(let subject, let filter, let assertion, _):
            "(every \(dump(subject)) \(filter.map(dump) ?? "_") \(dump(assertion)))"
        case .no(let subject, let filter, _):
            "(no \(dump(subject)) \(dump(filter)))"
        }
    }

    static func dump(_ subject: Subject) -> String {
        switch subject.kind {
        case .job(let kind): kind.map { "\($0.text)-job" } ?? "job"
        case .resource: "resource"
        case .account: "account"
        case .vault: "vault"
        case .plan: "plan"
        case .resourceType: "resource-type"
        case .group(let by): "(group \(dump(by)))"
        }
    }

    static func dump(_ assertion: Assertion) -> String {
        switch assertion {
        case .satisfies(let c, _): "(satisfies \(dump(c)))"
        case .latest(let k, let f, let c, _): "(latest\(k.map { " " + $0.text } ?? "") \(f.map(dump) ?? "_") \(dump(c)))"
        case .has(let q, let k, let f, let days, _):
            "(has\(k.map { " " + $0.text } ?? "") \(dump(q)) \(f.map(dump) ?? "_") \(days.map(dump) ?? "_"))"
        }
    }

    static func dump(_ quantity: Quantity) -> String {
        switch quantity {
        case .some: "some"
        case .none: "none"
        case .atLeast(let n): "(at-least \(dump(n)))"
        case .atMost(let n): "(at-most \(dump(n)))"
        case .exactly(let n): "(exactly \(dump(n)))"
        }
    }

    static func dump(_ expr: Expr) -> String {
        switch expr.kind {
        case .string(let s): "\"\(s)\""
        case .number(let n): n
        case .duration(let ms, _): "\(ms)ms"
        case .size(let bytes, _): "\(bytes)B"
        case .percent(let p, _): "\(p)%"
        case .timestamp(let t, _): t.iso8601
        case .boolean(let b): "\(b)"
        case .list(let l): "[" + l.map(dump).joined(separator: " ") + "]"
        case .name(let n): n
        case .member(let b, let m): "(. \(dump(b)) \(m.text))"
        case .call(let n, let a): "(\(n.text) " + a.map(dump).joined(separator: " ") + ")"
        case .jobs(let k, let f): "(\(k.map { $0.text + "-" } ?? "")jobs \(f.map(dump) ?? "_"))"
        case .not(let e): "(not \(dump(e)))"
        case .negate(let e): "(- \(dump(e)))"
        case .binary(let op, let l, let r): "(\(op.rawValue) \(dump(l)) \(dump(r)))"
        case .match(let op, let l, let r, let i): "(\(op.rawValue)\(i ? "/i" : "") \(dump(l)) \(dump(r)))"
        case .presence(let e, let exists): "(\(exists ? "exists" : "missing") \(dump(e)))"
        case .window(let op, let l, let r): "(\(op.rawValue) \(dump(l)) \(dump(r)))"
        case .parenthesized(let e): "(paren \(dump(e)))"
        }
    }
}
