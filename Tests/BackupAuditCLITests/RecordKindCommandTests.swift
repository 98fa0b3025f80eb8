import Foundation
import Testing

/// Copy and restore listings on the command line. Rules judge backup jobs only (subjects for the
/// other kinds come with the language part of issue 10), so a run without backup jobs is never a
/// silent pass.
struct RecordKindCommandTests {
    static let now = ["--now", "2026-11-28T12:00:00Z"]
    static let estate = ["examples/list-backup-jobs.json", "examples/list-copy-jobs.json", "examples/list-restore-jobs.json"]

    @Test func jobsSummaryHasASectionPerKind() throws {
        let text = try CLI.run(["jobs", "summary", "--jobs"] + Self.estate)
        #expect(text.status == 0, "\(text.error)")
        for heading in ["Backup jobs   107", "Copy jobs   21", "Restore jobs   2"] {
            #expect(text.output.contains("\n\n" + heading + "\n"), "\(heading)")
        }
        // Each kind counts its own state field, and says which of its states are finished.
        #expect(text.output.contains("Finished    21  (COMPLETED, FAILED, PARTIAL)\n\nState       Jobs    Share\nCOMPLETED     21   100.0%"))
        #expect(text.output.contains("Finished       2  (COMPLETED, ABORTED, FAILED)\n\nStatus      Jobs    Share\nCOMPLETED      2   100.0%"))

        let json = try CLI.run(["jobs", "summary", "--format", "json", "--jobs"] + Self.estate)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(document["jobs"] as? Int == 130)
        let kinds = try #require(document["kinds"] as? [String: [String: Any]])
        #expect(kinds.mapValues { $0["jobs"] as? Int } == ["backupJob": 107, "copyJob": 21, "restoreJob": 2])
        #expect(kinds["copyJob"]?["member"] as? String == "CopyJobs")
        let inputs = try #require(document["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["kinds"] as? [String: Int] } == [["backupJob": 107], ["copyJob": 21], ["restoreJob": 2]])
    }

