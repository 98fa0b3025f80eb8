public import BackupJobs
public import RuleEngine
import RuleLanguage

/// JUnit XML for `backup-audit test`: a suite per rule file, a case per test, with the unmet
/// expectations as the failure's text. Written by the same writer as the gate's report, so it
/// meets the same consumers' rules.
public enum RuleTestJUnit {
    public static func render(_ results: [RuleTestResult], at time: Timestamp, hostname: String, toolVersion: String) throws -> [UInt8] {
        var files: [String] = []
        var byFile: [String: [RuleTestResult]] = [:]
        for result in results {
            let file = result.test.location.file
            if byFile[file] == nil { files.append(file) }
            byFile[file, default: []].append(result)
        }
        let suites = files.map { file -> (JUnitReporter.Suite, [String]) in
            let classname = "backup-audit.test." + JUnitReporter.fileStem(file)
            let cases = byFile[file]!.map { result in
                JUnitReporter.Case(classname: classname, name: ReportText.oneLine(result.test.name, limit: 500), time: result.duration, outcome: outcome(result))
            }
            return (JUnitReporter.Suite(name: classname, cases: cases, time: byFile[file]!.reduce(0) { $0 + $1.duration }), [])
        }
        let header = JUnitReporter.SuiteHeader(
            timestamp: String(time.iso8601.prefix(19)), hostname: hostname,
            properties: [("backup-audit.version", toolVersion)] + files.map { ("backup-audit.rules", $0) }, failureType: "ExpectationNotMet")
        // At least one case, so no consumer reads an empty file as a pass.
        let nonEmpty = suites.isEmpty
            ? [(JUnitReporter.Suite(name: "backup-audit.test", cases: [JUnitReporter.Case(
                classname: "backup-audit.test", name: "(no tests)", time: 0, outcome: .error(message: "no tests were found", body: ""))], time: 0), [String]())]
            : suites
        return try JUnitReporter.document(nonEmpty, header: header)
    }

    static func outcome(_ result: RuleTestResult) -> JUnitReporter.Case.Outcome {
        let failures = RuleTestText.failures(result)
        let body = failures.joined(separator: "\n\n")
        switch result.status {
        case .passed: return .pass(output: nil)
        case .failed:
            // Where and what, and the first line of why: "pack.rules:14: expect r passes but it failed: ...".
            let first = failures.first.map { failure in
                ReportText.oneLine(failure.split(separator: "\n").prefix(2).map { $0.trimmingPrefix(while: \.isWhitespace) }.joined(separator: " "))
            } ?? "an expectation was not met"
            return .failure(message: failures.count == 1 ? first : "\(failures.count) expectations not met; \(first)", body: body)
        case .error:
            return .error(message: ReportText.oneLine(failures.first ?? "the test could not run"), body: body)
        }
    }
}
