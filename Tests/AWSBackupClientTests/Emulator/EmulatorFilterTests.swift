import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Testing

/// Filters, checked against a straightforward filter of the same jobs.
@Suite struct EmulatorFilterTests {
    static let jobs = EmulatorFixtures.jobs(2000)

    struct FilterCase: Sendable, CustomTestStringConvertible {
        var query: [(String, String)]
        var matches: @Sendable (BackupJob) -> Bool
        var testDescription: String { query.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }

        init(_ query: [(String, String)], _ matches: @escaping @Sendable (BackupJob) -> Bool) {
            self.query = query
            self.matches = matches
        }
    }

    static func at(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }

    /// A creation time several jobs share, and one in the middle of the listing.
    static let sharedCreation: Timestamp = {
        var counts: [Timestamp: Int] = [:]
        for job in jobs { if let created = job.creationDate { counts[created, default: 0] += 1 } }
        return counts.filter { $0.value > 1 }.keys.sorted()[counts.filter { $0.value > 1 }.count / 2]
    }()
    static let sharedCompletion: Timestamp = jobs.compactMap(\.completionDate).sorted()[400]

    static func iso(_ time: Timestamp) -> String { time.iso8601 }

    static let cases: [FilterCase] = [
        FilterCase([("state", "FAILED")]) { $0.state == .failed },
        FilterCase([("state", "CREATED")]) { $0.state == .created },
        FilterCase([("resourceType", "EBS")]) { $0.resourceType == "EBS" },
        FilterCase([("resourceType", "Storage Gateway")]) { $0.resourceType == "Storage Gateway" },
        FilterCase([("resourceType", "Redshift")]) { _ in false },
        FilterCase([("accountId", "222222222222")]) { $0.accountId == "222222222222" },
        FilterCase([("accountId", "*")]) { _ in true },
        FilterCase([("backupVaultName", "dev_vault")]) { $0.backupVaultName == "dev_vault" },
        FilterCase([("resourceArn", "arn:aws:ec2:us-east-1:111111111111:volume/vol-7")]) {
            $0.resourceArn == "arn:aws:ec2:us-east-1:111111111111:volume/vol-7"
        },
        FilterCase([("parentJobId", "PARENT-3")]) { $0.parentJobId == "PARENT-3" },
        FilterCase([("messageCategory", "AccessDenied")]) { $0.messageCategory == "AccessDenied" },
        FilterCase([("messageCategory", "SUCCESS"), ("state", "COMPLETED")]) { $0.messageCategory == "SUCCESS" && $0.state == .completed },
        FilterCase([("messageCategory", "AGGREGATE_ALL")]) { _ in true },
        // createdAfter is inclusive, createdBefore exclusive: a job created exactly at the bound
        // is after it, and not before it.
        FilterCase([("createdAfter", iso(sharedCreation))]) { $0.creationDate.map { $0 >= sharedCreation } ?? false },
        FilterCase([("createdBefore", iso(sharedCreation))]) { $0.creationDate.map { $0 < sharedCreation } ?? false },
        FilterCase([("createdAfter", "2026-11-20T00:00:00Z"), ("createdBefore", "2026-11-25T00:00:00Z")]) {
            $0.creationDate.map { $0 >= at("2026-11-20T00:00:00Z") && $0 < at("2026-11-25T00:00:00Z") } ?? false
        },
        FilterCase([("createdAfter", "2026-11-25T00:00:00Z"), ("createdBefore", "2026-11-20T00:00:00Z")]) { _ in false },
        FilterCase([("createdAfter", "2026-11-20T06:30:00.500000Z")]) { $0.creationDate.map { $0 >= at("2026-11-20T06:30:00.500Z") } ?? false },
        FilterCase([("createdBefore", "2026-11-20T08:30:00+02:00")]) { $0.creationDate.map { $0 < at("2026-11-20T06:30:00Z") } ?? false },
        FilterCase([("completeAfter", iso(sharedCompletion))]) { $0.completionDate.map { $0 >= sharedCompletion } ?? false },
        FilterCase([("completeBefore", iso(sharedCompletion))]) { $0.completionDate.map { $0 < sharedCompletion } ?? false },
        FilterCase([("completeAfter", "2026-11-21T00:00:00Z"), ("completeBefore", "2026-11-22T00:00:00Z")]) {
            $0.completionDate.map { $0 >= at("2026-11-21T00:00:00Z") && $0 < at("2026-11-22T00:00:00Z") } ?? false
        },
        FilterCase([("state", "COMPLETED"), ("resourceType", "RDS"), ("accountId", "111111111111"), ("createdAfter", "2026-11-18T00:00:00Z")]) {
            $0.state == .completed && $0.resourceType == "RDS" && $0.accountId == "111111111111"
                && ($0.creationDate.map { $0 >= at("2026-11-18T00:00:00Z") } ?? false)
        },
        FilterCase([("backupVaultName", "prod-vault"), ("state", "RUNNING"), ("completeBefore", "2030-01-01T00:00:00Z")]) { _ in false },
    ]

