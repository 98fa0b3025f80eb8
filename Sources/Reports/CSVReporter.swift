import BackupJobs
import RuleEngine
import RuleLanguage

/// A row per finding, RFC 4180 (CRLF line ends, quoted fields), for auditors' spreadsheets. A rule
/// with no subject in scope gets a row of status `empty-scope`, a rule that could not be evaluated
/// one of status `error`, a rule not judged for want of input one of status `not-judged`, a
/// waiver that waived nothing one of status `stale-waiver`, so the sheet
/// accounts for every rule; a value of the rule that matched no job gets one of status `warning`.
/// What is known about the data as a whole comes first, in rows without a rule: `incomplete-data`,
/// `empty-data`, `conflicting-duplicates`.
///
/// A cell that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading apostrophe: AWS data is text written by many hands, and a
/// StatusMessage of `=HYPERLINK(...)` must stay text.
public struct CSVReporter: Reporter {
    public static let header = [
        "checked_at", "rule", "title", "severity", "controls", "status", "subject_kind", "subject", "message", "explanation",
        "evidence_jobs", "waiver_until", "waiver_reason", "waiver_expired", "evidence_kinds",
    ]

    public init() {}

    public func render(_ context: ReportContext) throws -> [UInt8] {
        var rows = [Self.header]
        let now = context.evaluation.now.iso8601
        for note in context.dataNotes {
            rows.append([now, "", "", "", "", note.kind.rawValue, "", "", note.text, "", "", "", "", ""])
        }
        for result in context.evaluation.results {
            let rule = result.rule
            let ruleCells = [now, rule.id, rule.title ?? "", rule.severity.rawValue, rule.controls.joined(separator: "; ")]
            for finding in result.findings {
                rows.append(ruleCells + [
                    finding.status.rawValue, rule.subject.displayName, finding.subject, FindingText.message(finding, of: rule, now: context.evaluation.now), FindingText.explanation(finding, of: rule, now: context.evaluation.now),
                    finding.evidence.map(\.id).joined(separator: " "), finding.waiver?.until ?? "", finding.waiver?.reason ?? "",
                    finding.waiver.map { $0.expired ? "true" : "false" } ?? "",
                    // The kind of each evidence record, in the order of evidence_jobs.
                    finding.evidence.map(\.kind.rawValue).joined(separator: " "),
                ])
            }
            if result.status == .notJudged {
                rows.append(ruleCells + ["not-judged", rule.subject.displayName, "", ReportText.notJudged(result), "", "", "", "", ""])
            }
            if result.status == .error {
                rows.append(ruleCells + ["error", rule.subject.displayName, "", "could not be evaluated: \(FaultText.message(result) ?? "")", "", "", "", "", ""])
            }
            if result.isEmptyScope {
                rows.append(ruleCells + ["empty-scope", rule.subject.displayName, "", "no subject in scope: \(rule.bodyText)", "", "", "", "", ""])
            }
            for waiver in result.staleWaivers {
                rows.append(ruleCells + ["stale-waiver", rule.subject.displayName, "", "the waiver at \(waiver.location.file):\(waiver.location.line) waived nothing",
                                         "", "", waiver.untilText, waiver.reason, ""])
            }
            for warning in context.evaluation.warnings where warning.rule == rule.id {
                rows.append(ruleCells + ["warning", rule.subject.displayName, "", WarningText.message(warning),
                                         "at \(WarningText.location(warning))", "", "", "", ""])
            }
        }
        // Rows without evidence leave the last cells empty.
        let width = Self.header.count
        return Array(rows.map { ($0 + Array(repeating: "", count: max(0, width - $0.count))).map(Self.cell).joined(separator: ",") + "\r\n" }.joined().utf8)
    }

    static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        // Scalars, not Characters: a quote or comma followed by a combining mark is one Character
        // that is neither, and was written unquoted or undoubled (found by fuzzing).
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = String.UnicodeScalarView(["\""])
        for scalar in text.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }
}
