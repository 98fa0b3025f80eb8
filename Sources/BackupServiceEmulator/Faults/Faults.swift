/// Something going wrong with one request, on purpose.
public enum EmulatorFault: Sendable, Hashable, CustomStringConvertible {
    /// 400 `ThrottlingException` "Rate exceeded", as AWS throttles API calls.
    case throttling
    /// 429 `TooManyRequestsException` with `Retry-After: seconds`.
    case tooManyRequests(retryAfterSeconds: Int)
    /// 500 `InternalFailure`.
    case internalFailure
    /// 503 `ServiceUnavailableException`.
    case serviceUnavailable
    /// 403 `AccessDeniedException`: the caller's role may not call the operation requested.
    case accessDenied
    /// Any other AWS error: status, `__type` and message.
    case error(status: Int, type: String, message: String)
    /// The connection is closed without a response.
    case dropConnection
    /// The response head (with the full `Content-Length`) and half the body are sent, then the
    /// connection is closed.
    case dropMidBody
    /// The request is served normally after `milliseconds` (a slow page).
    case delay(milliseconds: Int)
    /// The page is served with the request's own `nextToken` as its `NextToken`: a service bug
    /// that would page forever. (On a first page, which has no token, it is served normally.)
    case repeatToken

    public var description: String {
        switch self {
        case .throttling: "throttling"
        case .tooManyRequests(let seconds): "too-many-requests(retry-after \(seconds)s)"
        case .internalFailure: "internal-failure"
        case .serviceUnavailable: "service-unavailable"
        case .accessDenied: "access-denied"
        case .error(let status, let type, _): "error(\(status) \(type))"
        case .dropConnection: "drop-connection"
        case .dropMidBody: "drop-mid-body"
        case .delay(let milliseconds): "delay(\(milliseconds) ms)"
        case .repeatToken: "repeat-token"
        }
    }

    /// The names the command line accepts (`--faults throttling,unavailable`), with their fault.
    public static let named: [(name: String, fault: EmulatorFault)] = [
        ("throttling", .throttling), ("too-many-requests", .tooManyRequests(retryAfterSeconds: 1)),
        ("internal-failure", .internalFailure), ("unavailable", .serviceUnavailable), ("access-denied", .accessDenied),
        ("drop", .dropConnection), ("drop-mid-body", .dropMidBody), ("slow", .delay(milliseconds: 2000)), ("repeat-token", .repeatToken),
    ]

    /// The transient faults a retrying client must survive: what `RandomFaults` draws from unless
    /// told otherwise.
    public static let transient: [EmulatorFault] = [
        .throttling, .tooManyRequests(retryAfterSeconds: 1), .internalFailure, .serviceUnavailable, .dropConnection, .dropMidBody,
    ]

    /// The message `accessDenied` sends to a ListBackupJobs request.
    public static let accessDeniedMessage = accessDeniedMessage(operation: "ListBackupJobs")

    /// The message `accessDenied` sends to a request of `operation`.
    public static func accessDeniedMessage(operation: String) -> String {
        "User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: backup:\(operation) on resource: *"
    }
}

extension EmulatorFault {
    /// The error response this fault sends to a request of `operation`; `nil` for the faults that are not one.
    func errorResponse(operation: String) -> EmulatedErrorResponse? {
        switch self {
        case .throttling:
            EmulatedErrorResponse(status: 400, type: "ThrottlingException", message: "Rate exceeded")
        case .tooManyRequests(let seconds):
            EmulatedErrorResponse(status: 429, type: "TooManyRequestsException", message: "Too many requests; retry after \(seconds) seconds.",
                         headers: [("Retry-After", String(seconds))])
        case .internalFailure:
            EmulatedErrorResponse(status: 500, type: "InternalFailure", message: "We encountered an internal error. Please try again.")
        case .serviceUnavailable:
            EmulatedErrorResponse(status: 503, type: "ServiceUnavailableException", message: "The service is currently unavailable. Please try again later.")
        case .accessDenied:
            EmulatedErrorResponse(status: 403, type: "AccessDeniedException", message: Self.accessDeniedMessage(operation: operation))
        case .error(let status, let type, let message):
            EmulatedErrorResponse(status: status, type: type, message: message)
        case .dropConnection, .dropMidBody, .delay, .repeatToken:
            nil
        }
    }
}

/// Faults drawn at random: each authenticated request without a scripted fault gets one of
/// `kinds` (uniformly) with `probability`. The draws come from a generator seeded with `seed`, so
/// the same seed and the same sequence of requests give the same faults.
public struct RandomFaults: Sendable, Hashable {
    public var probability: Double
    public var seed: UInt64
    public var kinds: [EmulatorFault]

    public init(probability: Double, seed: UInt64, kinds: [EmulatorFault] = EmulatorFault.transient) {
        self.probability = probability
        self.seed = seed
        self.kinds = kinds
    }
}

/// Which faults the emulator injects, and the latency it adds. Change it while the emulator
/// runs with `BackupEmulator.setFaults` or `updateFaults`.
///
/// Requests are numbered from 1 in the order they arrive, every request counted (rejected ones
/// too; `BackupEmulator.statistics.requests` is the last number given). Faults apply only to
/// requests that pass authentication: a bad signature is reported as such, never hidden by a
/// fault. For an authenticated request, the first that applies wins: `accessDenied` (or its
/// operation in `deniedOperations`), then the fault `scripted` for its number, then a random one.
public struct FaultPlan: Sendable, Hashable {
    /// Faults by request number (1-based).
    public var scripted: [Int: EmulatorFault]
    public var random: RandomFaults?
    /// Added before every response (pages and errors; not to dropped connections): 50 ms models a
    /// page fetched from AWS in benchmarks.
    public var latency: Duration
    /// Every authenticated request gets 403 `AccessDeniedException`.
    public var accessDenied: Bool
    /// Requests of these operations (`ListRestoreJobs`) get 403 `AccessDeniedException`, the
    /// others are served: a role granted some List permissions and not others.
    public var deniedOperations: Set<String>

    public init(
        scripted: [Int: EmulatorFault] = [:], random: RandomFaults? = nil, latency: Duration = .zero, accessDenied: Bool = false,
        deniedOperations: Set<String> = []
    ) {
        self.scripted = scripted
        self.random = random
        self.latency = latency
        self.accessDenied = accessDenied
        self.deniedOperations = deniedOperations
    }

    /// No faults, no latency.
    public static let none = FaultPlan()
}

/// SplitMix64: small, fast, and the same sequence on every platform for a seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
