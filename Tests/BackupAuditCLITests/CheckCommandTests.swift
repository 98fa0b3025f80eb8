import Foundation
import Testing

struct CheckCommandTests {
    static let now = "2026-11-28T12:00:00Z"
    static let examples = ["examples/list-backup-jobs.json", "examples/api-pages"]

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Timings and the machine's name change from run to run; everything else must not.
    static func normalized(_ xml: String) -> String {
        xml.replacing(/time="[0-9.]+"/, with: "time=\"T\"").replacing(/hostname="[^"]*"/, with: "hostname=\"HOST\"")
    }

    @Test func theGateFailsOnTheExamplesAndWritesEveryReport() throws {
        let out = try Self.temporaryDirectory()
        let result = try CLI.run(["check", "--rules", "rules/", "--jobs"] + Self.examples + [
            "--now", Self.now, "--report", "text", "--report", "junit=\(out.path)/r.xml", "--report", "json=\(out.path)/r.json",
            "--report", "csv=\(out.path)/r.csv", "--report", "markdown=\(out.path)/r.md", "--report", "sarif=\(out.path)/r.sarif",
        ])
        #expect(result.status == 1)
        #expect(result.error == "")
        #expect(result.output.contains("✗ FAIL  rpo-freshness  [high]"))
        for name in ["r.xml", "r.json", "r.csv", "r.md", "r.sarif"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("r.json"))) as! [String: Any]
        #expect((json["inputs"] as! [[String: Any]]).count == 3)
        #expect(json["now"] as? String == "2026-11-28T12:00:00.000Z")
    }

    @Test func failOnAndRuleSelectionDecideTheStatus() throws {
        let base = ["check", "--rules", "rules/", "--jobs"] + Self.examples + ["--now", Self.now, "--report", "json=/dev/null"]
        #expect(try CLI.run(base + ["--fail-on", "critical"]).status == 0)
        #expect(try CLI.run(base + ["--fail-on", "high"]).status == 1)
        #expect(try CLI.run(base + ["--rule", "backup-role", "--rule", "no-stuck-jobs"]).status == 0)
        #expect(try CLI.run(base + ["--severity-at-least", "critical"]).status == 0)
        let unknown = try CLI.run(base + ["--rule", "rpo-fresh"])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("there is no rule 'rpo-fresh'; did you mean 'rpo-freshness'?"))
        #expect(ReportTargetTests.isCharacterDevice("/dev/null"), "a report written to /dev/null replaced the device")
    }

    @Test func strictFailsRulesWithNothingInScope() throws {
        let base = ["check", "--rules", "rules/", "--jobs"] + Self.examples + ["--now", Self.now, "--rule", "encryption"]
        #expect(try CLI.run(base).status == 0)
        let strict = try CLI.run(base + ["--strict"])
        #expect(strict.status == 1)
        #expect(strict.output.contains("no subject in scope (strict)"))
    }

    @Test func invalidRulesDataOrUsageExitWithStatus2AndEvaluateNothing() throws {
        let directory = try Self.temporaryDirectory()
        let rules = directory.appendingPathComponent("bad.rules")
        try Data("rule r {\n  title \"t\"\n  every job satisfies Stat == COMPLETED\n}\n".utf8).write(to: rules)
        let badRules = try CLI.run(["check", "--rules", rules.path, "--jobs", "examples/list-backup-jobs.json", "--report", "json=\(directory.path)/out.json"])
        #expect(badRules.status == 2)
        #expect(badRules.error.contains("error[type.unknown-field]: unknown field 'Stat'"))
        #expect(badRules.error.contains("nothing was evaluated"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.json").path))

        let badData = try CLI.run(["check", "--rules", "rules/", "--jobs", "-"], stdin: Data("{\"BackupJobs\": [".utf8))
        #expect(badData.status == 2)
        #expect(badData.error.contains("error[input.truncated]"))

        let incomplete = try CLI.run(["check", "--rules", "rules/", "--jobs", "-"], stdin: Data("{\"BackupJobs\": [], \"NextToken\": \"more\"}".utf8))
        #expect(incomplete.status == 2)
        #expect(incomplete.error.contains("refusing to judge incomplete data"))

        let badParam = try CLI.run(["check", "--rules", "rules/", "--jobs", "examples/api-pages", "--param", "rpo=5%"])
        #expect(badParam.status == 2)
        #expect(try CLI.run(["check", "--rules", "rules/", "--jobs", "examples/api-pages", "--report", "pdf"]).status == 2)
        #expect(try CLI.run(["check", "--rules", "rules/", "--jobs", "examples/api-pages", "--report", "text", "--report", "json"]).status == 2)
    }

    @Test func theTimeIsWrittenAsInRuleFiles() throws {
        // 2026-11-28T12:00Z, as a rule file writes it (seconds left out).
        let result = try CLI.run(["check", "--rules", "rules/", "--jobs", "examples/list-backup-jobs.json", "--now", "2026-11-28T12:00Z", "--rule", "backup-role"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("backup-audit check: 107 jobs from 1 input, now 2026-11-28T12:00:00.000Z"))
        let lint = try CLI.run(["lint", "rules/", "--now", "2026-11-28T12:00+01:00"])
        #expect(lint.status == 0, "\(lint.error)")
        let wrong = try CLI.run(["check", "--rules", "rules/", "--jobs", "examples/list-backup-jobs.json", "--now", "2026-11-28 12:00:00"])
        #expect(wrong.status == 2)
        #expect(wrong.error.contains("'2026-11-28 12:00:00' is not a timestamp; write it as in a rule file"), "\(wrong.error)")
    }

    @Test(arguments: [
        (["check", "--rules", "rules/", "--jobs", "examples/list-backup-jobs.json", "--rule", "nope"], "there is no rule 'nope'", "backup-audit check"),
        (["query", "job", "--jobs", "examples/list-backup-jobs.json", "--sort", "Stat"], "did you mean 'State'?", "backup-audit query"),
        (["jobs", "summary", "--jobs", "-", "-"], "Standard input (-) can be read only once.", "backup-audit jobs summary"),
    ])
    func usageErrorsShowTheSubcommandsUsage(_ arguments: [String], _ message: String, _ command: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("Error: "), "\(result.error)")
        #expect(result.error.contains(message), "\(result.error)")
        #expect(result.error.contains("Usage: \(command) "), "\(result.error)")
        #expect(result.error.contains("See '\(command) --help'"), "\(result.error)")
        #expect(!result.error.contains("<subcommand>"))
    }

    @Test func parametersChangeTheVerdict() throws {
        let base = ["check", "--rules", "rules/", "--jobs"] + Self.examples + ["--now", Self.now, "--rule", "approved-vaults", "--report", "json=/dev/null"]
        #expect(try CLI.run(base).status == 1)
        #expect(try CLI.run(base + ["--param", "approved_vaults=[\"Default\", \"prod-vault\", \"compliance-vault\", \"dev-vault\"]"]).status == 0)
        #expect(ReportTargetTests.isCharacterDevice("/dev/null"), "a report written to /dev/null replaced the device")
    }
}

