import Foundation
import Testing

/// Values that can never match (issue 9, case 10), from the command line over the bundled examples:
/// a value outside a closed list stops `lint` and `check`; a value the data does not hold is a
/// warning in the reports of `check` and `eval` and on standard error for `query`, and never
/// changes the exit status.
struct UnmatchedValueCommandTests {
    static let jobs = ["--jobs", "examples/list-backup-jobs.json", "examples/api-pages", "--now", "2026-11-28T12:00:00Z"]
    static let rules = """
        rule prod-account {
          title "The production account's jobs finish"

          every job where AccountId == "000000000000" satisfies Finished
        }

        """

    static func ruleFile(_ text: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unmatched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("prod.rules")
        try Data(text.utf8).write(to: url)
        return (directory, url.path)
    }

    @Test func checkWarnsOfAnAccountIdThatOccursNowhereInEveryReport() throws {
        let (directory, rules) = try Self.ruleFile(Self.rules)
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = directory.appendingPathComponent("evidence.json").path
        let csv = directory.appendingPathComponent("report.csv").path
        let result = try CLI.run(["check", "--rules", rules, "--report", "text", "--report", "json=\(json)", "--report", "csv=\(csv)"] + Self.jobs)
        #expect(result.status == 0, "\(result.error)")
        let line = "\(rules):4:32: prod-account: AccountId == \"000000000000\" matched no job; values seen: 123456789012"
        #expect(result.output.contains("warning: " + line), "\(result.output)")
        #expect(result.output.hasSuffix("1 rule: 0 passed, 0 failed, 1 empty; 0 findings; 1 warning\n"))
        let evidence = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let warnings = evidence["warnings"] as! [[String: Any]]
        #expect(warnings.map { $0["value"] as? String } == ["000000000000"])
        #expect(warnings.first?["valuesSeen"] as? [String] == ["123456789012"])
        #expect(try String(contentsOfFile: csv, encoding: .utf8).contains(",warning,job,,"))
    }

    @Test func evalSharesTheGateAndItsWarnings() throws {
        let result = try CLI.run(["eval", "every account where AccountId == \"000000000000\" has job"] + Self.jobs)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("warning: <eval>:1:34: eval: AccountId == \"000000000000\" matched no job; values seen: 123456789012"))
    }

    @Test func queryPrintsItsWarningsToStandardError() throws {
        let result = try CLI.run(["query", "job where AccountId in [\"123456789012\", \"000000000000\"] and State == FAILED"] + Self.jobs)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error == "warning: <query>:1:41: AccountId == \"000000000000\" matched no job; values seen: 123456789012\n")
        #expect(!result.output.contains("warning"))
    }

    @Test func aValueOutsideTheClosedListStopsLintAndCheckWithTheRightSpelling() throws {
        let (directory, rules) = try Self.ruleFile(Self.rules.replacingOccurrences(of: "AccountId == \"000000000000\"", with: "ResourceType == \"rds\""))
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in [["lint", rules], ["check", "--rules", rules] + Self.jobs] {
            let result = try CLI.run(command)
            #expect(result.status == 2)
            // lint prints its diagnostics as its output; check prints them to standard error, with no report.
            let diagnostics = command[0] == "lint" ? result.output : result.error
            #expect(diagnostics.contains("\(rules):4:35: error[type.unknown-value]: 'rds' is not one of the resource types AWS Backup supports"))
            #expect(diagnostics.contains("= note: did you mean 'RDS'?"))
            if command[0] == "check" { #expect(result.output.isEmpty) }
        }
    }

    @Test func theBaselinePackHasNoWarningsOnTheExamples() throws {
        let result = try CLI.run(["check", "--rules", "rules/"] + Self.jobs)
        #expect(result.status == 1)
        #expect(!result.output.contains("warning"), "\(result.output)")
    }
}
