import BackupJobs
import RuleLanguage

/// The first value of an evaluation that could not be computed: a result beyond the range of its
/// kind. Evaluation never traps and never reads an overflow as "does not hold" (which `not`
/// would turn into "holds"): the overflowing operation records itself here and gives no value,
/// and the runner turns the recorded fault into an error naming the subject and the expression.
///
/// One recorder belongs to one evaluation (one task), captured by the closures its compilers
/// build. Only the overflow branch writes to it; runners read `hasFault` once per subject.
final class FaultRecorder {
    struct Fault {
        /// The expression as written: `BackupSizeInBytes * 99999999999`.
        var expression: String
        /// The kind of value it would have given, whose range it left.
        var kind: ValueType
        /// The record whose values it read, when it read one record's: its row in the table of
        /// its kind (a group's backup jobs, or a related kind's records).
        var row: (kind: RecordKind, row: Int)?

        /// The fault as a value, for a subject (a record rule's record, or a group) judged when
        /// it occurred. `recordID` gives the id of a row of a kind's table; a group's fault names the record read.
        func value(subject: SubjectKind, id: String, recordID: (RecordKind, Int) -> String?) -> EvaluationFault {
            let record = subject.isRecord ? nil : row.flatMap { row in recordID(row.kind, row.row).map { EvidenceRecord(row.kind, $0) } }
            return EvaluationFault(subjectName: subject.displayName, subject: id, cause: .overflow(expression: expression, type: kind, record: record))
        }
    }

    private(set) var fault: Fault?
    private(set) var hasFault = false

    /// Records an overflow; the first one wins.
    func overflow(_ expression: String, _ kind: ValueType, row: (kind: RecordKind, row: Int)?) {
        guard !hasFault else { return }
        fault = Fault(expression: expression, kind: kind, row: row)
        hasFault = true
    }

    /// The fault recorded since the last call, clearing it.
    func take() -> Fault? {
        defer {
            fault = nil
            hasFault = false
        }
        return fault
    }
}
