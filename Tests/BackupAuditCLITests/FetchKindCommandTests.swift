import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import Testing

/// `fetch --kind copy|restore` as a user runs it: the AWS CLI's filters of each operation, a
/// saved listing of that kind with its fetch record, usage errors for another operation's
/// filters, exit status 3 naming the operation's permission.
@Suite(.serialized) struct FetchKindCommandTests {
    static func copies(_ count: Int) -> [Record] {
        (0..<count).map { i in
            var record = Record(.copyJob, id: "COPY-\(i)")
            record[CopyJobField.accountId] = .string(i % 2 == 0 ? "111111111111" : "222222222222")
            record[CopyJobField.state] = .string(i % 3 == 0 ? "FAILED" : "COMPLETED")
            record[CopyJobField.destinationBackupVaultArn] = .string("arn:aws:backup:us-west-2:999999999999:backup-vault:dr-\(i % 2)")
            record[CopyJobField.creationDate] = .timestamp(Timestamp(iso8601: "2026-11-27T00:00:00Z")!.adding(minutes: -i))
            return record
        }
    }

    static func restores(_ count: Int) -> [Record] {
        (0..<count).map { i in
            var record = Record(.restoreJob, id: "RESTORE-\(i)")
            record[RestoreJobField.accountId] = .string("111111111111")
            record[RestoreJobField.status] = .string(i % 4 == 0 ? "FAILED" : "COMPLETED")
            if i % 2 == 0 { record[RestoreJobField.createdByRestoreTestingPlanArn] = .string("arn:aws:backup:us-east-1:111111111111:restore-testing-plan:weekly") }
            record[RestoreJobField.creationDate] = .timestamp(Timestamp(iso8601: "2026-11-27T00:00:00Z")!.adding(minutes: -7 * i))
            return record
        }
    }

    static func start(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) async throws -> FetchCommandTests.Setup {
        try await FetchCommandTests.start { configuration in
            configuration.serve(RecordCatalog(table: RecordTable(copies(57), kind: .copyJob)))
            configuration.serve(RecordCatalog(table: RecordTable(restores(31), kind: .restoreJob)))
            configure(&configuration)
        }
    }

