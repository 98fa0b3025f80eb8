import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Testing

/// `NextToken`s: opaque, bound to their filters, rejected when changed.
@Suite struct EmulatorTokenTests {
    static let jobs = EmulatorFixtures.jobs(500)

    func firstToken(_ harness: EmulatorHarness, _ query: [(String, String)] = []) async throws -> String {
        let page = try Page(try await harness.send(query + [("maxResults", "10")]))
        return try #require(page.nextToken)
    }

    func expectRejected(_ harness: EmulatorHarness, _ query: [(String, String)], _ fragment: String = "Invalid NextToken") async throws {
        let reply = try ErrorReply(try await harness.send(query))
        #expect(reply.status == 400)
        #expect(reply.type == "InvalidParameterValueException")
        #expect(reply.message.contains(fragment), "\(reply.message)")
    }

    @Test func tokensAreOpaque() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let a = try await firstToken(harness)
        let b = try await firstToken(harness)
        #expect(a != b, "two tokens for the same position look unrelated")
        #expect(a.count == 44)
        let pageA = try Page(try await harness.send([("nextToken", a)]))
        let pageB = try Page(try await harness.send([("nextToken", b)]))
        #expect(pageA.ids == pageB.ids)
    }

    @Test func tamperedTokensAreRejected() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let token = try await firstToken(harness)
        // Change each character in turn (staying in the base64 alphabet).
        var rejected = 0
        for index in stride(from: 0, to: token.count - 1, by: 3) {
            var characters = Array(token)
            characters[index] = characters[index] == "A" ? "B" : "A"
            let reply = try ErrorReply(try await harness.send([("nextToken", String(characters))]))
            #expect(reply.status == 400 && reply.type == "InvalidParameterValueException")
            rejected += 1
        }
        #expect(rejected > 10)
        for garbage in ["hello", "AAAA", String(token.dropLast(4)), token + "AAAA", "not base64 at all!"] {
            try await expectRejected(harness, [("nextToken", garbage)])
        }
    }

    @Test func tokensAreBoundToTheirFilters() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let completed = try await firstToken(harness, [("state", "COMPLETED")])
        try await expectRejected(harness, [("state", "FAILED"), ("nextToken", completed)], "other filters")
        try await expectRejected(harness, [("nextToken", completed)], "other filters")
        try await expectRejected(harness, [("state", "COMPLETED"), ("resourceType", "EBS"), ("nextToken", completed)], "other filters")
        // The same filters, written differently (parameter order, timestamp spelling), are the same filters.
        let windowed = try await firstToken(harness, [("state", "COMPLETED"), ("createdAfter", "2026-11-01T00:00:00Z")])
        let page = try await harness.send([("createdAfter", "2026-11-01T00:00:00.000Z"), ("nextToken", windowed), ("state", "COMPLETED")])
        #expect(page.status == 200)
        let unfiltered = try await firstToken(harness)
        try await expectRejected(harness, [("state", "COMPLETED"), ("nextToken", unfiltered)], "other filters")
    }

    @Test func tokensFromAnotherEmulatorAreRejected() async throws {
        let one = try await EmulatorHarness.start(jobs: Self.jobs)
        let other = try await EmulatorHarness.start(jobs: Self.jobs)
        let token = try await firstToken(one)
        try await expectRejected(other, [("nextToken", token)])
        await one.stop()
        await other.stop()

        // With a configured secret, tokens outlive a restart.
        let secret: (UInt64, UInt64) = (42, 4242)
        let first = try await EmulatorHarness.start(jobs: Self.jobs) { $0.tokenSecret = secret }
        let kept = try await firstToken(first)
        await first.stop()
        let second = try await EmulatorHarness.start(jobs: Self.jobs) { $0.tokenSecret = secret }
        defer { Task { await second.stop() } }
        #expect(try await second.send([("nextToken", kept)]).status == 200)
    }

    @Test func anEmptyTokenStartsOver() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs)
        defer { Task { await harness.stop() } }
        let page = try Page(try await harness.send([("nextToken", ""), ("maxResults", "5")]))
        #expect(page.ids == Array(EmulatorFixtures.servingOrder(Self.jobs).prefix(5)))
    }
}
