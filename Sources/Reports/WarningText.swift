public import RuleEngine
import RuleLanguage

/// How an evaluation warning reads, in every report and on the terminal:
/// `ResourceType == "Rds" matched no job; values seen: RDS, EBS, EC2, … (2 more)`.
public enum WarningText {
    public static func message(_ warning: EvaluationWarning) -> String {
        let comparison = "\(warning.field) == \"\(warning.value)\"" + (warning.ignoringCase ? " ignoring case" : "")
        let seen = warning.valuesSeen.isEmpty
            ? "no job has \(warning.field)"
            : "values seen: " + warning.valuesSeen.joined(separator: ", ") + (warning.moreValues > 0 ? ", … (\(warning.moreValues) more)" : "")
        return "\(comparison) matched no job; \(seen)"
    }

    /// `rules/pack.rules:12:40`
    public static func location(_ warning: EvaluationWarning) -> String {
        "\(warning.location.file):\(warning.location.line):\(warning.location.column)"
    }

    /// One line naming the place and the rule: `rules/pack.rules:12:40: ebs-daily: ResourceType == …`.
    public static func line(_ warning: EvaluationWarning) -> String {
        "\(location(warning)): " + (warning.rule.map { "\($0): " } ?? "") + message(warning)
    }
}