    @Test(arguments: cases)
    func filter(_ filterCase: FilterCase) async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let expected = EmulatorFixtures.servingOrder(Self.jobs.filter(filterCase.matches))
        for size in [1000, 37] {
            let (ids, pages) = try await harness.listAll(filterCase.query, maxResults: size)
            #expect(ids == expected, "maxResults \(size)")
            #expect(pages.last?.ids.isEmpty == false || expected.isEmpty, "no empty trailing page")
        }
    }

    @Test func sharedBoundsAreShared() {
        // The boundary cases above only mean something if jobs sit exactly on the bounds.
        #expect(Self.jobs.filter { $0.creationDate == Self.sharedCreation }.count > 1)
        #expect(Self.jobs.contains { $0.completionDate == Self.sharedCompletion })
    }

    static let invalid: [(query: [(String, String)], fragment: String)] = [
        ([("maxResults", "0")], "greater than or equal to 1"),
        ([("maxResults", "1001")], "less than or equal to 1000"),
        ([("maxResults", "ten")], "not an integer"),
        ([("maxResults", "-5")], "not an integer"),
        ([("maxResults", "")], "length greater than or equal to 1"),
        ([("state", "DONE")], "enum value set"),
        ([("state", "failed")], "enum value set"),
        ([("createdAfter", "yesterday")], "not a valid timestamp"),
        ([("createdBefore", "2024-13-01T00:00:00Z")], "not a valid timestamp"),
        ([("completeAfter", "1704067200")], "not a valid timestamp"),
        ([("backupVaultName", "a")], "regular expression"),
        ([("backupVaultName", "bad/name")], "regular expression"),
        ([("resourceType", "EBS!")], "regular expression"),
        ([("accountId", "12345")], "regular expression"),
        ([("resourceArn", "")], "length greater than or equal to 1"),
        ([("byState", "FAILED")], "Unknown parameter 'byState'"),
        ([("MaxResults", "5")], "Unknown parameter 'MaxResults'"),
        ([("state", "FAILED"), ("state", "COMPLETED")], "more than once"),
    ]

    @Test(arguments: invalid)
    func invalidParameters(_ query: [(String, String)], _ fragment: String) async throws {
        let harness = try await EmulatorHarness.start(jobs: EmulatorFixtures.jobs(10))
        defer { Task { await harness.stop() } }
        let reply = try ErrorReply(try await harness.send(query))
        #expect(reply.status == 400)
        #expect(reply.type == "InvalidParameterValueException")
        #expect(reply.message.contains(fragment), "\(reply.message)")
        #expect(harness.emulator.statistics.invalidRequests == 1)
        #expect(harness.emulator.statistics.pagesServed == 0)
    }
}
