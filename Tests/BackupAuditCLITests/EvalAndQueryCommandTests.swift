import Foundation
import Testing

@testable import backup_audit

/// `eval`: an ad-hoc rule judged as `check` judges; `query`: matching jobs and groups, with
/// columns, sorting, limits and three formats. Both against the bundled example data.
struct EvalCommandTests {
    static let jobs = ["--jobs", "examples/list-backup-jobs.json", "--now", "2026-11-28T12:00:00Z"]

    @Test func aPassingRuleExitsZero() throws {
        let result = try CLI.run(["eval", #"every resource where ResourceType == "EBS" has job where State == COMPLETED and CompletionDate within 24h"#] + Self.jobs)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("✓ PASS  eval  [high]  every resource where ResourceType == \"EBS\""))
        #expect(result.output.contains("4 resources passed"))
    }

    @Test func aFailingRuleExitsOneWithItsFindings() throws {
        let result = try CLI.run(["eval", "no job where State == FAILED and CreationDate within 2d"] + Self.jobs)
        #expect(result.status == 1)
        #expect(result.output.contains("✗ FAIL  eval"))
        #expect(result.output.contains("4BBEBCFB-9145-4934-A89F-87198B4D861B"))
    }

    @Test func theTextReportIsHeadedEval() throws {
        let result = try CLI.run(["eval", "no job where State == FAILED"] + Self.jobs)
        #expect(result.output.hasPrefix("backup-audit eval: 107 jobs from 1 input, now 2026-11-28T12:00:00.000Z\n"), "\(result.output)")
    }

    @Test func reportsAreCheck() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-eval-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let junit = directory.appendingPathComponent("eval.xml").path
        let result = try CLI.run(["eval", "no job where State == FAILED", "--report", "json", "--report", "junit=\(junit)"] + Self.jobs)
        #expect(result.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        let rules = report["rules"] as! [[String: Any]]
        #expect(rules.map { $0["id"] as? String } == ["eval"])
        #expect((rules[0]["findings"] as! [Any]).count == 7)
        #expect(try String(contentsOfFile: junit, encoding: .utf8).contains("<testcase"))
    }

    @Test(arguments: [
        ("every job satisfies IamRoleARN contains \"AWSBackup\"", "unknown field 'IamRoleARN'"),
        ("every jobs satisfies true", "did you mean 'job'?"),
        ("rule x { every job satisfies true }", "expected"),
        ("", "expected"),
    ])
    func invalidRulesExitTwoWithDiagnostics(_ body: String, _ message: String) throws {
        let result = try CLI.run(["eval", body] + Self.jobs)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "\(result.error)")
        #expect(result.output.isEmpty)
    }

