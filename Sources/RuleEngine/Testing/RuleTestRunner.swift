public import BackupJobs
public import RuleLanguage

/// The outcome of one `test` block.
public struct RuleTestResult: Sendable {
    public enum Status: String, Sendable {
        case passed, failed
        /// The test could not run: its rule set did not compile with its parameters, or a rule
        /// could not be evaluated.
        case error
    }

    public var test: CompiledTest
    public var status: Status
    /// One entry per expectation not met: where it is, what was expected, what happened and why.
    public var failures: [String]
    public var duration: Double
}

/// Runs rule tests: the test's jobs, judged at its time with its parameters by the real checker
/// and evaluator, and every expectation compared with what came out.
public enum RuleTestRunner {
    /// - Parameters:
    ///   - files: the rule set the test belongs to; it is compiled again with the test's
    ///     parameters, since parameters are part of the compiled rules.
    ///   - fixtures: the records of the test's listing files, read by the caller.
    public static func run(_ test: CompiledTest, files: [ParsedRuleFile], fixtures: [Record] = []) async -> RuleTestResult {
        let clock = ContinuousClock()
        let started = clock.now
        var result = await evaluate(test, files: files, fixtures: fixtures)
        let elapsed = clock.now - started
        result.duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return result
    }

    private static func evaluate(_ test: CompiledTest, files: [ParsedRuleFile], fixtures: [Record]) async -> RuleTestResult {
        let (compiled, diagnostics) = RuleSet.compile(files, overrides: test.overrides, now: test.now)
        guard var program = compiled else {
            let errors = diagnostics.filter { $0.severity == .error }.map { "\($0.file): \($0.code.rawValue): \($0.message)" }
            return RuleTestResult(test: test, status: .error, failures: ["the rules do not compile with this test's parameters"] + errors, duration: 0)
        }
        let named = Set(test.expectations.map(\.rule))
        program.rules = program.rules.filter { named.contains($0.id) }
        // A test's data is whole by construction: a kind it gives no record of has none (an empty
        // table), so its rules are judged on nothing rather than not judged.
        let listing = Listing(records: fixtures + test.records, kinds: RecordKind.allCases)
        let evaluation = await Evaluator.evaluate(program, listing: listing, now: test.now, options: EvaluationOptions(recordPasses: true))
        let results = Dictionary(evaluation.results.map { ($0.rule.id, $0) }, uniquingKeysWith: { first, _ in first })
        var failures: [String] = []
        var errored = false
        for expectation in test.expectations {
            guard let result = results[expectation.rule] else { continue }
            if result.status == .error {
                errored = true
                failures.append(place(expectation) + "\n  \(expectation.rule) could not be evaluated: \(result.errorMessage ?? "unknown error")")
                continue
            }
            if let problem = unmet(expectation, result) {
                failures.append(place(expectation) + "\n" + problem.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            }
        }
        let status: RuleTestResult.Status = errored ? .error : failures.isEmpty ? .passed : .failed
        return RuleTestResult(test: test, status: status, failures: failures, duration: 0)
    }

    static func place(_ expectation: TestExpectation) -> String {
        let subject = expectation.subject.map { " for " + StringLiteral.quoted($0) } ?? ""
        return "\(expectation.location.file):\(expectation.location.line): expect \(expectation.rule) \(expectation.passes ? "passes" : "fails")\(subject)"
    }

    /// Why an expectation is not met, or nil when it is.
    static func unmet(_ expectation: TestExpectation, _ result: RuleResult) -> String? {
        let failing = result.findings.filter { $0.status == .fail }
        let scope = Self.scope(result)
        guard let subject = expectation.subject else {
            let failed = result.status == .fail
            if expectation.passes == !failed { return nil }
            if expectation.passes {
                return "but it failed: \(failing.count) of \(scope) failed" + details(failing)
            }
            let waived = result.findings.filter { $0.status == .waived }
            if !waived.isEmpty { return "but every failing subject is waived (\(waived.map { StringLiteral.quoted($0.subject) }.joined(separator: ", ")))" }
            return result.evaluated == 0 ? "but it passed: no subject was in scope" : "but it passed: all \(scope) passed"
        }
        if let finding = result.findings.first(where: { $0.subject == subject }) {
            switch (finding.status, expectation.passes) {
            case (.fail, false): return nil
            case (.fail, true): return "but it failed: \(finding.message)" + explanation(finding)
            case (.waived, _): return "but it was waived until \(finding.waiver?.until ?? "?"): \(finding.waiver?.reason ?? "")"
            }
        }
        if result.passedSubjects?.contains(subject) == true {
            return expectation.passes ? nil : "but it passed"
        }
        let judged = (result.passedSubjects ?? []) + result.findings.map(\.subject)
        let listed = judged.sorted().prefix(5).map(StringLiteral.quoted).joined(separator: ", ")
        return "but the rule did not judge \(StringLiteral.quoted(subject)): it judged \(scope)" + (judged.isEmpty ? "" : " (\(listed)\(judged.count > 5 ? ", …" : ""))")
    }

    static func scope(_ result: RuleResult) -> String {
        let noun: String = switch result.rule.subject {
        case .job: result.rule.subject.displayName
        case .group(.resourceType): "resource type"
        case .group(.field(let field)): "group by \(field.path)"
        case .group(let key): key.displayName
        }
        return "\(result.evaluated) \(noun)\(result.evaluated == 1 ? "" : "s")"
    }

    static func details(_ findings: [Finding]) -> String {
        guard let first = findings.first else { return "" }
        var text = findings.prefix(3).map { "\n\(StringLiteral.quoted($0.subject)): \($0.message)" }.joined()
        if findings.count > 3 { text += "\n… and \(findings.count - 3) more" }
        return text + explanation(first)
    }

    static func explanation(_ finding: Finding) -> String {
        finding.explanation.isEmpty ? "" : "\n" + finding.explanation
    }
}
