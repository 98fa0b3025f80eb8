import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Testing

/// Faults happen when scripted, drawn at random reproducibly, and change while running.
@Suite struct EmulatorFaultTests {
    static let jobs = EmulatorFixtures.jobs(1500)

    struct ErrorFault: Sendable, CustomTestStringConvertible {
        var fault: EmulatorFault
        var status: Int
        var type: String
        var message: String
        var testDescription: String { fault.description }
    }

    static let errorFaults: [ErrorFault] = [
        ErrorFault(fault: .throttling, status: 400, type: "ThrottlingException", message: "Rate exceeded"),
        ErrorFault(fault: .tooManyRequests(retryAfterSeconds: 7), status: 429, type: "TooManyRequestsException", message: "retry after 7"),
        ErrorFault(fault: .internalFailure, status: 500, type: "InternalFailure", message: "internal error"),
        ErrorFault(fault: .serviceUnavailable, status: 503, type: "ServiceUnavailableException", message: "unavailable"),
        ErrorFault(fault: .accessDenied, status: 403, type: "AccessDeniedException",
                   message: "User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: backup:ListBackupJobs on resource: *"),
        ErrorFault(fault: .error(status: 400, type: "ValidationException", message: "custom"), status: 400, type: "ValidationException", message: "custom"),
    ]

    @Test(arguments: errorFaults)
    func scriptedErrors(_ expected: ErrorFault) async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.faults = FaultPlan(scripted: [3: expected.fault]) }
        defer { Task { await harness.stop() } }
        let first = try Page(try await harness.send([("maxResults", "100")]))
        let second = try await harness.send([("maxResults", "100"), ("nextToken", #require(first.nextToken))])
        #expect(second.status == 200)
        // The third request gets the fault; retrying it (the fourth) works.
        let third = try await harness.send([("maxResults", "100"), ("nextToken", #require(first.nextToken))])
        let reply = try ErrorReply(third)
        #expect(reply.status == expected.status)
        #expect(reply.type == expected.type)
        #expect(reply.message.contains(expected.message), "\(reply.message)")
        if case .tooManyRequests(let seconds) = expected.fault {
            #expect(third.header("Retry-After") == String(seconds))
        }
        let retried = try await harness.send([("maxResults", "100"), ("nextToken", #require(first.nextToken))])
        #expect(try Page(retried).ids == Page(second).ids)
        let statistics = harness.emulator.statistics
        #expect(statistics.requests == 4 && statistics.pagesServed == 3 && statistics.faultsInjected == 1)
        #expect(statistics.errorsByType == [expected.type: 1])
    }

    @Test func droppedConnection() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        #expect(try await harness.send().status == 200)
        harness.emulator.injectNext(.dropConnection)
        do {
            let response = try await harness.send()
            Issue.record("a dropped connection must not give a response: \(response.status)")
        } catch {
            #expect(error.kind == .connection, "\(error)")
        }
        // The fault is for one request only.
        #expect(try await harness.send().status == 200)
        #expect(harness.emulator.statistics.faultsInjected == 1)
    }

    @Test func connectionDroppedMidBody() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        harness.emulator.inject(.dropMidBody, onRequest: 1)
        do {
            let response = try await harness.send()
            Issue.record("a cut body must not arrive as a response: \(response.status), \(response.body.count) bytes")
        } catch {
            #expect(error.kind == .connection, "\(error)")
        }
        #expect(try await harness.send().status == 200)
        #expect(harness.emulator.statistics.faultsInjected == 1)
        #expect(harness.emulator.statistics.connections >= 2)
    }

    @Test func slowPage() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        harness.emulator.inject(.delay(milliseconds: 400), onRequest: 2)
        #expect(try await harness.send().status == 200)
        let started = ContinuousClock.now
        #expect(try await harness.send().status == 200)
        #expect(ContinuousClock.now - started >= .milliseconds(400))
    }

    @Test func latencyPerPage() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.faults.latency = .milliseconds(50) }
        defer { Task { await harness.stop() } }
        let started = ContinuousClock.now
        let (ids, pages) = try await harness.listAll(maxResults: 500)
        let elapsed = ContinuousClock.now - started
        #expect(pages.count == 3 && ids.count == Self.jobs.count)
        #expect(elapsed >= .milliseconds(150))
        harness.emulator.updateFaults { $0.latency = .zero }
        #expect(harness.emulator.faults == .none)
    }

    @Test func accessDeniedMode() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        #expect(try await harness.send().status == 200)
        harness.emulator.updateFaults { $0.accessDenied = true }
        for _ in 0..<3 {
            let reply = try ErrorReply(try await harness.send())
            #expect(reply.status == 403 && reply.type == "AccessDeniedException")
            #expect(reply.message == EmulatorFault.accessDeniedMessage)
        }
        // Authentication still comes first.
        let wrong = Credentials(accessKeyID: "AKIAUNKNOWN000000000", secretAccessKey: "x")
        #expect(try ErrorReply(try await harness.send(credentials: wrong)).type == "UnrecognizedClientException")
        harness.emulator.setFaults(.none)
        #expect(try await harness.send().status == 200)
    }

    /// What each of `count` requests got: a status, or 0 for a dropped connection.
    func outcomes(_ harness: EmulatorHarness, count: Int) async throws -> [Int] {
        var outcomes: [Int] = []
        for _ in 0..<count {
            do {
                outcomes.append(try await harness.send([("maxResults", "20")]).status)
            } catch {
                outcomes.append(0)
            }
        }
        return outcomes
    }

    @Test func randomFaultsAreReproducible() async throws {
        let plan = FaultPlan(random: RandomFaults(probability: 0.3, seed: 7))
        let one = try await EmulatorHarness.start(jobs: Self.jobs) { $0.faults = plan }
        let two = try await EmulatorHarness.start(jobs: Self.jobs) { $0.faults = plan }
        let first = try await outcomes(one, count: 80)
        let second = try await outcomes(two, count: 80)
        #expect(first == second)
        let faulted = first.filter { $0 != 200 }.count
        #expect((8...45).contains(faulted), "\(faulted) of 80")
        #expect(one.emulator.statistics.faultsInjected == faulted)
        #expect(Set(first).isSubset(of: [200, 400, 429, 500, 503, 0]))

        // Another seed, another sequence; setting the plan again restarts it.
        one.emulator.setFaults(FaultPlan(random: RandomFaults(probability: 0.3, seed: 8)))
        let reseeded = try await outcomes(one, count: 80)
        #expect(reseeded != first)
        one.emulator.setFaults(plan)
        #expect(try await outcomes(one, count: 80) == first)
        await one.stop()
        await two.stop()
    }

    @Test func randomFaultKindsAndCertainty() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) {
            $0.faults = FaultPlan(random: RandomFaults(probability: 1, seed: 1, kinds: [.serviceUnavailable]))
        }
        defer { Task { await harness.stop() } }
        #expect(try await outcomes(harness, count: 10) == Array(repeating: 503, count: 10))
        // A scripted fault takes precedence over a random one.
        harness.emulator.injectNext(.throttling)
        #expect(try await outcomes(harness, count: 1) == [400])
        harness.emulator.updateFaults { $0.random?.probability = 0 }
        #expect(try await outcomes(harness, count: 10) == Array(repeating: 200, count: 10))
    }
}
