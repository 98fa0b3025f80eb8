import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import Synchronization
import Testing

/// The fetcher against the emulator over loopback HTTP: every job exactly once, whatever fails on
/// the way, and never a partial listing reported as a result.
@Suite(.serialized) struct JobFetcherTests {
    static let jobs = spreadJobs(2_345)

    func request(parallel: Int = 1, pageSize: Int? = 100) -> FetchRequest {
        var request = FetchRequest(regions: ["us-east-1"])
        request.parallel = parallel
        request.pageSize = pageSize
        return request
    }

    @Test(arguments: [1, 3, 8])
    func fetchesEveryJobOnce(parallel: Int) async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let result = try await harness.fetcher(request(parallel: parallel)).fetch()
        #expect(result.listing.jobIDs == Self.jobs.map(\.backupJobId).sorted())
        #expect(result.listing.backupJobs.count == Self.jobs.count)
        #expect(result.record.retries == 0)
        let region = try #require(result.record.regions.first)
        #expect(region.slices == (parallel == 1 ? 1 : parallel * 4))
        #expect(region.requests == region.pages)
        // Slices overlap by a second at each boundary: a few jobs may come twice, never fewer.
        #expect(region.jobs >= Self.jobs.count)
        #expect(result.listing.inputs.map(\.path) == ["\(harness.emulator.baseURL)/backup-jobs/ (us-east-1)"])
    }

    @Test(arguments: [1, 6])
    func survivesTransientFaults(parallel: Int) async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) {
            $0.faults = FaultPlan(random: RandomFaults(probability: 0.3, seed: 42))
        }
        defer { Task { await harness.stop() } }
        let result = try await harness.fetcher(request(parallel: parallel)).fetch()
        #expect(result.listing.jobIDs == Self.jobs.map(\.backupJobId).sorted())
        #expect(result.record.retries > 0)
        #expect(result.record.retries == harness.emulator.statistics.faultsInjected)
    }

    @Test func parallelMatchesSerialJobForJob() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let serial = try await harness.fetcher(request(parallel: 1)).fetch().listing.backupJobs.asBackupJobs
        let parallel = try await harness.fetcher(request(parallel: 5)).fetch().listing.backupJobs.asBackupJobs
        let bySerialID = Dictionary(uniqueKeysWithValues: serial.map { ($0.backupJobId, $0) })
        #expect(parallel.count == serial.count)
        for job in parallel { #expect(bySerialID[job.backupJobId] == job) }
    }

    @Test func filtersNarrowEverySlice() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        var filtered = request(parallel: 4)
        try filtered.filter.set("ByState", "FAILED")
        filtered.filter.createdAfter = Timestamp(iso8601: "2026-11-10T00:00:00Z")
        let result = try await harness.fetcher(filtered).fetch()
        let expected = Self.jobs.filter { $0.state == .failed && $0.creationDate! > filtered.filter.createdAfter! }
        #expect(!expected.isEmpty)
        #expect(result.listing.jobIDs == expected.map(\.backupJobId).sorted())
        #expect(result.listing.inputs[0].path.hasSuffix("/backup-jobs/?state=FAILED&createdAfter=2026-11-10T00%3A00%3A00Z (us-east-1)"))
    }

    @Test func maxItemsHandsOutResumeTokensThatCoverEverything() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        var collected: [String] = []
        var token: String?
        var rounds = 0
        repeat {
            var part = request()
            part.maxItems = 250
            part.startingToken = token
            let result = try await harness.fetcher(part).fetch()
            collected += result.listing.backupJobs.asBackupJobs.map(\.backupJobId)
            #expect(result.listing.backupJobs.count == min(250, Self.jobs.count - rounds * 250))
            token = result.record.resumeToken
            rounds += 1
        } while token != nil && rounds < 20
        #expect(rounds == 10)
        #expect(collected.count == Self.jobs.count)
        #expect(collected.sorted() == Self.jobs.map(\.backupJobId).sorted())
    }

    @Test func resumeTokenMidPageHasBotocoresShape() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        var part = request()
        part.maxItems = 150
        let result = try await harness.fetcher(part).fetch()
        let token = try #require(result.record.resumeToken)
        let json = String(decoding: Data(base64Encoded: token)!, as: UTF8.self)
        // Page 2 was cut after 50 jobs: resume from the token that fetched page 2, skipping 50.
        #expect(json.hasPrefix("{\"NextToken\": \""))
        #expect(json.hasSuffix("\", \"boto_truncate_amount\": 50}"))
    }

    @Test func accessDeniedFailsAtOnceNamingThePermission() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.faults = FaultPlan(accessDenied: true) }
        defer { Task { await harness.stop() } }
        do {
            _ = try await harness.fetcher(request(parallel: 4)).fetch()
            Issue.record("an access-denied fetch returned a listing")
        } catch {
            guard case .service(let service, let region, let attempts) = error else { throw error }
            #expect(service.code == "AccessDeniedException")
            #expect(region == "us-east-1")
            #expect(attempts == 1)
            #expect(error.description.contains("backup:ListBackupJobs"))
            #expect(error.description.contains("arn:aws:sts::123456789012:assumed-role/x/y"))
        }
        // The probe failed, so no slice was ever sent.
        #expect(harness.emulator.statistics.requests == 1)
    }

    @Test func persistentFailureGivesUpAfterMaxAttempts() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) {
            $0.faults = FaultPlan(random: RandomFaults(probability: 1, seed: 1, kinds: [.serviceUnavailable]))
        }
        defer { Task { await harness.stop() } }
        do {
            _ = try await harness.fetcher(request(), retry: RetryPolicy(maxAttempts: 4, base: .milliseconds(1), cap: .milliseconds(2))).fetch()
            Issue.record("a failing service returned a listing")
        } catch {
            guard case .service(let service, _, let attempts) = error else { throw error }
            #expect(service.code == "ServiceUnavailableException")
            #expect(attempts == 4)
            #expect(error.description.contains("after 4 attempts"))
        }
        #expect(harness.emulator.statistics.requests == 4)
    }

    @Test func failureMidListingReturnsNothing() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        // Pages 1-3 succeed, then every request is denied: the first three pages must not surface.
        harness.emulator.updateFaults { plan in
            for number in 4...40 { plan.scripted[number] = .error(status: 400, type: "ValidationException", message: "bad") }
        }
        await #expect(throws: FetchError.self) { try await harness.fetcher(request()).fetch() }
    }

    @Test func aRepeatedPageTokenStopsTheFetch() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        // Page 3 answers with the token that asked for it: paging on would never end.
        harness.emulator.inject(.repeatToken, onRequest: 3)
        do {
            _ = try await harness.fetcher(request()).fetch()
            Issue.record("a looping listing returned a result")
        } catch {
            guard case .repeatedToken(let region, let operation) = error else { throw error }
            #expect(region == "us-east-1" && operation == "ListBackupJobs")
            #expect(error.description == "us-east-1: ListBackupJobs returned the same page token twice; stopping instead of looping")
        }
        #expect(harness.emulator.statistics.requests == 3)
    }

    @Test func wrongSecretIsNotRetried() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs, credentials: [Credentials(accessKeyID: EmulatorHarness.key.accessKeyID, secretAccessKey: "another")])
        defer { Task { await harness.stop() } }
        do {
            _ = try await harness.fetcher(request()).fetch()
            Issue.record("a rejected signature returned a listing")
        } catch {
            guard case .service(let service, _, let attempts) = error else { throw error }
            #expect(service.code == "InvalidSignatureException")
            #expect(attempts == 1)
        }
    }

    @Test func cancellationStopsPromptly() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.faults = FaultPlan(latency: .seconds(5)) }
        defer { Task { await harness.stop() } }
        let fetcher = harness.fetcher(request(parallel: 4))
        let task = Task { try await fetcher.fetch() }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        task.cancel()
        let outcome = await task.result
        #expect(ContinuousClock.now - started < .seconds(3))
        guard case .failure(let error) = outcome, case .cancelled? = error as? FetchError else {
            Issue.record("expected cancellation, got \(outcome)")
            return
        }
    }

    @Test func progressCountsEveryPage() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let seen = Mutex<[FetchProgress]>([])
        let result = try await harness.fetcher(request(parallel: 3), progress: { update in seen.withLock { $0.append(update) } }).fetch()
        let updates = seen.withLock { $0 }
        #expect(updates.count == result.record.pages)
        #expect(updates.last?.jobs == result.record.regions[0].jobs)
        #expect(updates.map(\.pages) == Array(1...result.record.pages))
    }

    @Test func debugLogNeverHoldsSecrets() async throws {
        let harness = try await EmulatorHarness.start(jobs: Array(Self.jobs.prefix(10))) {
            $0.faults = FaultPlan(scripted: [1: .throttling])
        }
        defer { Task { await harness.stop() } }
        let lines = Mutex<[String]>([])
        _ = try await harness.fetcher(request(), debug: { line in lines.withLock { $0.append(line) } }).fetch()
        let log = lines.withLock { $0.joined(separator: "\n") }
        #expect(log.contains("ThrottlingException"))
        #expect(log.contains("retrying"))
        #expect(!log.contains(EmulatorHarness.key.secretAccessKey))
        #expect(!log.contains(EmulatorHarness.key.accessKeyID))
        #expect(log.contains("Signature=REDACTED"))
        #expect(log.firstMatch(of: /Signature=[0-9a-f]{64}/) == nil)
    }
}

