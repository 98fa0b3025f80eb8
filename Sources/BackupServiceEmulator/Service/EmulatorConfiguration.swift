public import AWSBackupClient
public import BackupJobs

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The emulator's notion of "now", for checking `X-Amz-Date` and credential expiry.
public struct EmulatorClock: Sendable {
    public let now: @Sendable () -> Timestamp

    public init(_ now: @escaping @Sendable () -> Timestamp) {
        self.now = now
    }

    /// The system's wall clock.
    public static let system = EmulatorClock { systemNow() }

    /// Always `time`.
    public static func fixed(_ time: Timestamp) -> EmulatorClock {
        EmulatorClock { time }
    }

    /// The system clock shifted by `offset` (a server whose clock is ahead or behind).
    public static func system(offsetBy offset: Duration) -> EmulatorClock {
        let milliseconds = offset.components.seconds * 1000 + offset.components.attoseconds / 1_000_000_000_000_000
        return EmulatorClock { Timestamp(millisecondsSinceEpoch: systemNow().millisecondsSinceEpoch + milliseconds) }
    }

    static func systemNow() -> Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Timestamp(millisecondsSinceEpoch: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }
}

/// Everything an emulator is started with.
public struct EmulatorConfiguration: Sendable {
    /// The jobs served by each operation (ListBackupJobs: the backup jobs); an operation whose
    /// kind has none serves an empty listing.
    public var catalogs: [RecordKind: RecordCatalog]
    /// The keys accepted: access key id, secret, and for temporary credentials the session token
    /// that must come with them and their expiration (checked against `clock`).
    public var credentials: [Credentials]
    /// The region the credential scope must name; `nil` accepts any.
    public var region: String?
    /// Regions that answer 403 `UnrecognizedClientException`, as an opt-in Region the account
    /// has not enabled does.
    public var disabledRegions: Set<String> = []
    public var clock: EmulatorClock
    /// How far `X-Amz-Date` may be from `clock` (AWS: 15 minutes).
    public var maximumClockSkew: Duration
    public var faults: FaultPlan
    /// Loopback by default; the emulator is not meant to be reachable from elsewhere.
    public var host: String
    /// 0 picks a free port; `BackupEmulator.port` tells which.
    public var port: Int
    /// The page size when a request gives no `maxResults` (AWS: 1000, the maximum).
    public var defaultPageSize: Int
    /// Issue a `NextToken` on the last non-empty page too, so listings end with an empty page, as
    /// AWS list APIs sometimes do. Off by default.
    public var endsWithEmptyPage: Bool
    /// The secret page tokens are keyed with; random unless set (set it to keep tokens valid
    /// across emulator restarts).
    public var tokenSecret: (UInt64, UInt64)?

    public init(
        catalog: RecordCatalog, credentials: [Credentials], region: String? = nil, clock: EmulatorClock = .system,
        maximumClockSkew: Duration = .seconds(15 * 60), faults: FaultPlan = .none, host: String = "127.0.0.1", port: Int = 0,
        defaultPageSize: Int = 1000, endsWithEmptyPage: Bool = false, tokenSecret: (UInt64, UInt64)? = nil
    ) {
        catalogs = [catalog.kind: catalog]
        self.credentials = credentials
        self.region = region
        self.clock = clock
        self.maximumClockSkew = maximumClockSkew
        self.faults = faults
        self.host = host
        self.port = port
        self.defaultPageSize = defaultPageSize
        self.endsWithEmptyPage = endsWithEmptyPage
        self.tokenSecret = tokenSecret
    }

    /// Also serves `catalog` (replacing the one of its kind).
    public mutating func serve(_ catalog: RecordCatalog) {
        catalogs[catalog.kind] = catalog
    }

    /// Serves `jobs` (see `RecordCatalog` for the order).
    public init(jobs: [BackupJob], credentials: [Credentials], region: String? = nil, clock: EmulatorClock = .system, faults: FaultPlan = .none) {
        self.init(catalog: RecordCatalog(jobs: jobs), credentials: credentials, region: region, clock: clock, faults: faults)
    }
}

/// What the emulator has seen since it started (or since `resetStatistics`).
public struct EmulatorStatistics: Sendable, Equatable {
    /// HTTP requests received, whatever became of them.
    public var requests = 0
    /// 200 responses with a page of jobs.
    public var pagesServed = 0
    /// Jobs in those pages.
    public var jobsServed = 0
    /// Requests rejected by authentication: missing, incomplete, invalid or expired signatures,
    /// unknown keys, bad session tokens.
    public var signatureFailures = 0
    /// Requests given a fault (scripted, random or access denied), dropped connections included.
    public var faultsInjected = 0
    /// 400 `InvalidParameterValueException`s and 404s for unknown operations.
    public var invalidRequests = 0
    /// TCP connections accepted; fewer than `requests` means keep-alive works.
    public var connections = 0
    /// Every error response by its `__type`.
    public var errorsByType: [String: Int] = [:]
    /// Authenticated requests by the operation their path names (`ListCopyJobs`; a path of no
    /// operation by its method and path), whatever became of them: which operations a client called.
    public var requestsByOperation: [String: Int] = [:]

    public init() {}
}
