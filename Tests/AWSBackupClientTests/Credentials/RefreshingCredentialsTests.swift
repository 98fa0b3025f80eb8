import BackupJobs
import Synchronization
import Testing

@testable import AWSBackupClient

/// A provider that counts its fetches and hands out numbered credentials living `lifetime`.
final class CountingProvider: CredentialProvider {
    let name = "counting"
    let clock: ManualCredentialClock
    let lifetime: Duration?
    let delay: Duration
    private let state = Mutex<(calls: Int, failing: Bool)>((0, false))

    init(clock: ManualCredentialClock, lifetime: Duration? = .seconds(3600), delay: Duration = .zero) {
        self.clock = clock
        self.lifetime = lifetime
        self.delay = delay
    }

    var calls: Int { state.withLock { $0.calls } }

    func fail(_ failing: Bool) {
        state.withLock { $0.failing = failing }
    }

    func credentials() async throws(CredentialError) -> Credentials? {
        let (number, failing) = state.withLock { state -> (Int, Bool) in
            state.calls += 1
            return (state.calls, state.failing)
        }
        if delay > .zero { try? await Task.sleep(for: delay) }
        if failing { throw CredentialError(provider: name, "STS is unreachable") }
        let expiration = lifetime.map { lifetime in
            Timestamp(millisecondsSinceEpoch: clock.now.millisecondsSinceEpoch + lifetime.components.seconds * 1000)
        }
        return Credentials(accessKeyID: "ASIA\(number)", secretAccessKey: "secret-\(number)", sessionToken: "token-\(number)", expiration: expiration)
    }
}

@Suite struct RefreshingCredentialsTests {
    let clock = ManualCredentialClock()

    @Test func cachesUntilFiveMinutesBeforeExpiry() async throws {
        let provider = CountingProvider(clock: clock)
        let refreshing = RefreshingCredentials(provider, now: clock.function)
        #expect(try await refreshing.current().accessKeyID == "ASIA1")
        clock.advance(by: .seconds(54 * 60))
        #expect(try await refreshing.current().accessKeyID == "ASIA1")
        clock.advance(by: .seconds(60))  // 55 minutes: expires within 5 minutes
        #expect(try await refreshing.current().accessKeyID == "ASIA2")
        #expect(provider.calls == 2)
        #expect(await refreshing.fetchCount == 2)
    }

    @Test func theWindowIsConfigurable() async throws {
        let provider = CountingProvider(clock: clock)
        let refreshing = RefreshingCredentials(provider, refreshWindow: .seconds(15 * 60), now: clock.function)
        _ = try await refreshing.current()
        clock.advance(by: .seconds(44 * 60))
        #expect(try await refreshing.current().accessKeyID == "ASIA1")
        clock.advance(by: .seconds(60))
        #expect(try await refreshing.current().accessKeyID == "ASIA2")
    }

    @Test func credentialsWithoutExpiryAreNeverRefreshed() async throws {
        let provider = CountingProvider(clock: clock, lifetime: nil)
        let refreshing = RefreshingCredentials(provider, now: clock.function)
        _ = try await refreshing.current()
        clock.advance(by: .seconds(365 * 86400))
        #expect(try await refreshing.current().accessKeyID == "ASIA1")
        #expect(provider.calls == 1)
    }

    @Test func shortLivedCredentialsAreUsedForHalfTheirLife() async throws {
        let provider = CountingProvider(clock: clock, lifetime: .seconds(120))
        let refreshing = RefreshingCredentials(provider, now: clock.function)
        _ = try await refreshing.current()
        clock.advance(by: .seconds(59))
        #expect(try await refreshing.current().accessKeyID == "ASIA1")
        clock.advance(by: .seconds(1))
        #expect(try await refreshing.current().accessKeyID == "ASIA2")
    }

    @Test(arguments: [1, 2, 50])
    func concurrentCallersShareOneFetch(_ callers: Int) async throws {
        let provider = CountingProvider(clock: clock, delay: .milliseconds(200))
        let refreshing = RefreshingCredentials(provider, now: clock.function)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<callers { group.addTask { try await refreshing.current().accessKeyID } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(keys) == ["ASIA1"])
        #expect(provider.calls == 1)
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        let provider = CountingProvider(clock: clock, delay: .milliseconds(200))
        let refreshing = RefreshingCredentials(provider, now: clock.function)
        _ = try await refreshing.current()
        clock.advance(by: .seconds(3500))
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await refreshing.current().accessKeyID } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(keys) == ["ASIA2"])
        #expect(provider.calls == 2)
    }

    @Test func aFailedRefreshReachesEveryWaitingCallerAndTheNextCallRetries() async throws {
        let provider = CountingProvider(clock: clock, delay: .milliseconds(100))
        let refreshing = RefreshingCredentials(provider, now: clock.function)
        _ = try await refreshing.current()
        clock.advance(by: .seconds(3400))
        provider.fail(true)
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do { _ = try await refreshing.current(); return false } catch let error as CredentialError { return error.message == "STS is unreachable" } catch { return false }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == 10)
        #expect(provider.calls == 2)
        provider.fail(false)
        #expect(try await refreshing.current().accessKeyID == "ASIA3")
    }

    @Test func expiredCredentialsFromTheProviderAreRefused() async throws {
        let provider = CountingProvider(clock: clock, lifetime: .zero)
        let refreshing = RefreshingCredentials(provider, now: clock.function)
        let error = await credentialError { _ = try await refreshing.current() }
        #expect(error?.message.contains("returned credentials that expired at") == true)
    }

    @Test func aProviderWithNothingIsAnError() async throws {
        let environment = makeCredentialEnvironment(baseCredentialVariables(), home: nil, clock: clock.function, transport: StubCredentialTransport.unused())
        let refreshing = RefreshingCredentials(EnvironmentCredentialProvider(environment: environment), environment: environment)
        let error = await credentialError { _ = try await refreshing.current() }
        #expect(error?.description == "environment: found no credentials")
    }
}
