import AWSBackupClient
import BackupJobs
import Foundation
import Testing

@testable import BackupServiceEmulator

/// The emulator over real HTTP: pages, order, paging, the JSON it writes.
@Suite struct EmulatorServingTests {
    @Test func signedRequestGetsAPage() async throws {
        let jobs = EmulatorFixtures.jobs(40)
        let harness = try await EmulatorHarness.start(jobs: jobs)
        defer { Task { await harness.stop() } }

        let response = try await harness.send()
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("x-amzn-RequestId")?.count == 36)
        let page = try Page(response)
        #expect(page.nextToken == nil)
        #expect(page.ids == EmulatorFixtures.servingOrder(jobs))

        let statistics = harness.emulator.statistics
        #expect(statistics.requests == 1)
        #expect(statistics.pagesServed == 1)
        #expect(statistics.jobsServed == 40)
        #expect(statistics.signatureFailures == 0)
    }

    /// Every member survives the trip: the emulator's JSON read back by backup-audit's decoder
    /// gives the jobs it was given (nested objects, options, escapes, unknown members).
    @Test(arguments: [TimestampNotation.decimal, .scientific])
    func jobsRoundTrip(_ notation: TimestampNotation) async throws {
        let jobs = EmulatorFixtures.jobs(300)
        let harness = try await EmulatorHarness.start(catalog: RecordCatalog(jobs: jobs, notation: notation))
        defer { Task { await harness.stop() } }

        let page = try Page(try await harness.send())
        let decoded = try page.jobs()
        #expect(decoded.count == jobs.count)
        let expected = Dictionary(uniqueKeysWithValues: jobs.map { ($0.backupJobId, $0) })
        for job in decoded {
            #expect(job == expected[job.backupJobId], "\(job.backupJobId)")
        }
        #expect(jobs.contains { !$0.additionalFields.isEmpty } && jobs.contains { $0.backupOptions != nil })
    }

    @Test func pageJSONHasTheAPIShape() throws {
        var job = BackupJob(backupJobId: "J1")
        job.creationDate = Timestamp(iso8601: "2024-01-02T03:04:05.123Z")
        job.completionDate = Timestamp(iso8601: "2024-01-02T03:04:05Z")
        job.state = .completed
        job.backupSizeInBytes = -5
        job.isParent = false
        var lifecycle = BackupJob.Lifecycle()
        lifecycle.deleteAfterDays = 7
        job.recoveryPointLifecycle = lifecycle
        job.createdBy = .init()
        job.backupOptions = ["b": "2", "a": "1"]
        job.statusMessage = "a\"b\\c\u{1F}"
        #expect(TableJSONWriter(RecordTable([job])).json(row: 0) == #"""
            {"BackupJobId":"J1","RecoveryPointLifecycle":{"DeleteAfterDays":7},"CreationDate":1704164645.123,"CompletionDate":1704164645.0,"State":"COMPLETED","StatusMessage":"a\"b\\c\u001f","BackupSizeInBytes":-5,"CreatedBy":{},"BackupOptions":{"a":"1","b":"2"},"IsParent":false}
            """#)
    }

    @Test(arguments: [
        (0, "0.0", "0.0"), (1_704_164_645_123, "1704164645.123", "1.704164645123E9"), (1_704_164_645_120, "1704164645.12", "1.70416464512E9"),
        (1_704_164_645_100, "1704164645.1", "1.7041646451E9"), (1_704_164_645_000, "1704164645.0", "1.704164645E9"),
        (1_704_164_645_005, "1704164645.005", "1.704164645005E9"), (1_704_164_645_050, "1704164645.05", "1.70416464505E9"),
        (10_000_000_000, "10000000.0", "1.0E7"), (9_999_999_999, "9999999.999", "9999999.999"), (-1_500, "-1.5", "-1.5"),
    ] as [(Int64, String, String)])
    func timestamps(_ milliseconds: Int64, _ decimal: String, _ scientific: String) throws {
        for (notation, text) in [(TimestampNotation.decimal, decimal), (.scientific, scientific)] {
            var out: [UInt8] = []
            JSONText.appendTimestamp(Timestamp(millisecondsSinceEpoch: milliseconds), to: &out, notation: notation)
            #expect(String(decoding: out, as: UTF8.self) == text)
        }
    }

    @Test func pagingReturnsEveryJobExactlyOnce() async throws {
        let jobs = EmulatorFixtures.jobs(3000)
        let harness = try await EmulatorHarness.start(jobs: jobs)
        defer { Task { await harness.stop() } }
        let expected = EmulatorFixtures.servingOrder(jobs)

        for size in [1000, 333, 64] {
            let (ids, pages) = try await harness.listAll(maxResults: size)
            #expect(ids == expected, "maxResults \(size)")
            #expect(Set(ids).count == jobs.count)
            #expect(pages.count == (jobs.count + size - 1) / size)
            #expect(pages.dropLast().allSatisfy { $0.ids.count == size })
        }
        let statistics = harness.emulator.statistics
        #expect(statistics.pagesServed == 3 + 10 + 47)
        #expect(statistics.jobsServed == 3 * jobs.count)
        // Keep-alive: the pooled connection is reused page after page.
        #expect(statistics.connections <= 2)
    }

    @Test func defaultPageSizeIsAThousand() async throws {
        let jobs = EmulatorFixtures.jobs(2500)
        let harness = try await EmulatorHarness.start(jobs: jobs)
        defer { Task { await harness.stop() } }
        let (ids, pages) = try await harness.listAll()
        #expect(pages.map(\.ids.count) == [1000, 1000, 500])
        #expect(ids == EmulatorFixtures.servingOrder(jobs))
    }

    @Test func maxResultsMayChangeBetweenPages() async throws {
        let jobs = EmulatorFixtures.jobs(100)
        let harness = try await EmulatorHarness.start(jobs: jobs)
        defer { Task { await harness.stop() } }
        let first = try Page(try await harness.send([("maxResults", "10")]))
        let token = try #require(first.nextToken)
        let second = try Page(try await harness.send([("maxResults", "50"), ("nextToken", token)]))
        let again = try Page(try await harness.send([("nextToken", token), ("maxResults", "50")]))
        #expect(second.ids == again.ids, "a token can be used again")
        let rest = try Page(try await harness.send([("nextToken", #require(second.nextToken))]))
        #expect(rest.nextToken == nil)
        #expect(first.ids + second.ids + rest.ids == EmulatorFixtures.servingOrder(jobs))
    }

    @Test func emptyListingAndEmptyFinalPage() async throws {
        let empty = try await EmulatorHarness.start(jobs: [])
        let page = try Page(try await empty.send())
        #expect(page.ids.isEmpty && page.nextToken == nil)
        #expect(String(decoding: page.body, as: UTF8.self) == #"{"BackupJobs":[]}"#)
        await empty.stop()

        let jobs = EmulatorFixtures.jobs(20)
        let harness = try await EmulatorHarness.start(jobs: jobs) { $0.endsWithEmptyPage = true }
        defer { Task { await harness.stop() } }
        let (ids, pages) = try await harness.listAll(maxResults: 10)
        #expect(pages.map(\.ids.count) == [10, 10, 0])
        #expect(ids.count == 20)
        let (filtered, filteredPages) = try await harness.listAll([("state", "COMPLETED")], maxResults: 1000)
        #expect(filteredPages.map(\.ids.count) == [filtered.count, 0])
    }

    /// A catalog from listing files serves what `ListingLoader` reads from them.
    @Test func catalogFromListingFiles() async throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")
        let paths = [examples.appendingPathComponent("list-backup-jobs.json").path, examples.appendingPathComponent("api-pages").path]
        let table = try ListingLoader().load(paths).backupJobs.asBackupJobs
        let catalog = try RecordCatalog(contentsOf: paths)
        #expect(catalog.count == table.count && catalog.count > 100)
        let harness = try await EmulatorHarness.start(catalog: catalog)
        defer { Task { await harness.stop() } }
        let (ids, pages) = try await harness.listAll(maxResults: 50)
        #expect(ids == catalog.jobIDs)
        #expect(Set(ids) == Set(table.map(\.backupJobId)))
        let served = try pages.flatMap { try $0.jobs() }
        let expected = Dictionary(uniqueKeysWithValues: table.map { ($0.backupJobId, $0) })
        #expect(served.allSatisfy { $0 == expected[$0.backupJobId] })
    }

    @Test func unknownOperationsAreNotFound() async throws {
        let harness = try await EmulatorHarness.start(jobs: EmulatorFixtures.jobs(3))
        defer { Task { await harness.stop() } }
        for (method, path) in [("GET", "/backup-jobs"), ("GET", "/backup-vaults/"), ("POST", "/backup-jobs/"), ("DELETE", "/backup-jobs/")] {
            let reply = try ErrorReply(try await harness.send(path: path, method: method))
            #expect(reply.status == 404 && reply.type == "UnknownOperationException", "\(method) \(path)")
        }
        #expect(harness.emulator.statistics.invalidRequests == 4)
    }

    @Test func servesConcurrentClients() async throws {
        let jobs = EmulatorFixtures.jobs(2000)
        let harness = try await EmulatorHarness.start(jobs: jobs)
        defer { Task { await harness.stop() } }
        let expected = EmulatorFixtures.servingOrder(jobs)
        try await withThrowingTaskGroup(of: [String].self) { group in
            for size in [100, 250, 400, 1000, 77, 500] {
                group.addTask { try await harness.listAll(maxResults: size).ids }
            }
            for try await ids in group { #expect(ids == expected) }
        }
    }

    /// SipHash-2-4's reference vectors (key 00…0f, messages 00, 00 01, …).
    @Test func sipHashVectors() {
        let hash = SipHash24(k0: 0x0706_0504_0302_0100, k1: 0x0F0E_0D0C_0B0A_0908)
        #expect(hash.hash([]) == 0x726F_DB47_DD0E_0E31)
        #expect(hash.hash([0]) == 0x74F8_39C5_93DC_67FD)
        #expect(hash.hash(Array(0..<8)) == 0x93F5_F579_9A93_2462)
        #expect(hash.hash(Array(0..<15)) == 0xA129_CA61_49BE_45E5)
    }

    @Test func base64() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        for bad in ["Zm8", "Zm9=v", "Z===", "Zm9v!mFy", "Zm9=", "Zm8==="] { #expect(Base64.decode(bad) == nil, "\(bad)") }
    }
}
