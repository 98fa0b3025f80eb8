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
    /// One entry per expectation not met, as values (Reports' `RuleTestText` words them).
    public var failures: [TestFailure]
    public var duration: Double
}

/// Why a test did not pass.
public enum TestFailure: Sendable {
    /// The rule set does not compile with the test's parameters: the errors.
    case notCompiled([Diagnostic])
    /// An expectation's rule could not be evaluated (a value overflowed): the result says where.
    case unevaluated(TestExpectation, RuleResult)
    /// An expectation not met: what happened instead, and the rule's result.
    case unmet(TestExpectation, Unmet, RuleResult)

    /// What happened instead of what a test expected.
    public enum Unmet: Sendable {
        /// The rule was expected to pass and failed: its failing findings.
        case failed([Finding])
        /// The rule was expected to fail, but every failing subject is waived.
        case allWaived([Finding])
        /// The rule was expected to fail and passed (on nothing, when no subject was in scope).
        case passed
        /// The subject was expected to pass and failed.
        case subjectFailed(Finding)
        /// The subject's failure is waived.
        case subjectWaived(Finding)
        /// The subject was expected to fail and passed.
        case subjectPassed
        /// The rule did not judge the subject: the subjects it judged, in order.
        case subjectNotJudged(judged: [String])
    }
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
            return RuleTestResult(test: test, status: .error, failures: [.notCompiled(diagnostics.filter { $0.severity == .error })], duration: 0)
        }
        let named = Set(test.expectations.map(\.rule))
        program.rules = program.rules.filter { named.contains($0.id) }
        // A test's data is whole by construction: a kind it gives no record of has none (an empty
        // table), so its rules are judged on nothing rather than not judged.
        let listing = Listing(records: fixtures + test.records, kinds: RecordKind.allCases)
        let evaluation = await Evaluator.evaluate(program, listing: listing, now: test.now, options: EvaluationOptions(recordPasses: true))
        let results = Dictionary(evaluation.results.map { ($0.rule.id, $0) }, uniquingKeysWith: { first, _ in first })
        var failures: [TestFailure] = []
        var errored = false
        for expectation in test.expectations {
            guard let result = results[expectation.rule] else { continue }
            if result.status == .error {
                errored = true
                failures.append(.unevaluated(expectation, result))
                continue
            }
            if let unmet = unmet(expectation, result) { failures.append(.unmet(expectation, unmet, result)) }
        }
        let status: RuleTestResult.Status = errored ? .error : failures.isEmpty ? .passed : .failed
        return RuleTestResult(test: test, status: status, failures: failures, duration: 0)
    }

    /// What happened instead of what an expectation says, or nil when it is met.
    static func unmet(_ expectation: TestExpectation, _ result: RuleResult) -> TestFailure.Unmet? {
        let failing = result.findings.filter { $0.status == .fail }
        guard let subject = expectation.subject else {
            let failed = result.status == .fail
            if expectation.passes == !failed { return nil }
            if expectation.passes { return .failed(failing) }
            let waived = result.findings.filter { $0.status == .waived }
            return waived.isEmpty ? .passed : .allWaived(waived)
        }
        if let finding = result.findings.first(where: { $0.subject == subject }) {
            switch (finding.status, expectation.passes) {
            case (.fail, false): return nil
            case (.fail, true): return .subjectFailed(finding)
            case (.waived, _): return .subjectWaived(finding)
            }
        }
        if result.passedSubjects?.contains(subject) == true {
            return expectation.passes ? nil : .subjectPassed
        }
        return .subjectNotJudged(judged: ((result.passedSubjects ?? []) + result.findings.map(\.subject)).sorted())
    }
}
