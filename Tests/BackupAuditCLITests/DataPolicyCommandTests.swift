import Foundation
import Testing

/// Only complete, non-empty data is judged, and the verdict never depends on the order of the
/// inputs: what `check`, `eval`, `query` and `jobs summary` do with partial, empty and
/// conflicting data.
struct DataPolicyCommandTests {
    static let now = ["--now", "2026-11-28T12:00:00Z"]
    static let complete = #"{"BackupJobs": [{"BackupJobId": "a", "State": "COMPLETED", "ResourceArn": "arn:x", "CreationDate": 1795860000}]}"#
    static let partial = #"{"BackupJobs": [{"BackupJobId": "b", "State": "COMPLETED", "ResourceArn": "arn:y", "CreationDate": 1795860000}], "NextToken": "resume-here"}"#

    static func temporaryFiles(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory
    }

    @Test func concatenatedPartialDataIsRefusedUnlessAllowedAndThenEveryReportSaysSo() throws {
        let cat = Data((Self.complete + "\n" + Self.partial).utf8)
        for command in [["check", "--rules", "rules/"], ["eval", "no job where State == FAILED"], ["query", "job"]] {
            let refused = try CLI.run(command + ["--jobs", "-"] + Self.now, stdin: cat)
            #expect(refused.status == 2, "\(command[0])")
            #expect(refused.output == "", "\(command[0])")
            #expect(refused.error.contains("<stdin> (document 2) ends with NextToken resume-here, and nothing follows it"), "\(command[0])")
            #expect(refused.error.contains("(fetch the rest with --starting-token resume-here)"), "\(command[0])")
            #expect(refused.error.contains("--allow-incomplete"), "\(command[0])")
        }
        let allowed = try CLI.run(["check", "--rules", "rules/", "--jobs", "-", "--allow-incomplete", "--report", "text"] + Self.now, stdin: cat)
        #expect(allowed.status != 2, "\(allowed.error)")
        #expect(allowed.output.split(separator: "\n")[1]
            == "warning: the data is incomplete: <stdin> (document 2) ends with NextToken resume-here, and nothing follows it: the pages after it are missing")
        #expect(allowed.error.contains("backup-audit: warning: the data is incomplete"))
    }

    @Test func anEmptyTokenEndsTheListing() throws {
        let result = try CLI.run(["eval", "no job where State == FAILED", "--jobs", "-"] + Self.now,
                                 stdin: Data(#"{"BackupJobs": [{"BackupJobId": "a", "State": "COMPLETED"}], "NextToken": ""}"#.utf8))
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("1 job checked, none matched"))
    }

    @Test func emptyDataIsRefusedUnlessAllowedAndRulesAreThenEmpty() throws {
        let empty = Data(#"{"BackupJobs":[]}"#.utf8)
        for command in [["check", "--rules", "rules/"], ["eval", "no job where State == FAILED"]] {
            let refused = try CLI.run(command + ["--jobs", "-"] + Self.now, stdin: empty)
            #expect(refused.status == 2, "\(command[0])")
            #expect(refused.error.contains("the inputs hold no jobs"), "\(command[0])")
            #expect(refused.error.contains("--allow-empty"), "\(command[0])")
        }
        let allowed = try CLI.run(["check", "--rules", "rules/", "--jobs", "-", "--allow-empty"] + Self.now, stdin: empty)
        #expect(allowed.status == 0, "\(allowed.error)")
        #expect(allowed.output.contains("warning: the inputs hold no jobs"))
        #expect(allowed.output.contains("– EMPTY  rpo-freshness"))
        #expect(allowed.output.hasSuffix("15 rules: 0 passed, 0 failed, 15 empty; 0 findings\n"))
        let strict = try CLI.run(["check", "--rules", "rules/", "--jobs", "-", "--allow-empty", "--strict"] + Self.now, stdin: empty)
        #expect(strict.status == 1)
        // Showing nothing is the answer for a query and a summary.
        #expect(try CLI.run(["query", "job", "--jobs", "-"], stdin: empty).status == 1)
        #expect(try CLI.run(["jobs", "summary", "--jobs", "-"], stdin: empty).status == 0)
    }

    @Test func conflictingDuplicatesGiveTheSameVerdictInEitherOrder() throws {
        let job = { (state: String) in
            #"{"BackupJobs": [{"BackupJobId": "J-1", "State": "\#(state)", "ResourceArn": "arn:x", "CreationDate": 1795860000, "CompletionDate": 1795863600}]}"#
        }
        let directory = try Self.temporaryFiles(["completed.json": job("COMPLETED"), "failed.json": job("FAILED")])
        defer { try? FileManager.default.removeItem(at: directory) }
        let completed = directory.appendingPathComponent("completed.json").path, failed = directory.appendingPathComponent("failed.json").path
        var reports: [String] = []
        for order in [[completed, failed], [failed, completed]] {
            let result = try CLI.run(["eval", "no job where State == FAILED", "--report", "json", "--jobs"] + order + Self.now)
            #expect(result.status == 1, "the FAILED version is kept whatever the order: \(result.error)")
            var report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
            report["inputs"] = nil
            report["rules"] = (report["rules"] as! [[String: Any]]).map { $0.filter { $0.key != "durationSeconds" } }
            reports.append(String(decoding: try JSONSerialization.data(withJSONObject: report, options: .sortedKeys), as: UTF8.self))
            let data = try #require(report["data"] as? [String: Any])
            #expect(data["conflictCount"] as? Int == 1)
            #expect((data["conflicts"] as? [[String: Any]])?.first?["jobId"] as? String == "J-1")
            let text = try CLI.run(["eval", "no job where State == FAILED", "--jobs"] + order + Self.now)
            #expect(text.output.contains("warning: 1 job appeared in conflicting versions"))
        }
        #expect(reports[0] == reports[1])

        let refused = try CLI.run(["eval", "no job where State == FAILED", "--on-conflict", "fail", "--jobs", completed, failed] + Self.now)
        #expect(refused.status == 2)
        #expect(refused.error.contains("1 job appears in conflicting versions: J-1 (\(completed), \(failed))"))
        let summary = try CLI.run(["jobs", "summary", "--jobs", completed, failed, "--format", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(summary.output.utf8)) as! [String: Any]
        #expect(document["conflictCount"] as? Int == 1)
        #expect(try CLI.run(["jobs", "summary", "--jobs", completed, failed]).output.contains("Conflicts     1 job appears in conflicting versions: J-1"))
    }

    @Test func aSplitGivenInOrderIsJudged() throws {
        let directory = try Self.temporaryFiles(["part1.json": Self.partial, "part2.json": Self.complete])
        defer { try? FileManager.default.removeItem(at: directory) }
        let parts = ["part1.json", "part2.json"].map { directory.appendingPathComponent($0).path }
        let inOrder = try CLI.run(["eval", "no job where State == FAILED", "--jobs"] + parts + Self.now)
        #expect(inOrder.status == 0, "\(inOrder.error)")
        #expect(inOrder.output.contains("2 jobs checked, none matched"))
        #expect(try CLI.run(["eval", "no job where State == FAILED", "--jobs"] + parts.reversed() + Self.now).status == 2)
        let summary = try CLI.run(["jobs", "summary", "--jobs"] + parts.reversed())
        #expect(summary.status == 0)
        #expect(summary.output.contains("Complete      no: \(parts[0]) ends with NextToken resume-here"))
    }
}
