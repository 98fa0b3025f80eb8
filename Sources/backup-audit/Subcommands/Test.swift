import ArgumentParser
import BackupJobs
import Foundation
import Reports
import RuleEngine
import RuleLanguage

struct Test: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the rule set's tests: the test blocks of its files.",
        discussion: """
            A test gives jobs (written inline, or a listing file), a pinned time, parameters, and \
            what each rule must make of them:

              test "a volume without a backup for two days fails" {
                now 2026-11-28T12:00:00Z
                job { ResourceArn = "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1", State = COMPLETED,
                      CreationDate = 2026-11-26T01:00:00Z, CompletionDate = 2026-11-26T02:00:00Z }
                expect rpo-freshness fails for "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1"
              }

            Exit status: 0 when every test passes, 1 when one fails, 2 when the rules or tests are \
            invalid, a listing file cannot be read, a rule could not be evaluated (a value \
            overflowed), or there is no test.
            """
    )

    @Argument(help: ArgumentHelp("Rule files and directories (one rule set, as for check).", valueName: "path"))
    var paths: [String]

    @Option(name: .customLong("run"), help: ArgumentHelp("Run only the tests whose name contains this text (repeatable).", valueName: "text"))
    var filters: [String] = []

    @Option(name: .customLong("report"), help: ArgumentHelp("Also write a JUnit report: junit=FILE.", valueName: "junit=file"))
    var report: String?

    @Flag(help: "Fail unless every rule has a test expecting it to pass and one expecting it to fail.")
    var strict = false

    @Flag(help: "Show passing tests too, and each test's time.")
    var verbose = false

    func validate() throws {
        if let report, !report.hasPrefix("junit=") || report.count == "junit=".count {
            throw ValidationError("--report takes junit=FILE")
        }
    }

    func run() async throws {
        let junit = try plannedReport()
        let sources = RuleSources(paths: paths)
        let parsed = sources.files.map(ParsedRuleFile.init)
        let (compiled, diagnostics) = RuleSet.compile(parsed)
        let problems = sources.problems + diagnostics
        if !problems.isEmpty { Terminal.error(DiagnosticRenderer.render(problems, sources: sources.byName)) }
        guard let program = compiled, !problems.hasErrors else {
            Terminal.error("backup-audit: the rules or their tests have errors; nothing was run")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        let tests = program.tests.filter { test in filters.isEmpty || filters.contains { test.name.contains($0) } }
        guard !tests.isEmpty else {
            Terminal.error("backup-audit: no test\(filters.isEmpty ? "" : " matches --run") in \(paths.joined(separator: " ")); a rule set without tests proves nothing")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        var fixtures: [String: [Record]] = [:]
        for test in tests {
            for path in test.fixtures where fixtures[Self.resolve(path, from: test.location.file)] == nil {
                let resolved = Self.resolve(path, from: test.location.file)
                do {
                    fixtures[resolved] = try ListingLoader().load([resolved]).tables.flatMap { Array($0) }
                } catch {
                    Terminal.error("backup-audit: \(TerminalText.escaped(test.location.file)):\(test.location.line): test \(TerminalText.escaped(StringLiteral.quoted(test.name))): \(error)")
                    throw ExitCode(ExitStatus.invalidInput.rawValue)
                }
            }
        }
        let started = TimeArgument.current()
        let results = await withTaskGroup(of: (Int, RuleTestResult).self) { group in
            for (index, test) in tests.enumerated() {
                let jobs = test.fixtures.flatMap { fixtures[Self.resolve($0, from: test.location.file)] ?? [] }
                group.addTask { (index, await RuleTestRunner.run(test, files: parsed, fixtures: jobs)) }
            }
            var collected: [(Int, RuleTestResult)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        Terminal.output(render(results))
        let uncovered = Self.uncovered(program)
        if !uncovered.isEmpty {
            Terminal.error((strict ? "backup-audit: " : "backup-audit: warning: ") + Self.describe(uncovered))
        }
        if let junit {
            do {
                let bytes = try RuleTestJUnit.render(results, at: started, hostname: Host.name, toolVersion: BackupAuditVersion.current)
                try OutputWriter.write([(junit, bytes)])
            } catch {
                Terminal.error("backup-audit: the tests ran, but the JUnit report was not written: cannot write \(error)")
                throw ExitCode(ExitStatus.invalidInput.rawValue)
            }
        }
        if results.contains(where: { $0.status == .error }) { throw ExitCode(ExitStatus.invalidInput.rawValue) }
        if results.contains(where: { $0.status == .failed }) || (strict && !uncovered.isEmpty) { throw ExitCode(ExitStatus.ruleFailed.rawValue) }
    }

    /// `--report junit=FILE`, checked before any test runs.
    private func plannedReport() throws -> PlannedOutput? {
        guard let report else { return nil }
        do {
            return try OutputPlan.check([("JUnit report", String(report.dropFirst("junit=".count)))]).first
        } catch {
            Terminal.error("backup-audit: cannot write \(error); no test was run")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }

    /// A fixture path as written, relative to the directory of the file the test is in.
    static func resolve(_ path: String, from file: String) -> String {
        guard !path.hasPrefix("/"), file != "<stdin>" else { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    /// Rules missing a passing or a failing expectation.
    static func uncovered(_ program: RuleProgram) -> [(rule: String, missing: String)] {
        let expectations = program.tests.flatMap(\.expectations)
        return program.rules.compactMap { rule in
            let mine = expectations.filter { $0.rule == rule.id }
            let missing = [mine.contains(where: \.passes) ? nil : "pass", mine.contains { !$0.passes } ? nil : "fail"].compactMap { $0 }
            return missing.isEmpty ? nil : (rule.id, missing.joined(separator: " or "))
        }
    }

    /// `rules not tested both ways: a has no test expecting it to fail; b has no test expecting it
    /// to pass or fail`.
    static func describe(_ uncovered: [(rule: String, missing: String)]) -> String {
        "rules not tested both ways: "
            + uncovered.map { "\(TerminalText.escaped($0.rule)) has no test expecting it to \($0.missing)" }.joined(separator: "; ")
    }

    /// Like a test runner: each file, its failing tests (all tests with --verbose) and why, then
    /// `N passed, N failed`.
    func render(_ results: [RuleTestResult]) -> String {
        var lines: [String] = []
        var file: String?
        for result in results {
            if result.test.location.file != file {
                file = result.test.location.file
                if !lines.isEmpty { lines.append("") }
                lines.append(TerminalText.escaped(file!))
            }
            guard verbose || result.status != .passed else { continue }
            let mark = switch result.status {
            case .passed: "✓"
            case .failed: "✗"
            case .error: "!"
            }
            let time = verbose ? String(format: " (%.3f s)", result.duration) : ""
            lines.append("  \(mark) \(TerminalText.escaped(result.test.name))\(time)")
            for failure in RuleTestText.failures(result) {
                // Lines of the runner's text; the values in them are quoted as rule literals.
                lines += failure.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + TerminalText.escaped(String($0)) }
            }
        }
        let passed = results.count { $0.status == .passed }
        let failed = results.count { $0.status == .failed }
        let errors = results.count { $0.status == .error }
        lines.append("")
        lines.append("\(passed) passed, \(failed) failed" + (errors > 0 ? ", \(errors) could not run" : ""))
        return lines.joined(separator: "\n")
    }
}
