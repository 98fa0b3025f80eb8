import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import Synchronization
import Testing

/// Copy and restore jobs go through the same pager as backup jobs: every record once at any
/// parallelism and under faults, several operations into one listing, and one failure of any
/// operation fails the whole fetch.
@Suite(.serialized) struct FetcherKindsTests {
    // Every AWS job has a CreationDate; slices bound it (KindFixtures leaves a few out for the emulator's tests).
    static let copies = KindFixtures.copyJobs(900).filter { KindFixtures.time($0, "CreationDate") != nil }
    static let restores = KindFixtures.restoreJobs(700).filter { KindFixtures.time($0, "CreationDate") != nil }
    static let backups = spreadJobs(300)

    static func request(_ operation: ListOperation, parallel: Int = 1) -> FetchRequest {
        var request = FetchRequest(regions: ["us-east-1"], operation: operation)
        request.parallel = parallel
        request.pageSize = 50
        return request
    }

    static func ids(_ listing: Listing, _ kind: RecordKind) -> [String] {
        guard let table = listing[kind] else { return [] }
        return (0..<table.count).map { table.id(at: $0) }.sorted()
    }

    @Test(arguments: [(ListOperation.listCopyJobs, 1), (.listCopyJobs, 6), (.listRestoreJobs, 1), (.listRestoreJobs, 6)])
    func fetchesEveryRecordOnceUnderFaults(operation: ListOperation, parallel: Int) async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        harness.emulator.setFaults(FaultPlan(random: RandomFaults(probability: 0.3, seed: 7)))
        let result = try await harness.fetcher(Self.request(operation, parallel: parallel)).fetch()
        let expected = (operation.kind == .copyJob ? Self.copies : Self.restores).map(\.id).sorted()
        #expect(Self.ids(result.listing, operation.kind) == expected)
        #expect(result.listing.kinds == [operation.kind])
        #expect(result.record.operation == operation)
        #expect(result.record.retries > 0)
        #expect(result.record.retries == harness.emulator.statistics.faultsInjected)
        #expect(result.record.regions[0].slices == (parallel == 1 ? 1 : parallel * 4))
        #expect(result.listing.inputs.map(\.path) == ["\(harness.emulator.baseURL)\(operation.path) (us-east-1)"])
    }

    /// A looping listing of copy or restore jobs names its operation: the error said only the
    /// Region, though a fetch may page through several operations.
    @Test(arguments: [ListOperation.listCopyJobs, .listRestoreJobs])
    func aRepeatedTokenNamesItsOperation(operation: ListOperation) async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        harness.emulator.inject(.repeatToken, onRequest: 2)
        do {
            _ = try await harness.fetcher(Self.request(operation)).fetch()
            Issue.record("a looping listing returned a result")
        } catch {
            guard case .repeatedToken(let region, let name) = error else { throw error }
            #expect(region == "us-east-1" && name == operation.name)
            #expect(error.description.contains("\(operation.name) returned the same page token twice"))
        }
    }

    @Test func filtersGoOutUnderTheOperationsNames() async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        var request = Self.request(.listRestoreJobs, parallel: 3)
        try request.filter.set("ByStatus", "COMPLETED")
        try request.filter.set("ByRestoreTestingPlanArn", KindFixtures.plans[0])
        let result = try await harness.fetcher(request).fetch()
        let expected = Self.restores.filter {
            KindFixtures.string($0, "Status") == "COMPLETED" && KindFixtures.string($0, "CreatedBy.RestoreTestingPlanArn") == KindFixtures.plans[0]
        }
        #expect(!expected.isEmpty)
        #expect(Self.ids(result.listing, .restoreJob) == expected.map(\.id).sorted())
        #expect(result.record.filter.map(\.name) == ["status", "restoreTestingPlanArn"])
    }

    @Test(arguments: [1, 8])
    func severalOperationsMakeOneListing(parallel: Int) async throws {
        let harness = try await EmulatorHarness.start(backup: Self.backups, copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        let requests = [ListOperation.listBackupJobs, .listCopyJobs, .listRestoreJobs].map { Self.request($0, parallel: parallel) }
        let progress = ProgressLog()
        let fetcher = harness.fetcher(requests: requests, progress: { progress.append($0) })
        let result = try await fetcher.fetch()
        #expect(result.listing.kinds == [.backupJob, .copyJob, .restoreJob])
        #expect(Self.ids(result.listing, .backupJob) == Self.backups.map(\.backupJobId).sorted())
        #expect(Self.ids(result.listing, .copyJob) == Self.copies.map(\.id).sorted())
        #expect(Self.ids(result.listing, .restoreJob) == Self.restores.map(\.id).sorted())
        // One pool (Listing refuses tables that do not share one): a resource ARN has one string
        // id in the copy and the restore tables.
        let copyTable = try #require(result.listing[.copyJob]), restoreTable = try #require(result.listing[.restoreJob])
        let arn = "arn:aws:rds:us-east-1:111111111111:db:db-4"
        let copyIDs = Set((0..<copyTable.count).compactMap { copyTable.string(CopyJobField.resourceArn, at: $0) == arn ? copyTable.stringID(CopyJobField.resourceArn, at: $0) : nil })
        let restoreIDs = Set((0..<restoreTable.count).compactMap { restoreTable.string(RestoreJobField.sourceResourceArn, at: $0) == arn ? restoreTable.stringID(RestoreJobField.sourceResourceArn, at: $0) : nil })
        #expect(copyIDs.count == 1 && copyIDs == restoreIDs)
        #expect(result.records.map(\.operation) == [.listBackupJobs, .listCopyJobs, .listRestoreJobs])
        #expect(result.records.map { $0.regions[0].input.contains($0.operation.path) } == [true, true, true])
        let last = try #require(progress.last)
        #expect(last.kinds.map(\.kind) == [.backupJob, .copyJob, .restoreJob])
        #expect(last.kinds.map(\.jobs) == result.records.map { $0.regions[0].jobs })
    }

    /// One operation failing (here every request after the first few) fails everything: no
    /// listing of the kinds that did arrive.
    @Test func aFailureOfAnyOperationFailsTheWholeFetch() async throws {
        let harness = try await EmulatorHarness.start(backup: Self.backups, copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        let requests = [ListOperation.listBackupJobs, .listCopyJobs, .listRestoreJobs].map { Self.request($0) }
        harness.emulator.inject(.error(status: 400, type: "InvalidParameterValueException", message: "broken"), onRequest: 9)
        await #expect {
            try await harness.fetcher(requests: requests).fetch()
        } throws: { error in
            guard case FetchError.service(let service, _, _)? = error as? FetchError else { return false }
            return service.code == "InvalidParameterValueException"
        }
    }

    @Test(arguments: [ListOperation.listCopyJobs, .listRestoreJobs])
    func accessDeniedNamesThePermissionOfTheOperation(operation: ListOperation) async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        harness.emulator.updateFaults { $0.accessDenied = true }
        await #expect {
            try await harness.fetcher(Self.request(operation)).fetch()
        } throws: { error in
            "\(error)".contains("may not call backup:\(operation.name); grant it")
        }
    }

    @Test func aPageOfAnotherKindIsNotAListing() async throws {
        // A ListCopyJobs page holding restore jobs is refused: pages are read as the kind asked for.
        let harness = try await EmulatorHarness.start(copies: [], restores: Self.restores)
        defer { Task { await harness.stop() } }
        var request = Self.request(.listCopyJobs)
        request.filter = ListFilter(.listCopyJobs)
        let service = BackupService(
            region: "us-east-1", endpoint: harness.emulator.baseURL, credentials: harness.fetcherCredentials(), transport: harness.transport,
            retry: .quick, now: { EmulatorHarness.now })
        let page = try await service.list(ListFilter(.listRestoreJobs), nextToken: nil, maxResults: 5)
        var accumulator = PageAccumulator()
        #expect(throws: ListingInputError.self) { try accumulator.add(page: page.body, kind: .copyJob, input: "x", name: "page 1") }
    }

    @Test func maxItemsAndStartingTokenNeedOneOperation() async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        var copies = Self.request(.listCopyJobs)
        copies.maxItems = 10
        await #expect {
            try await harness.fetcher(requests: [copies, Self.request(.listRestoreJobs)]).fetch()
        } throws: { error in
            "\(error)".contains("page through one operation")
        }
        await #expect {
            try await harness.fetcher(requests: [Self.request(.listCopyJobs), Self.request(.listCopyJobs)]).fetch()
        } throws: { error in
            "\(error)".contains("each operation is fetched once")
        }
    }

    /// `--max-items` resume tokens for copy jobs cover the listing as for backup jobs.
    @Test func maxItemsResumesCopyJobs() async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: [])
        defer { Task { await harness.stop() } }
        var collected: [String] = []
        var token: String?
        var rounds = 0
        repeat {
            var request = Self.request(.listCopyJobs)
            request.maxItems = 73
            request.startingToken = token
            let result = try await harness.fetcher(request).fetch()
            collected += Self.ids(result.listing, .copyJob)
            token = result.record.resumeToken
            if token != nil { #expect(result.listing.completeness.gaps.contains { $0.recordKind == .copyJob }) }
            rounds += 1
        } while token != nil && rounds < 100
        #expect(collected.sorted() == Self.copies.map(\.id).sorted())
        #expect(Set(collected).count == collected.count)
    }
}

/// Progress reports, as they came.
final class ProgressLog: Sendable {
    private let entries = Mutex<[FetchProgress]>([])
    func append(_ progress: FetchProgress) { entries.withLock { $0.append(progress) } }
    var last: FetchProgress? { entries.withLock { $0.last } }
}
