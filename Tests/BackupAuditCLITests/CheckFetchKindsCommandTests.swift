import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import Testing

/// `check --fetch` with rules over copy and restore jobs, as a user runs it: the binary against
/// the emulator. The kinds the rules read are fetched through their operations (and no others),
/// judged, and named in the report; a fault on any one operation fails the whole check with
/// nothing judged.
@Suite(.serialized) struct CheckFetchKindsCommandTests {
    /// Copies of odd index are made by the second account (`FetchKindCommandTests.copies`): the
    /// copy rule fails for those; every restore runs in the home account: the restore rule passes.
    static let rules = """
        rule copies-in-home-account {
          title "Copies are made by the home account"
          every copy job satisfies AccountId == "111111111111"
        }

        rule restores-in-home-account {
          title "Restores run in the home account"
          every restore job satisfies AccountId == "111111111111"
        }

        """

    static func writeRules(_ setup: FetchCommandTests.Setup) throws -> String {
        let path = setup.path("kinds.rules")
        try rules.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func rule(_ id: String, in report: [String: Any]) throws -> [String: Any] {
        try #require((report["rules"] as? [[String: Any]])?.first { $0["id"] as? String == id }, "no rule \(id) in the report")
    }

    @Test func rulesOverCopyAndRestoreJobsFetchTheirOperationsAndJudgeTheRecords() async throws {
        let setup = try await FetchKindCommandTests.start()
        defer { Task { await setup.stop() } }
        let saved = setup.path("fetched.json")
        let result = try CLI.run(
            ["check", "--fetch", "--rules", try Self.writeRules(setup), "--report", "json", "--save-jobs", saved, "--page-size", "10"]
                + setup.endpoint,
            environment: setup.environment)
        #expect(result.status == 1, "the copy rule fails: \(result.error)")

        // Each kind through its own operation, every page of it.
        let requests = setup.emulator.statistics.requestsByOperation
        #expect(requests["ListCopyJobs"] == 6, "57 copy jobs in pages of 10: \(requests)")
        #expect(requests["ListRestoreJobs"] == 4, "31 restore jobs in pages of 10: \(requests)")
        #expect((requests["ListBackupJobs"] ?? 0) > 0, "backup jobs are always fetched: \(requests)")

        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let copies = try Self.rule("copies-in-home-account", in: report)
        #expect(copies["status"] as? String == "fail")
        #expect(copies["subjectKind"] as? String == "copy job")
        #expect(copies["recordKind"] as? String == "copyJob")
        #expect(copies["evaluated"] as? Int == 57)
        let findings = try #require(copies["findings"] as? [[String: Any]])
        let expected = FetchKindCommandTests.copies(57).filter { $0[CopyJobField.accountId] == .string("222222222222") }.map(\.id)
        #expect(findings.compactMap { $0["subject"] as? String }.sorted() == expected.sorted())
        for finding in findings {
            let records = (finding["evidence"] as? [String: Any])?["records"] as? [[String: String]]
            #expect(records == [["kind": "copyJob", "id": finding["subject"] as? String ?? ""]], "\(finding)")
        }

        let restores = try Self.rule("restores-in-home-account", in: report)
        #expect(restores["status"] as? String == "pass")
        #expect(restores["subjectKind"] as? String == "restore job")
        #expect(restores["evaluated"] as? Int == 31)
        #expect((restores["findings"] as? [Any])?.isEmpty == true)

        // The saved listing holds what was judged, each kind with its fetch record.
        let listing = try ListingLoader().load([saved])
        #expect(listing.kinds == [.backupJob, .copyJob, .restoreJob])
        #expect(listing[.copyJob]?.count == 57 && listing[.restoreJob]?.count == 31)
    }

    /// All or nothing: one operation refused (the role lacks that one permission) fails the check
    /// with exit status 3 before anything is judged, whatever the other operations returned.
    @Test(arguments: ["ListCopyJobs", "ListRestoreJobs"])
    func accessDeniedOnOneKindsOperationFailsTheWholeCheck(operation: String) async throws {
        let setup = try await FetchKindCommandTests.start { $0.faults = FaultPlan(deniedOperations: [operation]) }
        defer { Task { await setup.stop() } }
        let report = setup.path("report.json"), saved = setup.path("fetched.json")
        let result = try CLI.run(
            ["check", "--fetch", "--rules", try Self.writeRules(setup), "--report", "text", "--report", "json=\(report)", "--save-jobs", saved]
                + setup.endpoint,
            environment: setup.environment)
        #expect(result.status == 3, "\(result.error)")
        #expect(result.error.contains("may not call backup:\(operation)"), "\(result.error)")
        #expect(result.output.isEmpty, "nothing judged, nothing reported: \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: report), "a failed fetch leaves no report that could read as a result")
        #expect(!FileManager.default.fileExists(atPath: saved), "nor a listing that could be judged later as complete")
        let statistics = setup.emulator.statistics
        #expect((statistics.errorsByType["AccessDeniedException"] ?? 0) > 0)
        #expect(Set(statistics.requestsByOperation.keys).contains(operation))
    }

    /// Rules over backup jobs alone read no other kind: `check --fetch` calls ListBackupJobs only
    /// (no ListCopyJobs or ListRestoreJobs permission needed), and saves only backup jobs.
    @Test func rulesOverBackupJobsAloneFetchNoCopiesOrRestores() async throws {
        let setup = try await FetchKindCommandTests.start()
        defer { Task { await setup.stop() } }
        let saved = setup.path("fetched.json")
        let result = try CLI.run(
            ["check", "--fetch", "--rules", "rules/", "--now", "2026-11-28T12:00:00Z", "--save-jobs", saved, "--report", "json=\(setup.path("r.json"))"]
                + setup.endpoint,
            environment: setup.environment)
        #expect(result.status == 1, "judged, and the example data fails rules: \(result.error)")
        #expect(Set(setup.emulator.statistics.requestsByOperation.keys) == ["ListBackupJobs"])
        #expect(try ListingLoader().load([saved]).kinds == [.backupJob])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: saved))) as? [String: Any])
        #expect((document["BackupAuditFetch"] as? [String: Any])?["operation"] as? String == "ListBackupJobs")
    }
}
