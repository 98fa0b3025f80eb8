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

    public init(
        evaluation: Evaluation, inputs: [InputRecord], ruleFiles: [String], parameters: [String: Constant],
        toolVersion: String, hostname: String, completeness: ListingCompleteness = .complete, conflicts: [DuplicateConflict] = []
    ) {
        self.evaluation = evaluation
        self.inputs = inputs
        self.ruleFiles = ruleFiles
        self.parameters = parameters
        self.toolVersion = toolVersion
        self.hostname = hostname
        self.completeness = completeness
        self.conflicts = conflicts
    }

    public var inputFiles: [InputFile] { inputs.flatMap(\.files) }

    /// What every report says about the data before its verdicts, one sentence each: parts of the
    /// listing were missing, it held no jobs, versions of a job conflicted.
    public var dataNotes: [(kind: DataNote, text: String)] {
        var notes = completeness.gaps.map { (DataNote.incomplete, "the data is incomplete: \($0)") }
        if evaluation.jobCount == 0 { notes.append((.empty, "the inputs hold no jobs, so no rule had anything to judge")) }
        if !conflicts.isEmpty {
            let ids = conflicts.prefix(20).map(\.jobId).joined(separator: ", ") + (conflicts.count > 20 ? ", … and \(conflicts.count - 20) more" : "")
            notes.append((.conflict, "\(Describe.plural(conflicts.count, "job")) appeared in conflicting versions; the one judged is the later state, then the later CompletionDate, whatever the order of the inputs: \(ids)"))
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

/// Every report format, by its name on the command line.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, junit, json, csv, markdown, sarif

    /// The file extension reports of this format usually have.
    public var fileExtension: String {
        switch self {
        case .text: "txt"
        case .junit: "xml"
        case .json: "json"
        case .csv: "csv"
        case .markdown: "md"
        case .sarif: "sarif"
        }
    }
}

/// How values read in reports.
enum Describe {
    static func constant(_ constant: Constant) -> String {
        switch constant {
        case .string(let s): "\"\(s)\""
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .boolean(let b): b ? "true" : "false"
        case .timestamp(let t): t.iso8601
        case .duration(let d): durationLiteral(d)
        case .size(let s): "\(s) B"
        case .percent(let p): number(p * 100) + "%"
        case .list(let items): "[" + items.map { Describe.constant($0) }.joined(separator: ", ") + "]"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    /// `24h`, `7d`, `1h30m`: as a rule file writes it.
    static func durationLiteral(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        let units: [(String, Int64)] = [("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        var rest = milliseconds.magnitude
        var text = milliseconds < 0 ? "-" : ""
        for (name, size) in units where rest >= size.magnitude {
            text += "\(rest / size.magnitude)\(name)"
            rest %= size.magnitude
        }
        return text
    }

    /// Seconds with exactly three decimals, whatever the locale (JUnit's `time`).
    static func seconds(_ value: Double) -> String {
        let milliseconds = Int64((max(0, value) * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Text on one line, cut at `limit` characters.
    static func oneLine(_ text: String, limit: Int = 300) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    static func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// "resources", "jobs", "groups by X".
    static func subjects(_ kind: SubjectKind, _ count: Int) -> String {
        switch kind {
        case .job: plural(count, "job")
        case .group(.field(let field)): plural(count, "group") + " by \(field.path)"
        case .group(.resourceType): plural(count, "resource type")
        case .group(let key): plural(count, key.displayName)
        }
    }
}

extension RuleResult.Status {
    /// How a status reads on its own: PASS, FAIL, WAIVED, ERROR, EMPTY.
    var label: String { rawValue.uppercased() }
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
        let scope = Describe.subjects(rule.subject, evaluated)
        return failures + waivedCount == 0 ? "\(scope) checked, none matched" : "\(failures + waivedCount) of \(scope) matched"
    }
}
