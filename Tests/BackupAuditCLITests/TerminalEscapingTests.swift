@testable import AWSBackupClient
import BackupJobs
import Foundation
import Testing

@testable import backup_audit

/// Job data and rule files can hold ESC, BEL, NUL, CR, newlines and bidirectional controls.
/// Every text for a terminal shows them escaped; JSON and CSV keep the exact values.
struct TerminalEscapingTests {
    /// What must never reach a terminal raw.
    static let unsafe: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{00}", "\r", "\u{202E}", "\u{2066}", "\u{2069}", "\u{9B}"]

    static let vault = "arn:aws:backup:eu-west-1:111111111111:backup-vault:v\u{07}\u{202E}lave"
    static let message = "Denied\u{1B}]0;pwned\u{07}\r\n✓ PASS  forged \u{2066}line\u{2069}\u{00}"
    static let resource = "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1\u{1B}[2J\nFAKE"

    /// A listing with one hostile job, in a directory of its own.
    static func listing() throws -> (directory: URL, path: String) {
        let directory = try CheckCommandTests.temporaryDirectory()
        let job: [String: Any] = [
            "BackupJobId": "job-\u{1B}[31mred", "AccountId": "111111111111", "BackupVaultArn": vault, "ResourceArn": resource,
            "ResourceType": "EBS\u{9B}31m", "State": "FAILED", "StatusMessage": message, "CreationDate": "2026-11-28T10:00:00Z",
        ]
        let path = directory.appendingPathComponent("jobs.json").path
        try JSONSerialization.data(withJSONObject: ["BackupJobs": [job]]).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    /// The fetch progress line is written raw on a terminal (redrawn in place with `\r`), so the
    /// Region names in it, which no one checks (a profile's `region`, `AWS_REGION`, `--region`),
    /// are escaped where it is made.
    @Test func fetchProgressEscapesRegionNames() {
        var progress = FetchProgress()
        progress.jobs = 30
        progress.pages = 3
        progress.kinds = [(.backupJob, 30)]
        progress.regions = [("us-east-1", 10), ("eu-west-1\u{1B}]0;pwned\u{07}\r\u{202E}", 20)]
        let line = ProgressLine.describe(progress, elapsed: .seconds(1))
        Self.expectSafe(line, "the progress line")
        #expect(line.contains("us-east-1 10, eu-west-1\\u{1B}]0;pwned\\u{7}\\r\\u{202E} 20"), "\(line)")
    }

    static func expectSafe(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for scalar in unsafe {
            #expect(!text.unicodeScalars.contains(scalar), "\(what) holds U+\(String(scalar.value, radix: 16, uppercase: true)) raw", sourceLocation: sourceLocation)
        }
    }

    @Test func queryTablesEscapeAndJSONAndCSVKeepTheValues() throws {
        let (_, path) = try Self.listing()
        let query = ["query", "job", "--columns", "BackupJobId,BackupVaultArn,ResourceArn,StatusMessage", "--jobs", path]
        let table = try CLI.run(query)
        #expect(table.status == 0, "\(table.error)")
        Self.expectSafe(table.output, "the table")
        let lines = table.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5, "a value broke a row: \(table.output)")  // header, row, blank, count, ""
        #expect(lines[1].contains(#"job-\u{1B}[31mred"#))
        #expect(lines[1].contains(#"v\u{7}\u{202E}lave"#))
        #expect(lines[1].contains(#"vol-1\u{1B}[2J\nFAKE"#))
        #expect(lines[1].contains(#"Denied\u{1B}]0;pwned\u{7}\r\n✓ PASS  forged \u{2066}line\u{2069}\u{0}"#))

        let json = try CLI.run(query + ["--format", "json"])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(rows.first?["StatusMessage"] as? String == Self.message)
        #expect(rows.first?["BackupVaultArn"] as? String == Self.vault)

        let csv = try CLI.run(query + ["--format", "csv"])
        #expect(csv.output.contains("\"" + Self.message + "\""))
    }

    @Test func jobsSummaryEscapes() throws {
        let (_, path) = try Self.listing()
        let result = try CLI.run(["jobs", "summary", "--jobs", path])
        #expect(result.status == 0, "\(result.error)")
        Self.expectSafe(result.output, "the summary")
        #expect(result.output.contains(#"v\u{7}\u{202E}lave"#))
        #expect(result.output.contains(#"EBS\u{9B}31m"#))
    }

    @Test func theTextReportEscapesAndItsExplanationsQuoteValues() throws {
        let (_, path) = try Self.listing()
        let result = try CLI.run(["eval", "every job satisfies State == COMPLETED", "--jobs", path, "--now", CheckCommandTests.now, "--verbose"])
        #expect(result.status == 1)
        Self.expectSafe(result.output, "the text report")
        // The status message is one quoted value on its explanation's line: no forged line.
        #expect(!result.output.contains("\n✓ PASS  forged"))
        #expect(result.output.contains(#""Denied\u{1B}]0;pwned\u{7}\r\n✓ PASS  forged \u{2066}line\u{2069}\u{0}""#), "\(result.output)")
    }

    @Test func testOutputEscapesNamesSubjectsAndExplanations() throws {
        let workspace = try TestCommandTests.Workspace(["pack.rules": #"""
            rule failed-jobs {
              title "No failed jobs"
              no job where State == FAILED
            }

            test "red\u{1B}[31m name\nsecond line" {
              now 2026-11-28T12:00:00Z
              job { BackupJobId = "bad\u{7}", State = FAILED, StatusMessage = "x\u{202E}y\rz" }
              expect failed-jobs passes
            }

            """#])
        let result = try CLI.run(["test", workspace.path("pack.rules")])
        #expect(result.status == 1)
        Self.expectSafe(result.output + result.error, "the test output")
        #expect(result.output.contains(#"✗ red\u{1B}[31m name\nsecond line"#), "\(result.output)")
        #expect(result.output.contains(#""x\u{202E}y\rz""#), "\(result.output)")
    }

    @Test func lintShowsTheRuleFileEscapedWithCaretsInPlace() throws {
        let workspace = try TestCommandTests.Workspace(["pack.rules": "rule r {\n  title \"t\"\n  every job satisfies Nope\u{1B}[31m\u{202E} == 1\n}\n"])
        let result = try CLI.run(["lint", workspace.path("pack.rules")])
        #expect(result.status == 2)
        Self.expectSafe(result.output + result.error, "lint")
        // The carets under ESC cover its escape, six columns, after the 26 columns before it.
        let shown = "3 |   every job satisfies Nope\\u{1B}[31m\\u{202E} == 1\n  | " + String(repeating: " ", count: 26) + "^^^^^^\n"
        #expect(result.output.contains(shown), "\(result.output)")
    }

    @Test func errorMessagesQuotingDataEscape() throws {
        let result = try CLI.run(["check", "--rules", "rules/", "--jobs", "/nonexistent/\u{1B}[2Jjobs.json"])
        #expect(result.status == 2)
        Self.expectSafe(result.error, "the error")
        #expect(result.error.contains(#"/nonexistent/\u{1B}[2Jjobs.json"#), "\(result.error)")
    }
}