    /// The example copy and restore listings are of the example jobs' estate: every copied and
    /// restored resource was backed up.
    @Test func theExampleListingsAreOneEstate() throws {
        func records(_ file: String, _ member: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("examples/" + file))
            return try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?[member] as? [[String: Any]])
        }
        let backups = try records("list-backup-jobs.json", "BackupJobs")
        let copies = try records("list-copy-jobs.json", "CopyJobs"), restores = try records("list-restore-jobs.json", "RestoreJobs")
        let resources = Set(backups.compactMap { $0["ResourceArn"] as? String })
        let copiedResources = Set(copies.compactMap { $0["ResourceArn"] as? String })
        let restoredResources = Set(restores.compactMap { $0["SourceResourceArn"] as? String })
        #expect(!copiedResources.isEmpty && copiedResources.isSubset(of: resources))
        #expect(!restoredResources.isEmpty && restoredResources.isSubset(of: resources))
        // Each copy names the backup job that made the recovery point it copied.
        let backupIDs = Set(backups.compactMap { $0["BackupJobId"] as? String })
        #expect(copies.allSatisfy { ($0["CreatedByBackupJobId"] as? String).map(backupIDs.contains) == true })
    }

    /// Only copy (or restore) jobs: nothing the rules read, so `check` refuses as for empty data
    /// (exit 2) and names what the inputs held; --allow-empty judges them: the rules, reading backup
    /// jobs the inputs did not hold at all, are not judged (exit 2 unless backup jobs may be absent).
    @Test(arguments: [["examples/list-copy-jobs.json"], ["examples/list-copy-jobs.json", "examples/list-restore-jobs.json"]])
    func aListingWithoutBackupJobsIsNotJudged(_ inputs: [String]) throws {
        let held = inputs.count == 1 ? "copy jobs" : "copy jobs and restore jobs"
        for command in [["check", "--rules", "rules/"], ["eval", "no job where State == FAILED"]] {
            let refused = try CLI.run(command + ["--jobs"] + inputs + Self.now)
            #expect(refused.status == 2, "\(command[0])")
            #expect(refused.output == "", "\(command[0])")
            #expect(refused.error.contains("the inputs hold no backup jobs, which the rules read (only \(held))"), "\(command[0]): \(refused.error)")
            #expect(refused.error.contains("--allow-empty"), "\(command[0])")
        }
        let allowed = try CLI.run(["check", "--rules", "rules/", "--allow-empty", "--jobs"] + inputs + Self.now)
        #expect(allowed.status == 2)
        #expect(allowed.output.hasSuffix("15 rules: 0 passed, 0 failed, 15 not judged; 0 findings\n"), "\(allowed.output)")
        #expect(allowed.error.contains("--allow-missing-kind backup"))
        let absentAllowed = try CLI.run(["check", "--rules", "rules/", "--allow-empty", "--allow-missing-kind", "backup", "--jobs"] + inputs + Self.now)
        #expect(absentAllowed.status == 0, "\(absentAllowed.error)")
        // An empty listing of backup jobs is given: its rules are judged, on nothing.
        let empty = try CLI.run(["check", "--rules", "rules/", "--allow-empty", "--strict", "--jobs", "-"] + Self.now, stdin: Data(#"{"BackupJobs":[]}"#.utf8))
        #expect(empty.status == 1)
    }

    /// An empty listing of backup jobs beside the example copies: the backup rules would be judged
    /// on nothing and the gate passed. Refused (exit 2) naming the kind and the rules, before any
    /// report; with --allow-empty, they are empty in every report, and only copy rules are judged.
    @Test func anEmptyBackupListingBesideCopiesIsRefused() throws {
        let inputs = ["-", "examples/list-copy-jobs.json", "examples/list-restore-jobs.json"]
        let empty = Data(#"{"BackupJobs": []}"#.utf8)
        let refused = try CLI.run(["check", "--rules", "rules/", "rules/copies-and-restores/", "--jobs"] + inputs + Self.now, stdin: empty)
        #expect(refused.status == 2, "\(refused.error)")
        #expect(refused.output == "")
        #expect(refused.error.contains("the inputs hold no backup jobs (an empty listing), which rules "), "\(refused.error)")
        #expect(refused.error.contains("--allow-empty"))
        let allowed = try CLI.run(["check", "--rules", "rules/", "rules/copies-and-restores/", "--allow-empty", "--report", "json", "--jobs"] + inputs + Self.now, stdin: empty)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(allowed.output.utf8)) as? [String: Any])
        let rules = try #require(document["rules"] as? [[String: Any]])
        let readingBackups = rules.filter { ($0["kinds"] as? [String])?.contains("backupJob") == true }
        #expect(!readingBackups.isEmpty)
        #expect(!readingBackups.contains { $0["status"] as? String == "pass" }, "\(readingBackups.map { $0["status"] ?? "" })")
    }

    /// With backup jobs beside them, copy and restore jobs change nothing the rules say.
    @Test func copyAndRestoreJobsBesideBackupJobsLeaveTheVerdictAlone() throws {
        let alone = try CLI.run(["check", "--rules", "rules/", "--report", "json", "--jobs", "examples/list-backup-jobs.json"] + Self.now)
        let together = try CLI.run(["check", "--rules", "rules/", "--report", "json", "--jobs"] + Self.estate + Self.now)
        #expect(alone.status == together.status)
        func results(_ output: String) throws -> [[String: String]] {
            let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            let rules = try #require(document["rules"] as? [[String: Any]])
            return rules.map { ["id": $0["id"] as? String ?? "", "status": $0["status"] as? String ?? ""] }
        }
        let expected = try results(alone.output)
        #expect(!expected.isEmpty)
        #expect(try results(together.output) == expected)
    }
}
