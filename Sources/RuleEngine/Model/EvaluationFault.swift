public import BackupJobs
public import RuleLanguage

/// Why a rule (or query) could not be judged: a value that could not be computed while judging a
/// subject, or a defect of the engine found before any subject was judged. The rule is then not
/// judged (status error, exit 2); reports word the fault (`FaultText`).
public struct EvaluationFault: Sendable, Hashable {
    public enum Cause: Sendable, Hashable {
        /// A result beyond the range of its kind: the expression as written
        /// (`BackupSizeInBytes * 99999999999`), the kind of value it would have given, and for a
        /// group the record whose values it read (a backup job, or a related kind's record).
        case overflow(expression: String, type: ValueType, record: EvidenceRecord?)
        /// A programming error, not the rule's or the data's: the rule reads records of a kind
        /// that its compiled relations do not relate to its groups (the checker admits no such
        /// rule). Judging it anyway would read another kind's records in their place.
        case unrelatedKind(RecordKind)
        /// A programming error: a group rule was given no index of its groups.
        case noGroupIndex
    }

    /// How the rule names its subjects (`job`, `copy job`, `resource`).
    public var subjectName: String
    /// The subject judged when the fault occurred; nil for a defect found before any subject.
    public var subject: String?
    public var cause: Cause

    public init(subjectName: String, subject: String?, cause: Cause) {
        self.subjectName = subjectName
        self.subject = subject
        self.cause = cause
    }

    /// The overflowing expression, for an overflow.
    public var expression: String? {
        if case .overflow(let expression, _, _) = cause { expression } else { nil }
    }

    /// The record an overflow read, for a group's.
    public var record: EvidenceRecord? {
        if case .overflow(_, _, let record) = cause { record } else { nil }
    }
}
