import Foundation
import Testing

/// Arithmetic never crashes the binary and never fails open: a constant beyond its range is a
/// diagnostic, a value that overflows while judging leaves its rule unjudged; both exit 2 with a
/// message naming the rule (or query) and the expression.
struct OverflowCommandTests {
    static let jobs = ["--jobs", "examples/list-backup-jobs.json", "--now", "2026-11-28T12:00:00Z"]

    /// Two valid jobs of one resource, 5·10^18 bytes each: their sum is beyond any size.
    static let hugeJobs = """
        {"BackupJobs": [
          {"BackupJobId": "job-1", "State": "COMPLETED", "ResourceArn": "arn:aws:ec2:us-east-1:111111111111:volume/vol-1",
           "ResourceType": "EBS", "BackupSizeInBytes": 5000000000000000000, "CreationDate": 1795860000},
          {"BackupJobId": "job-2", "State": "COMPLETED", "ResourceArn": "arn:aws:ec2:us-east-1:111111111111:volume/vol-1",
           "ResourceType": "EBS", "BackupSizeInBytes": 5000000000000000000, "CreationDate": 1795863600}
        ]}
        """

    @Test(arguments: [
        ("every job satisfies Duration * 99999999999999 > 1h", "Duration * 99999999999999 overflows: durations range over"),
        ("every job satisfies BackupSizeInBytes * 99999999999 > 0 B", "BackupSizeInBytes * 99999999999 overflows: sizes range over ±8 EiB"),
        ("every job satisfies CreationDate before now + 99999999999d + 99999999999d", "now + 99999999999d + 99999999999d overflows: times range over"),
    ])
    func aValueThatOverflowsExitsTwoNamingTheRuleSubjectAndExpression(_ body: String, _ expected: String) throws {
        let result = try CLI.run(["eval", body] + Self.jobs)
        #expect(result.status == 2, "\(result.error)")
        #expect(result.error.contains("backup-audit: rule eval could not be evaluated: job "), "\(result.error)")
        #expect(result.error.contains(expected), "\(result.error)")
        #expect(result.output.contains("! ERROR  eval"))
        #expect(result.output.contains("    could not be evaluated: job "))
        #expect(result.output.contains(expected))
    }

    @Test func aSumBeyondTheRangeOfSizesExitsTwo() throws {
        let workspace = try TestCommandTests.Workspace(["huge.json": Self.hugeJobs])
        let result = try CLI.run(["eval", "every resource satisfies sum(jobs, BackupSizeInBytes) < 1 TiB",
                                  "--jobs", workspace.path("huge.json"), "--now", "2026-11-28T12:00:00Z"])
        #expect(result.status == 2, "\(result.error)")
        #expect(result.error.contains(
            "rule eval could not be evaluated: resource arn:aws:ec2:us-east-1:111111111111:volume/vol-1: sum(jobs, BackupSizeInBytes) overflows: sizes range over ±8 EiB"),
            "\(result.error)")
        // Their average is a size: exact, and no overflow.
        let average = try CLI.run(["eval", "every resource satisfies avg(jobs, BackupSizeInBytes) == 5000000000000000000 B",
                                   "--jobs", workspace.path("huge.json"), "--now", "2026-11-28T12:00:00Z"])
        #expect(average.status == 0, "\(average.output)\(average.error)")
    }

    @Test func aConstantBeyondItsRangeIsADiagnostic() throws {
        let workspace = try TestCommandTests.Workspace(["big.rules": """
            rule big {
              title "Big"
              every job satisfies Duration < 99999999999d + 99999999999d
            }

            """])
        let lint = try CLI.run(["lint", workspace.path("big.rules")])
        #expect(lint.status == 2, "\(lint.output)\(lint.error)")
        #expect(lint.output.contains("big.rules:3:34: error[value.out-of-range]: 99999999999d + 99999999999d is out of range: durations range over ±106751991167 days"),
                "\(lint.output)")
        let check = try CLI.run(["check", "--rules", workspace.path("big.rules")] + Self.jobs)
        #expect(check.status == 2)
        #expect(check.error.contains("error[value.out-of-range]"))
        let eval = try CLI.run(["eval", "every job satisfies Duration < 99999999999d + 99999999999d"] + Self.jobs)
        #expect(eval.status == 2)
        #expect(eval.error.contains("error[value.out-of-range]"))
    }

    /// Every report is still written, each saying why; the run exits 2 even with a `--fail-on`
    /// threshold above the rule's severity, since the rule was not judged at all.
    @Test func everyReportIsWrittenAndSaysWhy() throws {
        let workspace = try TestCommandTests.Workspace(["big.rules": """
            rule big {
              title "Big"
              severity low
              every job satisfies BackupSizeInBytes * 99999999999 > 0 B
            }

            """])
        let formats = ["text", "junit", "json", "csv", "markdown", "sarif"]
        let reports = formats.flatMap { ["--report", "\($0)=\(workspace.path("out/report.\($0)"))"] }
        let result = try CLI.run(["check", "--rules", workspace.path("big.rules"), "--fail-on", "critical"] + reports + Self.jobs)
        #expect(result.status == 2, "\(result.error)")
        #expect(result.error.contains("backup-audit: rule big could not be evaluated: job "))
        for format in formats {
            let report = try String(contentsOfFile: workspace.path("out/report.\(format)"), encoding: .utf8)
            #expect(report.contains("BackupSizeInBytes * 99999999999 overflows"), "the \(format) report")
        }
    }

    @Test func aQueryThatOverflowsExitsTwoWithoutATable() throws {
        let result = try CLI.run(["query", "job where State == COMPLETED", "--columns", "BackupJobId, BackupSizeInBytes * 99999999999"] + Self.jobs)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(result.error.contains("backup-audit: the query could not be evaluated: job "))
        #expect(result.error.contains("BackupSizeInBytes * 99999999999 overflows"))
    }

    @Test func aRuleTestWhoseRuleCannotBeEvaluatedIsAnError() throws {
        let workspace = try TestCommandTests.Workspace(["big.rules": """
            rule big {
              title "Big"
              every job satisfies BackupSizeInBytes * 99999999999 > 0 B
            }

            test "a big job" {
              now 2026-11-28T12:00:00Z
              job { BackupJobId = "a", State = COMPLETED, BackupSizeInBytes = 5 GB }
              expect big passes
            }

            """])
        let result = try CLI.run(["test", workspace.path("big.rules")])
        #expect(result.status == 2, "\(result.output)\(result.error)")
        #expect(result.output.contains("big could not be evaluated: job a: BackupSizeInBytes * 99999999999 overflows"), "\(result.output)")
    }
}