    @Test(arguments: [("copy", RecordKind.copyJob, 57), ("restore", .restoreJob, 31)])
    func fetchSavesTheKindWithItsOperation(kind: String, recordKind: RecordKind, count: Int) async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let out = setup.path("\(kind).json")
        let result = try CLI.run(["fetch", "--kind", kind, "--out", out, "--page-size", "10", "--parallel", "3"] + setup.endpoint, environment: setup.environment)
        #expect(result.status == 0, "\(result.error)")
        let saved = try ListingLoader().load([out])
        #expect(saved.kinds == [recordKind])
        #expect(saved[recordKind]?.count == count)
        #expect(saved.completeness == .complete)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        #expect(document[recordKind.member] is [Any])
        let record = try #require(document["BackupAuditFetch"] as? [String: Any])
        #expect(record["operation"] as? String == recordKind.operation)
        #expect(record["kind"] as? String == recordKind.rawValue)
        #expect((record["accounts"] as? [String])?.first == "111111111111")
        let regions = try #require(record["regions"] as? [[String: Any]])
        #expect((regions.first?["jobs"] as? Int ?? 0) >= count)
    }

    @Test func filtersAreTheOperationsAndGoOutUnderItsQueryNames() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let copies = try CLI.run(
            ["fetch", "--kind", "copy", "--by-destination-vault-arn", "arn:aws:backup:us-west-2:999999999999:backup-vault:dr-1",
             "--by-state", "COMPLETED", "--by-created-after", "2026-11-26T23:00:00Z"] + setup.endpoint,
            environment: setup.environment)
        #expect(copies.status == 0, "\(copies.error)")
        let listing = try ListingLoader().load(bytes: Array(copies.output.utf8), name: "stdout")
        let expected = Self.copies(57).filter { record in
            record[CopyJobField.destinationBackupVaultArn] == .string("arn:aws:backup:us-west-2:999999999999:backup-vault:dr-1")
                && record[CopyJobField.state] == .string("COMPLETED")
        }.filter { if case .timestamp(let t)? = $0[CopyJobField.creationDate] { t >= Timestamp(iso8601: "2026-11-26T23:00:00Z")! } else { false } }
        #expect(!expected.isEmpty)
        #expect(listing[.copyJob].map { table in (0..<table.count).map { table.id(at: $0) }.sorted() } == expected.map(\.id).sorted())
        let document = try #require(try JSONSerialization.jsonObject(with: Data(copies.output.utf8)) as? [String: Any])
        let filters = try #require((document["BackupAuditFetch"] as? [String: Any])?["filters"] as? [String: String])
        #expect(Set(filters.keys) == ["destinationVaultArn", "state", "createdAfter"])

        let restores = try CLI.run(
            ["fetch", "--kind", "restore", "--by-status", "COMPLETED",
             "--by-restore-testing-plan-arn", "arn:aws:backup:us-east-1:111111111111:restore-testing-plan:weekly"] + setup.endpoint,
            environment: setup.environment)
        #expect(restores.status == 0, "\(restores.error)")
        let restored = try ListingLoader().load(bytes: Array(restores.output.utf8), name: "stdout")
        let expectedRestores = Self.restores(31).filter { $0[RestoreJobField.status] == .string("COMPLETED") && $0[RestoreJobField.createdByRestoreTestingPlanArn] != nil }
        #expect(restored[.restoreJob]?.count == expectedRestores.count)
    }

    static let usageErrors: [(arguments: [String], message: String)] = [
        (["--kind", "restore", "--by-destination-vault-arn", "arn:x"],
         "--by-destination-vault-arn filters copy jobs, not restore jobs (ListRestoreJobs has no such filter); drop it or fetch --kind copy"),
        (["--kind", "backup", "--by-status", "COMPLETED"], "--by-status filters restore jobs, not backup jobs"),
        (["--by-restore-testing-plan-arn", "arn:x"], "--by-restore-testing-plan-arn filters restore jobs, not backup jobs"),
        (["--kind", "copy", "--by-backup-vault-name", "Default"], "--by-backup-vault-name filters backup jobs, not copy jobs"),
        (["--kind", "restore", "--by-state", "COMPLETED"], "--by-state filters backup jobs and copy jobs, not restore jobs"),
        (["--kind", "copy", "--by-state", "PENDING"], "--by-state PENDING is not a copy job state; states: CREATED, RUNNING, COMPLETED, FAILED, PARTIAL"),
        (["--kind", "restore", "--by-status", "EXPIRED"], "--by-status EXPIRED is not a restore job state"),
        (["--kind", "restore", "--by-account-id", "12"], "--by-account-id '12' is not a 12-digit account id"),
        (["--kind", "copy", "--by-account-id", "*"],
         "--by-account-id '*' (every account of an organization) is documented for ListBackupJobs only; ListCopyJobs takes one 12-digit account id"),
        (["--kind", "restore", "--by-account-id", "*"], "ListRestoreJobs takes one 12-digit account id: fetch the restore jobs of each account"),
        (["--kind", "snapshot"], "snapshot"),
    ]

    @Test(arguments: usageErrors)
    func anotherOperationsFilterIsAUsageErrorNamingTheKind(arguments: [String], message: String) async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let result = try CLI.run(["fetch"] + arguments + setup.endpoint, environment: setup.environment)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "\(result.error)")
        #expect(setup.emulator.statistics.requests == 0, "nothing is sent for a usage error")
    }

    /// `*` for every account of an organization is documented for ListBackupJobs alone: passed on
    /// there; refused before any request for copy and restore jobs, by `fetch --kind` and by
    /// `check --fetch` with rules over them (a silently narrower fetch would misjudge them).
    @Test func everyAccountIsPassedOnForBackupJobsAndRefusedForTheOtherKinds() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let backups = try CLI.run(["fetch", "--by-account-id", "*"] + setup.endpoint, environment: setup.environment)
        #expect(backups.status == 0, "\(backups.error)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(backups.output.utf8)) as? [String: Any])
        #expect(((document["BackupAuditFetch"] as? [String: Any])?["filters"] as? [String: String])?["accountId"] == "*")
        #expect(setup.emulator.statistics.pagesServed > 0 && setup.emulator.statistics.invalidRequests == 0)

        let rules = setup.path("copies.rules")
        try """
            rule copies-done {
              title "Copies complete"
              every copy job satisfies State == COMPLETED
            }

            """.write(toFile: rules, atomically: true, encoding: .utf8)
        setup.emulator.resetStatistics()
        let check = try CLI.run(["check", "--fetch", "--rules", rules, "--by-account-id", "*"] + setup.endpoint, environment: setup.environment)
        #expect(check.status == 2, "\(check.error)")
        #expect(check.error.contains("ListCopyJobs takes one 12-digit account id"), "\(check.error)")
        #expect(setup.emulator.statistics.requests == 0, "nothing is sent")
    }

    @Test(arguments: [("copy", "ListCopyJobs", "copy jobs"), ("restore", "ListRestoreJobs", "restore jobs")])
    func accessDeniedExitsThreeNamingTheOperationsPermission(kind: String, operation: String, noun: String) async throws {
        let setup = try await Self.start { $0.faults = FaultPlan(accessDenied: true) }
        defer { Task { await setup.stop() } }
        let out = setup.path("jobs.json")
        let result = try CLI.run(["fetch", "--kind", kind, "--out", out] + setup.endpoint, environment: setup.environment)
        #expect(result.status == 3)
        #expect(result.error.contains("fetching \(noun) failed"), "\(result.error)")
        #expect(result.error.contains("may not call backup:\(operation)"), "\(result.error)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func progressAndSummaryNameTheKind() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let result = try CLI.run(
            ["fetch", "--kind", "copy", "--page-size", "5", "--endpoint-url", setup.emulator.baseURL, "--region", "us-east-1"],
            environment: setup.environment)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("fetched 57 copy jobs in 12 pages"), "\(result.error)")
    }
}

extension Timestamp {
    func adding(minutes: Int) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + Int64(minutes) * 60_000)
    }
}