/// The CI examples run their gate step exactly as written (on the example data, at the pinned
/// time), and what they print and write is compared with `examples/ci/expected/`.
struct CIExampleTests {
    static let expected = CLI.packageRoot.appendingPathComponent("examples/ci/expected")

    /// The `backup-audit check ...` command of a CI file, as arguments.
    static func gateCommand(in file: String) throws -> [String] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent(file), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("backup-audit check ") })
        let command = line[line.range(of: "backup-audit check ")!.lowerBound...]
        return command.split(separator: " ").dropFirst().map(String.init)
    }

    static func compare(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = expected.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try Data(actual.utf8).write(to: url)
            return
        }
        #expect(actual == (try String(contentsOf: url, encoding: .utf8)), "differs from examples/ci/expected/\(name)", sourceLocation: sourceLocation)
    }

    @Test(arguments: ["examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml"])
    func theGateStepWorksAsWritten(_ file: String) throws {
        let out = try CheckCommandTests.temporaryDirectory()
        let arguments = try Self.gateCommand(in: file).flatMap { argument -> [String] in
            if argument == "jobs.json" { return CheckCommandTests.examples }
            return [argument.replacingOccurrences(of: "=reports/", with: "=\(out.path)/")]
        } + ["--now", CheckCommandTests.now]
        let result = try CLI.run(arguments)
        #expect(result.status == 1, "the example data fails high-severity rules")
        try Self.compare(result.output, "check.txt")
        try Self.compare(CheckCommandTests.normalized(try String(contentsOf: out.appendingPathComponent("backup-audit.xml"), encoding: .utf8)), "backup-audit.xml")
        if file.contains("github") {
            try Self.compare(try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8), "summary.md")
        }
    }
}
