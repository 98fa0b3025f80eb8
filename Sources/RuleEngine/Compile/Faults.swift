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
        /// The job whose values it read, when it read one job's.
        var row: Int?

        /// `job 4F2A…: BackupSizeInBytes * 99999999999 overflows: sizes range over ±8 EiB (…)`;
        /// `job` names the job read when the subject is a group.
        func message(subject: String, job: String? = nil) -> String {
            "\(subject): \(expression) overflows\(job.map { " (job \($0))" } ?? ""): \(kind.rangeDescription)"
        }
    }

    private(set) var fault: Fault?
    private(set) var hasFault = false

    /// Records an overflow; the first one wins.
    func overflow(_ expression: String, _ kind: ValueType, row: Int?) {
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
