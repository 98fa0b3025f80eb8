import BackupJobs
public import RuleEngine
import RuleLanguage

/// How a rule that could not be judged reads, in every report, on the terminal and in rule
/// tests: `job 4F2A…: BackupSizeInBytes * 99999999999 overflows: sizes range over ±8 EiB (…)`,
/// `resource arn:…: sum(copy jobs, …) overflows (copy job 7C1E…): …`, or an engine defect.
public enum FaultText {
    public static func message(_ fault: EvaluationFault) -> String {
        let subject = fault.subject.map { "\(fault.subjectName) \($0): " } ?? ""
        switch fault.cause {
        case .overflow(let expression, let type, let record):
            return "\(subject)\(expression) overflows\(record.map { " (\($0))" } ?? ""): \(type.rangeDescription)"
        case .unrelatedKind(let kind):
            return "\(subject)internal error: the rule reads \(kind.pluralNoun) but its \(fault.subjectName)s are not related to them; it was not judged (please report this)"
        case .noGroupIndex:
            return "\(subject)internal error: no index of the \(fault.subjectName)s was built; the rule was not judged (please report this)"
        }
    }

    /// Why a rule could not be evaluated: its fault's words.
    public static func message(_ result: RuleResult) -> String? {
        result.fault.map(message)
    }
}
