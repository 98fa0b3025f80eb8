public import BackupJobs
public import RuleEngine
public import RuleLanguage

/// What every report is made from: the evaluation, and what it was made on.
public struct ReportContext: Sendable {
    public var evaluation: Evaluation
    public var inputs: [InputRecord]
    /// The rule files, as given.
    public var ruleFiles: [String]
    public var parameters: [String: Constant]
    public var toolVersion: String
    /// The machine the check ran on (JUnit's `hostname`).
    public var hostname: String
    /// Whether the data was a whole listing; an incomplete one is judged only when asked for, and
    /// every report then says so.
    public var completeness: ListingCompleteness
    /// Jobs read in versions that contradict each other.
    public var conflicts: [DuplicateConflict]
    /// The span of the data: the earliest and latest CreationDate of the backup jobs (nil when
    /// none has one).
    public var window: ClosedRange<Timestamp>?
    /// The backup jobs judged, for reports that draw them (the HTML calendar); nil when not given.
    public var backupJobs: RecordTable?

    public init(
        evaluation: Evaluation, inputs: [InputRecord], ruleFiles: [String], parameters: [String: Constant],
        toolVersion: String, hostname: String, completeness: ListingCompleteness = .complete, conflicts: [DuplicateConflict] = [],
        window: ClosedRange<Timestamp>? = nil, backupJobs: RecordTable? = nil
    ) {
        self.evaluation = evaluation
        self.inputs = inputs
        self.ruleFiles = ruleFiles
        self.parameters = parameters
        self.toolVersion = toolVersion
        self.hostname = hostname
        self.completeness = completeness
        self.conflicts = conflicts
        self.window = window
        self.backupJobs = backupJobs
    }

    public var inputFiles: [InputFile] { inputs.flatMap(\.files) }

    /// What every report says about the data before its verdicts, one sentence each: parts of the
    /// listing were missing, it held no jobs, versions of a job conflicted.
    public var dataNotes: [(kind: DataNote, text: String)] {
        var notes = completeness.gaps.map { (DataNote.incomplete, "the data is incomplete: \($0)") }
        if evaluation.jobCount == 0 {
            notes.append((.empty, "the inputs hold no jobs, so no rule had anything to judge"))
        } else {
            for kind in RecordKind.allCases where evaluation.recordCounts[kind] == 0 {
                let rules = evaluation.results.filter { $0.emptyKinds.contains(kind) }.map(\.rule.id)
                guard !rules.isEmpty else { continue }
                notes.append((.empty, "the inputs hold no \(kind.pluralNoun) (an empty listing), so \(ReportText.count(rules.count, "rule")) reading them cannot pass (empty unless they failed): \(rules.joined(separator: ", "))"))
            }
        }
        if !conflicts.isEmpty {
            let ids = conflicts.prefix(20).map(\.jobId).joined(separator: ", ") + (conflicts.count > 20 ? ", … and \(conflicts.count - 20) more" : "")
            notes.append((.conflict, "\(ReportText.count(conflicts.count, "job")) appeared in conflicting versions; the one judged is the later state, then the later CompletionDate, whatever the order of the inputs: \(ids)"))
        }
        return notes
    }
}

/// Something every report says about the data (see `ReportContext.dataNotes`).
public enum DataNote: String, Sendable {
    case incomplete = "incomplete-data"
    case empty = "empty-data"
    case conflict = "conflicting-duplicates"
}

/// A report format; each renders the whole evaluation to bytes. The caller decides where they go.
public protocol Reporter {
    func render(_ context: ReportContext) throws -> [UInt8]
}

extension RuleResult.Status {
    /// How a status reads on its own: PASS, FAIL, WAIVED, ERROR, EMPTY, NOT JUDGED.
    var label: String { self == .notJudged ? "NOT JUDGED" : rawValue.uppercased() }
}

extension RuleResult {
    /// A `no` rule: its condition is tried on every subject, and the subjects it matches fail.
    var isNoRule: Bool {
        if case .no = rule.body { return true }
        return false
    }

    /// How many subjects a `no` rule's condition was tried on and matched: `146 jobs checked,
    /// none matched`, `3 of 146 jobs matched`.
    var noRuleCount: String {
        let scope = ReportText.subjects(rule.subject, evaluated)
        return failures + waivedCount == 0 ? "\(scope) checked, none matched" : "\(failures + waivedCount) of \(scope) matched"
    }

    /// The rule's outcome in a few words: `1 of 13 resources failed`, `no subject in scope`.
    var outcome: String {
        switch status {
        case .pass: isNoRule ? noRuleCount : "\(ReportText.subjects(rule.subject, evaluated)) passed"
        case .empty: "no subject in scope"
        case .fail where isEmptyScope: "no subject in scope (strict)"
        case .fail: isNoRule ? noRuleCount : "\(failures) of \(ReportText.subjects(rule.subject, evaluated)) failed"
        case .waived: "\(waivedCount) waived"
        case .error: "error"
        case .notJudged: ReportText.notJudged(self)
        }
    }
}
