/// The state of a backup job (the model's `BackupJobState`): the typed view of a backup job's
/// `RecordStates` code, for Swift code that names states (`BackupJob.state`, filters, tests).
///
/// A state AWS adds after the model is kept as `.unknown` rather than rejected: a listing from
/// a newer API must still load, and a rule comparing `State` with a known value stays correct.
/// What is finished, in flight, and the lifecycle order come from the kind's schema
/// (`model/aws-backup/kinds.toml`), so there is one source for every kind.
public enum BackupJobState: Hashable, Sendable, CustomStringConvertible {
    case created, pending, running, aborting, aborted, completed, failed, expired, partial
    case unknown(String)

    /// The known states in the model's order (a test holds this to the schema's values).
    public static let known: [BackupJobState] = [
        .created, .pending, .running, .aborting, .aborted, .completed, .failed, .expired, .partial,
    ]

    private static var states: RecordStates { RecordSchema.backupJob.states }

    public init(rawValue: String) {
        self = Self.known.first { $0.rawValue == rawValue } ?? .unknown(rawValue)
    }

    /// The state a table code stands for; `nil` for a missing state. An unknown code needs the
    /// text, from the `State` field.
    init?(code: UInt8, text: @autoclosure () -> String?) {
        switch code {
        case RecordStates.missingCode: return nil
        case RecordStates.unknownCode: self = .unknown(text() ?? "")
        default: self = Self.known[Int(code)]
        }
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

    /// The code a table stores for this state (`RecordTable.stateCodes`).
    public var code: UInt8 {
        if case .unknown = self { return RecordStates.unknownCode }
        return Self.states.code(of: rawValue)
    }

    /// The job ended: COMPLETED, FAILED, ABORTED, EXPIRED or PARTIAL.
    public var isFinished: Bool { Self.states.isFinished(code) }

    /// The job has not ended yet and is not being aborted: CREATED, PENDING or RUNNING.
    public var isInFlight: Bool { Self.states.isInFlight(code) }

    /// How far along its lifecycle a job in this state is (see `RecordStates.rank(of:)`).
    var lifecycleRank: Int { Self.states.rank(of: code) }
}
