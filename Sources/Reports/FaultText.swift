public import RuleEngine
import RuleLanguage

/// How a value that could not be computed reads, in every report, on the terminal and in rule
/// tests: `job 4F2A…: BackupSizeInBytes * 99999999999 overflows: sizes range over ±8 EiB (…)`,
/// `resource arn:…: sum(copy jobs, …) overflows (copy job 7C1E…): …`.
public enum FaultText {
    public static func message(_ fault: EvaluationFault) -> String {
        "\(fault.subjectName) \(fault.subject): \(fault.expression) overflows\(fault.record.map { " (\($0))" } ?? ""): \(fault.type.rangeDescription)"
    }

    /// Why a rule could not be evaluated: its fault's words.
    public static func message(_ result: RuleResult) -> String? {
        result.fault.map(message)
    }
}
