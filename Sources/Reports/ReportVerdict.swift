import BackupJobs
import RuleEngine

/// What a report says the run comes to, before any detail: rules failing, rules that could not be
/// judged, no failure but on data that was not whole, or compliant. Compliant only when no rule
/// failed on data that was whole and not empty.
enum ReportVerdict: Equatable {
    case failing(rules: Int)
    case notJudged(rules: Int)
    case incompleteOrEmptyData
    case compliant

    init(_ context: ReportContext) {
        let s = context.evaluation.summary
        if s.failed + s.errors > 0 {
            self = .failing(rules: s.failed + s.errors)
        } else if s.notJudged > 0 {
            self = .notJudged(rules: s.notJudged)
        } else if !context.completeness.isComplete || context.evaluation.jobCount == 0 {
            self = .incompleteOrEmptyData
        } else {
            self = .compliant
        }
    }

    /// One line, without a symbol: `3 rules failing`, `compliant`.
    var text: String {
        switch self {
        case .failing(let n): "\(ReportText.count(n, "rule")) failing"
        case .notJudged(let n): "no rule failed, but \(ReportText.count(n, "rule")) could not be judged: kinds of records they read were not given"
        case .incompleteOrEmptyData: "no rule failed, on incomplete or empty data"
        case .compliant: "compliant"
        }
    }

    /// A short name for machines and style sheets: `fail`, `not-judged`, `unsure`, `pass`.
    var name: String {
        switch self {
        case .failing: "fail"
        case .notJudged: "not-judged"
        case .incompleteOrEmptyData: "unsure"
        case .compliant: "pass"
        }
    }
}