/// Several Regions in one fetch, and Regions an account has not enabled.
@Suite(.serialized) struct MultiRegionFetchTests {
    static let jobs = spreadJobs(300)

    @Test func everyRegionIsAnInputOfItsOwn() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        var request = FetchRequest(regions: ["us-east-1", "eu-west-1", "ap-southeast-2"])
        request.parallel = 4
        request.pageSize = 50
        let result = try await harness.fetcher(request).fetch()
        // The emulator serves the same jobs in every Region: they merge into one table.
        #expect(result.listing.jobIDs == Self.jobs.map(\.backupJobId).sorted())
        #expect(result.listing.inputs.count == 3)
        #expect(result.record.regions.map(\.name) == ["us-east-1", "eu-west-1", "ap-southeast-2"])
        #expect(result.record.regions.allSatisfy { $0.jobs >= Self.jobs.count && $0.skipped == nil })
    }

    @Test func allRegionsSkipsOptInRegionsThatAreNotEnabled() async throws {
        let disabled: Set<String> = ["af-south-1", "me-south-1", "ap-east-1"]
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.disabledRegions = disabled }
        defer { Task { await harness.stop() } }
        var request = FetchRequest(regions: Endpoints.allRegions)
        request.parallel = 8
        request.skipsDisabledOptInRegions = true
        let result = try await harness.fetcher(request).fetch()
        #expect(Set(result.record.skippedRegions.map(\.name)) == disabled)
        #expect(result.record.skippedRegions.allSatisfy { $0.skipped!.contains("UnrecognizedClientException") })
        #expect(result.listing.inputs.count == Endpoints.allRegions.count - disabled.count)
        #expect(result.listing.jobIDs == Self.jobs.map(\.backupJobId).sorted())
    }

    @Test func aRegionAskedForByNameIsNeverSkipped() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.disabledRegions = ["af-south-1"] }
        defer { Task { await harness.stop() } }
        var request = FetchRequest(regions: ["us-east-1", "af-south-1"])
        request.skipsDisabledOptInRegions = false
        await #expect(throws: FetchError.self) { try await harness.fetcher(request).fetch() }
    }

    @Test func aCommercialRegionThatRejectsTheKeyFailsEvenWithAllRegions() async throws {
        // us-east-1 is not an opt-in Region: the same answer there means bad credentials.
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.disabledRegions = ["us-east-1"] }
        defer { Task { await harness.stop() } }
        var request = FetchRequest(regions: Endpoints.allRegions)
        request.skipsDisabledOptInRegions = true
        await #expect(throws: FetchError.self) { try await harness.fetcher(request).fetch() }
    }
}