    /// A job whose StatusMessage is thousands of letters and a final '!': a backtracking engine
    /// tries exponentially many ways to split the letters among the groups before failing.
    static let catastrophicJob = Data(#"""
        {"BackupJobs": [{"BackupJobId": "LONG-MESSAGE", "AccountId": "123456789012", "State": "FAILED",
          "ResourceArn": "arn:aws:ec2:us-east-1:123456789012:volume/vol-long", "ResourceType": "EBS",
          "CreationDate": "2026-11-28T01:00:00Z", "StatusMessage": "\#(String(repeating: "Retry", count: 1_000))!"}]}
        """#.utf8)

    @Test func aCatastrophicBacktrackingPatternFinishesWithTheRightVerdict() throws {
        let pattern = #"StatusMessage matches "^([A-Za-z]+ ?)+$""#
        let passing = try CLI.run(["eval", "no job where \(pattern)", "--jobs", "examples/list-backup-jobs.json", "-",
                                   "--now", "2026-11-28T12:00:00Z"], stdin: Self.catastrophicJob)
        #expect(passing.status == 0, "\(passing.error)")
        #expect(passing.output.contains("✓ PASS  eval"))
        #expect(passing.output.contains("108 jobs checked, none matched"), "\(passing.output)")
        let failing = try CLI.run(["eval", #"no job where StatusMessage matches "^([A-Za-z]+ ?)+!$""#, "--jobs", "examples/list-backup-jobs.json", "-",
                                   "--now", "2026-11-28T12:00:00Z"], stdin: Self.catastrophicJob)
        #expect(failing.status == 1)
        #expect(failing.output.contains("LONG-MESSAGE"))
    }

    @Test func aBackreferenceIsAnErrorAtItsColumn() throws {
        let result = try CLI.run(["eval", #"no job where StatusMessage matches "(a)\\1""#] + Self.jobs)
        #expect(result.status == 2)
        #expect(result.error.contains("<eval>:1:40: error[type.invalid-regex]: invalid regular expression: invalid escape sequence: \\1"), "\(result.error)")
        #expect(result.error.contains("RE2 runs in linear time"))
    }

    @Test func badDataExitsTwo() throws {
        let result = try CLI.run(["eval", "no job where State == FAILED", "--jobs", "-"], stdin: Data("{\"BackupJobs\": [".utf8))
        #expect(result.status == 2)
        #expect(result.error.contains("input.truncated"))
    }
}

struct QueryCommandTests {
    static let jobs = ["--jobs", "examples/list-backup-jobs.json", "--now", "2026-11-28T12:00:00Z"]

    @Test func jobsNewestFirstWithDefaultColumns() throws {
        let result = try CLI.run(["query", "job where State == FAILED and CreationDate within 2d"] + Self.jobs)
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("BackupJobId"))
        #expect(lines[0].contains("State") && lines[0].contains("CompletionDate"))
        #expect(lines[1].hasPrefix("4BBEBCFB-9145-4934-A89F-87198B4D861B  FAILED"))
        #expect(lines.last == "3 matching, of 107 subjects examined")
    }

    @Test func groupsWithAggregateColumnsSortedAndLimited() throws {
        let result = try CLI.run(
            ["query", "resource", "--columns", "count(jobs), count(jobs where State == FAILED), latest(jobs).State, ResourceType",
             "--sort", "count(jobs where State == FAILED):desc,resource", "--limit", "2", "--format", "json"] + Self.jobs)
        #expect(result.status == 0, "\(result.error)")
        let rows = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [[String: Any]]
        #expect(rows.count == 2)
        #expect(rows[0]["resource"] as? String == "arn:aws:ec2:us-west-2:123456789012:instance/i-02f29a422eb14ab2f")
        #expect(rows[0]["count(jobs where State == FAILED)"] as? Int == 6)
        #expect(rows[0]["latest(jobs).State"] as? String == "RUNNING")
        #expect(rows[0]["ResourceType"] as? String == "EC2")
        #expect((rows[0]["count(jobs where State == FAILED)"] as! Int) >= (rows[1]["count(jobs where State == FAILED)"] as! Int))
    }

    @Test func groupConditionsUseAggregates() throws {
        let result = try CLI.run(["query", "resource where count(jobs where State == FAILED) == 0", "--format", "csv"] + Self.jobs)
        #expect(result.status == 0)
        let lines = result.output.split(separator: "\r\n")
        #expect(lines[0] == "resource,count(jobs),count(jobs where State == FAILED),latest(jobs).State,latest(jobs).CreationDate")
        #expect(lines.count == 8)  // the header and 7 of the 9 resources
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",")[2] == "0" })
    }

    @Test func columnsSplitOnlyOnTopLevelCommas() {
        #expect(Query.split(#"count(jobs where State in [FAILED, ABORTED]), StatusMessage contains "(,", ResourceArn"#)
            == [#"count(jobs where State in [FAILED, ABORTED])"#, #"StatusMessage contains "(,""#, "ResourceArn"])
    }

    /// A column list is split as the rule lexer reads it: by Unicode scalars (a quote or comma with a
    /// combining mark after it still opens a string or separates), with `\"` inside a string.
    @Test(arguments: [
        (#"StatusMessage contains "a\"b,c", ResourceArn"#, [#"StatusMessage contains "a\"b,c""#, "ResourceArn"]),
        ("StatusMessage contains \"\u{301},x\", ResourceArn", ["StatusMessage contains \"\u{301},x\"", "ResourceArn"]),
        ("BackupJobId,\u{301}State", ["BackupJobId", "\u{301}State"]),
    ])
    func columnsSplitByScalarsAndEscapes(_ text: String, _ columns: [String]) {
        #expect(Query.split(text) == columns)
    }

    @Test func csvCellsCannotRunAsFormulas() throws {
        let page = Data(#"{"BackupJobs": [{"BackupJobId": "a", "State": "FAILED", "StatusMessage": "=HYPERLINK(\"x\")"}]}"#.utf8)
        let result = try CLI.run(["query", "job", "--columns", "BackupJobId,StatusMessage", "--format", "csv", "--jobs", "-"], stdin: page)
        #expect(result.output == "BackupJobId,StatusMessage\r\na,\"'=HYPERLINK(\"\"x\"\")\"\r\n")
    }

    @Test func nothingMatchingExitsOneLikeGrep() throws {
        let result = try CLI.run(["query", "job where State == EXPIRED"] + Self.jobs)
        #expect(result.status == 1)
        #expect(result.output.contains("0 matching, of 107 subjects examined"))
        let json = try CLI.run(["query", "job where State == EXPIRED", "--format", "json"] + Self.jobs)
        #expect(json.output == "[]\n")
    }

    @Test(arguments: [
        (["query", "job where IamRoleARN contains \"x\""], "did you mean 'IamRoleArn'?"),
        (["query", "job where State == DONE"], "'DONE' is not a BackupJobState value"),
        (["query", "jobs"], "did you mean 'job'?"),
        (["query", "job where"], "expected"),
        (["query", "job", "--columns", "CreatedBy"], "a column shows one value"),
        (["query", "job", "--columns", "count(jobs)"], "needs a group of jobs"),
        (["query", "job", "--sort", "Stat"], "did you mean 'State'?"),
        (["query", "job", "--columns", ","], "--columns: item 1 of ',' is empty"),
        (["query", "job", "--columns", "State,,ResourceArn"], "--columns: item 2 of 'State,,ResourceArn' is empty"),
        (["query", "job", "--columns", "State,State"], "--columns: 'State' is given twice"),
        (["query", "resource", "--columns", "count(jobs where Finished),count(jobs  where Finished)"], "--columns: 'count(jobs where Finished)' is given twice"),
        (["query", "job", "--sort", "State,"], "--sort: item 2 of 'State,' is empty"),
    ])
    func badQueriesExitTwo(_ arguments: [String], _ message: String) throws {
        let result = try CLI.run(arguments + Self.jobs)
        #expect(result.status == 2, "\(result.error)")
        #expect(result.error.contains(message), "\(result.error)")
        #expect(result.output.isEmpty)
    }
}
