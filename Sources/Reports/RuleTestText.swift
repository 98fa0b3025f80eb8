import BackupJobs
public import RuleEngine
import RuleLanguage

/// How a rule test's failures read, on the terminal and in JUnit: where the expectation is, what
/// it expected, and what happened instead, with the findings worded as every report words them.
public enum RuleTestText {
    /// One text per failure, of one or more lines:
    /// `pack.rules:14: expect r passes\n  but it failed: 1 of 2 jobs failed\n  …`.
    public static func failures(_ result: RuleTestResult) -> [String] {
        result.failures.flatMap { failure -> [String] in
            switch failure {
            case .notCompiled(let errors):
                return ["the rules do not compile with this test's parameters"] + errors.map { "\($0.file): \($0.code.rawValue): \($0.message)" }
            case .unevaluated(let expectation, let rule):
                return [place(expectation) + "\n  \(expectation.rule) could not be evaluated: \(FaultText.message(rule) ?? "unknown error")"]
            case .unmet(let expectation, let unmet, let rule):
                let problem = text(unmet, expectation, rule, now: result.test.now)
                return [place(expectation) + "\n" + problem.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")]
            }
        }
    }

    /// `pack.rules:14: expect r fails for "vol-1"`.
    static func place(_ expectation: TestExpectation) -> String {
        let subject = expectation.subject.map { " for " + StringLiteral.quoted($0) } ?? ""
        return "\(expectation.location.file):\(expectation.location.line): expect \(expectation.rule) \(expectation.passes ? "passes" : "fails")\(subject)"
    }

    static func text(_ unmet: TestFailure.Unmet, _ expectation: TestExpectation, _ result: RuleResult, now: Timestamp) -> String {
        let scope = Self.scope(result)
        switch unmet {
        case .failed(let failing):
            return "but it failed: \(failing.count) of \(scope) failed" + details(failing, result.rule, now: now)
        case .allWaived(let waived):
            return "but every failing subject is waived (\(waived.map { StringLiteral.quoted($0.subject) }.joined(separator: ", ")))"
        case .passed:
            return result.evaluated == 0 ? "but it passed: no subject was in scope" : "but it passed: all \(scope) passed"
        case .subjectFailed(let finding):
            return "but it failed: \(FindingText.message(finding, of: result.rule, now: now))" + explanation(finding, result.rule, now: now)
        case .subjectWaived(let finding):
            return "but it was waived until \(finding.waiver?.until ?? "?"): \(finding.waiver?.reason ?? "")"
        case .subjectPassed:
            return "but it passed"
        case .subjectNotJudged(let judged):
            let listed = judged.prefix(5).map(StringLiteral.quoted).joined(separator: ", ")
            return "but the rule did not judge \(StringLiteral.quoted(expectation.subject ?? "")): it judged \(scope)"
                + (judged.isEmpty ? "" : " (\(listed)\(judged.count > 5 ? ", …" : ""))")
        }
    }

    /// `3 resources`, `1 copy job`, `2 group by Region`s.
    static func scope(_ result: RuleResult) -> String {
        let noun: String = switch result.rule.subject {
        case .job: result.rule.subject.displayName
        case .group(.resourceType): "resource type"
        case .group(.field(let field)): "group by \(field.path)"
        case .group(let key): key.displayName
        }
        return "\(result.evaluated) \(noun)\(result.evaluated == 1 ? "" : "s")"
    }

    /// The first three failing subjects with their messages, and the first one's explanation.
    static func details(_ findings: [Finding], _ rule: CompiledRule, now: Timestamp) -> String {
        guard let first = findings.first else { return "" }
        var text = findings.prefix(3).map { "\n\(StringLiteral.quoted($0.subject)): \(FindingText.message($0, of: rule, now: now))" }.joined()
        if findings.count > 3 { text += "\n… and \(findings.count - 3) more" }
        return text + explanation(first, rule, now: now)
    }

    static func explanation(_ finding: Finding, _ rule: CompiledRule, now: Timestamp) -> String {
        let explanation = FindingText.explanation(finding, of: rule, now: now)
        return explanation.isEmpty ? "" : "\n" + explanation
    }
}