/// AWS quotes the canonical request in a signature error, and with it the session token: the
/// message the user sees must not.
@Suite struct SecretScrubbingTests {
    @Test func signatureErrorsDoNotQuoteTheSessionToken() async throws {
        let token = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN1234567890"
        let accepted = Credentials(accessKeyID: "ASIAEMULATORTEST0002", secretAccessKey: "the-right-secret", sessionToken: token)
        let harness = try await EmulatorHarness.start(jobs: spreadJobs(3), credentials: [accepted])
        defer { Task { await harness.stop() } }
        let environment = ProviderEnvironment(
            variables: ["AWS_ACCESS_KEY_ID": accepted.accessKeyID, "AWS_SECRET_ACCESS_KEY": "a-wrong-secret", "AWS_SESSION_TOKEN": token],
            home: nil, now: { EmulatorHarness.now }, transport: harness.transport)
        let service = BackupService(
            region: "us-east-1", endpoint: harness.emulator.baseURL,
            credentials: RefreshingCredentials(EnvironmentCredentialProvider(environment: environment), environment: environment),
            transport: harness.transport, retry: .quick, now: { EmulatorHarness.now })
        do {
            _ = try await service.list(ListFilter(), nextToken: nil, maxResults: nil)
            Issue.record("a wrong secret was accepted")
        } catch {
            guard case .service(let service, _, _) = error else { throw error }
            #expect(service.code == "InvalidSignatureException")
            #expect(service.message.contains("Canonical String"), "the emulator quotes the canonical request, as AWS does")
            #expect(!error.description.contains(token))
            #expect(!error.description.contains(accepted.accessKeyID))
        }
    }
}
