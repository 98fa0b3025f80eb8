public import BackupJobs

/// Caches a provider's credentials and fetches new ones before they expire: once they expire
/// within `refreshWindow` (5 minutes by default), so a long listing never signs a request with
/// keys about to run out. Callers that ask while a fetch is under way share it: one fetch, however
/// many requests are waiting. A failed fetch is thrown to every caller that shared it and the
/// next call tries again; credentials past their expiry are never handed out.
public actor RefreshingCredentials: CredentialProvider {
    public nonisolated let name: String
    public nonisolated let provider: any CredentialProvider
    public nonisolated let refreshWindow: Duration
    private let now: @Sendable () -> Timestamp

    private var cached: Credentials?
    /// When the cached credentials are due for a refresh; nil: never (no expiry).
    private var refreshAt: Timestamp?
    private var inFlight: Task<Result<Credentials, CredentialError>, Never>?
    /// How many fetches the provider was asked for (for diagnostics and tests).
    public private(set) var fetchCount = 0

    public init(_ provider: any CredentialProvider, refreshWindow: Duration = .seconds(300), now: @escaping @Sendable () -> Timestamp) {
        self.name = provider.name
        self.provider = provider
        self.refreshWindow = refreshWindow
        self.now = now
    }

    public init(_ provider: any CredentialProvider, environment: ProviderEnvironment, refreshWindow: Duration = .seconds(300)) {
        self.init(provider, refreshWindow: refreshWindow, now: environment.now)
    }

    public func credentials() async throws(CredentialError) -> Credentials? {
        try await current()
    }

    /// Usable credentials: the cached ones while they are fresh, else new ones.
    public func current() async throws(CredentialError) -> Credentials {
        if let cached, !isDue(at: now()) { return cached }
        if let inFlight { return try await inFlight.value.get() }

        let provider = self.provider
        let task = Task<Result<Credentials, CredentialError>, Never> {
            do throws(CredentialError) {
                guard let credentials = try await provider.credentials() else {
                    return .failure(CredentialError(provider: provider.name, "found no credentials"))
                }
                return .success(credentials)
            } catch {
                return .failure(error)
            }
        }
        inFlight = task
        fetchCount += 1
        let result = await task.value
        inFlight = nil
        switch result {
        case .failure(let error):
            throw error
        case .success(let credentials):
            let time = now()
            if let expiration = credentials.expiration, expiration <= time {
                throw CredentialError(provider: provider.name, "returned credentials that expired at \(expiration)")
            }
            cached = credentials
            refreshAt = Self.refreshTime(for: credentials.expiration, fetchedAt: time, window: refreshWindow)
            return credentials
        }
    }

    private func isDue(at time: Timestamp) -> Bool {
        guard let refreshAt else { return false }
        return time >= refreshAt
    }

    /// `window` before the expiry; credentials that arrive already inside the window (short-lived
    /// ones) are used for half of what is left, so they are not fetched again on every call.
    static func refreshTime(for expiration: Timestamp?, fetchedAt time: Timestamp, window: Duration) -> Timestamp? {
        guard let expiration else { return nil }
        let windowMS = window.components.seconds * 1000 + window.components.attoseconds / 1_000_000_000_000_000
        let early = expiration.millisecondsSinceEpoch - windowMS
        if early > time.millisecondsSinceEpoch { return Timestamp(millisecondsSinceEpoch: early) }
        let remaining = expiration.millisecondsSinceEpoch - time.millisecondsSinceEpoch
        return Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch + remaining / 2)
    }
}
