public import RuleLanguage

/// A value that could not be computed while judging a subject: a result beyond the range of its
/// kind. The rule (or query) is then not judged; reports word the fault (`FaultText`).
public struct EvaluationFault: Sendable, Hashable {
    /// How the rule names its subjects (`job`, `copy job`, `resource`), and the subject's id.
    public var subjectName: String
    public var subject: String
    /// The expression as written: `BackupSizeInBytes * 99999999999`.
    public var expression: String
    /// The kind of value it would have given, whose range it left.
    public var type: ValueType
    /// For a group, the record whose values it read (a backup job, or a related kind's record).
    public var record: EvidenceRecord?

    public init(subjectName: String, subject: String, expression: String, type: ValueType, record: EvidenceRecord?) {
        self.subjectName = subjectName
        self.subject = subject
        self.expression = expression
        self.type = type
        self.record = record
    }
}
