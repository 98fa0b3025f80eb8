/// The state of a backup job (the model's `BackupJobState`).
///
/// A state AWS adds after the model is kept as `.unknown` rather than rejected: a listing from
/// a newer API must still load, and a rule comparing `State` with a known value stays correct.
public enum JobState: Hashable, Sendable, CustomStringConvertible {
    case created, pending, running, aborting, aborted, completed, failed, expired, partial
    case unknown(String)

    /// The known states in the model's order.
    public static let known: [JobState] = [
        .created, .pending, .running, .aborting, .aborted, .completed, .failed, .expired, .partial,
    ]

    public init(rawValue: String) {
        self = Self.known.first { $0.rawValue == rawValue } ?? .unknown(rawValue)
    }

    public var rawValue: String {
        switch self {
        case .created: "CREATED"
        case .pending: "PENDING"
        case .running: "RUNNING"
        case .aborting: "ABORTING"
        case .aborted: "ABORTED"
        case .completed: "COMPLETED"
        case .failed: "FAILED"
        case .expired: "EXPIRED"
        case .partial: "PARTIAL"
        case .unknown(let value): value
        }
    }

    public var description: String { rawValue }

    /// The job ended: COMPLETED, FAILED, ABORTED, EXPIRED or PARTIAL.
    public var isFinished: Bool {
        switch self {
        case .completed, .failed, .aborted, .expired, .partial: true
        default: false
        }
    }

    /// The job has not ended yet and is not being aborted: CREATED, PENDING or RUNNING.
    public var isInFlight: Bool {
        switch self {
        case .created, .pending, .running: true
        default: false
        }
    }

    /// How far along its lifecycle a job in this state is: a later state supersedes an earlier
    /// one when the same job appears twice. Unknown states count as finished, since AWS only
    /// adds new end states in practice and an unknown state must not be overwritten by RUNNING.
    var lifecycleRank: Int {
        switch self {
        case .created: 1
        case .pending: 2
        case .running: 3
        case .aborting: 4
        case .completed, .failed, .aborted, .expired, .partial, .unknown: 5
        }
    }
}
