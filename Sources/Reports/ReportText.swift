import BackupJobs
import RuleEngine
import RuleLanguage

/// How values and counts read in reports and in the tool's messages.
public enum ReportText {
    static func constant(_ constant: Constant) -> String {
        switch constant {
        case .string(let s): "\"\(s)\""
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .boolean(let b): b ? "true" : "false"
        case .timestamp(let t): t.iso8601
        case .duration(let d): DurationUnit.literal(d)
        case .size(let s): "\(s) B"
        case .percent(let p): number(p * 100) + "%"
        case .list(let items): "[" + items.map { ReportText.constant($0) }.joined(separator: ", ") + "]"
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
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

    /// `1 job`, `3 jobs`, `2 retries`.
    public static func count(_ value: Int, _ singular: String, plural: String? = nil) -> String {
        "\(value) \(value == 1 ? singular : plural ?? singular + "s")"
    }

    /// Why a rule was not judged: `no copy jobs were given` (and whether that was allowed).
    static func notJudged(_ result: RuleResult) -> String {
        "not judged: " + NotJudgedText.missing(result.missingKinds, reader: "the rule") + (result.missingKindsAllowed ? " (allowed to be absent)" : "")
    }

    /// Evidence records as text: a backup job by its id (as the language names it, `job`), a
    /// record of another kind by its kind and id (`copy job 7C1E…`).
    static func evidence(_ records: [EvidenceRecord]) -> String {
        records.map { $0.kind == .backupJob ? $0.id : $0.description }.joined(separator: " ")
    }

    /// "resources", "jobs", "copy jobs", "groups by X".
    static func subjects(_ kind: SubjectKind, _ number: Int) -> String {
        switch kind {
        case .job: count(number, kind.displayName)
        case .group(.field(let field)): count(number, "group") + " by \(field.path)"
        case .group(.resourceType): count(number, "resource type")
        case .group(let key): count(number, key.displayName)
        }
    }
}
