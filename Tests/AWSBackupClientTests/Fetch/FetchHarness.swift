import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import TestSupport

/// Jobs spread over the last 30 days, `count` of them, some sharing a creation second (so slice
/// boundaries cut through crowds).
func spreadJobs(_ count: Int) -> [BackupJob] {
    (0..<count).map { index in
        // Pairs share a timestamp; the whole set spans 29.9 days.
        job("job-\(String(format: "%06d", index))", index % 7 == 0 ? .failed : .completed,
            createdHoursAgo: Double((index / 2) * 2) * (29.9 * 24 / Double(max(count, 1))))
    }
}

extension EmulatorHarness {
    /// A fetcher for this emulator, signing with the harness key read from the environment the
    /// way the real chain reads it.
    func fetcher(
        _ request: FetchRequest, retry: RetryPolicy = .quick, debug: DebugLog? = nil,
        progress: (@Sendable (FetchProgress) -> Void)? = nil, now: @escaping @Sendable () -> Timestamp = { EmulatorHarness.now }
    ) -> JobFetcher {
        fetcher(requests: [request], retry: retry, debug: debug, progress: progress, now: now)
    }

    /// A fetcher of several operations into one listing.
    func fetcher(
        requests: [FetchRequest], retry: RetryPolicy = .quick, debug: DebugLog? = nil,
        progress: (@Sendable (FetchProgress) -> Void)? = nil, now: @escaping @Sendable () -> Timestamp = { EmulatorHarness.now }
    ) -> JobFetcher {
        let credentials = fetcherCredentials(now: now)
        let quota = RetryQuota()
        return JobFetcher(
            requests: requests,
            service: { region in
                BackupService(
                    region: region, endpoint: emulator.baseURL, credentials: credentials, transport: transport, retry: retry,
                    quota: quota, now: now, debug: debug)
            },
            now: now, progress: progress)
    }

    /// The harness key, read from the environment the way the real chain reads it.
    func fetcherCredentials(now: @escaping @Sendable () -> Timestamp = { EmulatorHarness.now }) -> RefreshingCredentials {
        let environment = ProviderEnvironment(
            variables: ["AWS_ACCESS_KEY_ID": Self.key.accessKeyID, "AWS_SECRET_ACCESS_KEY": Self.key.secretAccessKey],
            home: nil, now: now, transport: transport)
        return RefreshingCredentials(EnvironmentCredentialProvider(environment: environment), environment: environment)
    }
}

extension RetryPolicy {
    /// Standard retries with millisecond backoff, so fault tests run fast.
    static let quick = RetryPolicy(maxAttempts: 8, base: .milliseconds(1), cap: .milliseconds(5), maximumRetryAfter: .milliseconds(5))
}

extension Listing {
    var jobIDs: [String] { backupJobs.map(\.id).sorted() }
}
