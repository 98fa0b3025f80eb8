import BackupJobs
import RuleEngine
import RuleLanguage

/// For people at a terminal: each rule's verdict, its failing subjects with their explanations,
/// and a summary line.
public struct TextReporter: Reporter {
    /// ANSI colours (the caller decides: a TTY, and NO_COLOR unset).
    public var color: Bool
    /// Also list passing subjects (when the evaluation recorded them).
    public var verbose: Bool
    /// Findings shown in full per rule before the rest are only counted.
    public var findingsPerRule: Int
    /// The command the report heads with: `check`, or `eval` for an ad-hoc rule.
    public var command: String
    /// How to see the findings not listed (`ReportOptions.moreFindingsHint`).
    public var moreFindingsHint: String?

    public init(color: Bool = false, verbose: Bool = false, findingsPerRule: Int = 20, command: String = "check", moreFindingsHint: String? = nil) {
        self.color = color
        self.verbose = verbose
        self.findingsPerRule = findingsPerRule
        self.command = command
        self.moreFindingsHint = moreFindingsHint
    }

    public func render(_ context: ReportContext) throws -> [UInt8] {
        let evaluation = context.evaluation
        var lines: [String] = []
        let inputs = context.inputFiles
        lines.append("backup-audit \(command): \(ReportText.count(evaluation.jobCount, "job")) from \(ReportText.count(inputs.count, "input")), now \(evaluation.now.iso8601)")
        for note in context.dataNotes { lines.append(paint("warning", .yellow) + ": " + Self.safe(note.text)) }
        lines.append("")
        for result in evaluation.results {
            lines += ruleLines(result, now: evaluation.now)
        }
        for warning in evaluation.warnings {
            lines.append(paint("warning", .yellow) + ": " + Self.safe(WarningText.line(warning)))
        }
        if !evaluation.warnings.isEmpty { lines.append("") }
        let s = evaluation.summary
        var summary = "\(ReportText.count(s.rules, "rule")): \(s.passed) passed, \(s.failed) failed"
        if s.empty > 0 { summary += ", \(s.empty) empty" }
        if s.notJudged > 0 { summary += ", \(s.notJudged) not judged" }
        if s.waived > 0 { summary += ", \(s.waived) waived" }
        if s.errors > 0 { summary += ", \(ReportText.count(s.errors, "error"))" }
        summary += "; \(ReportText.count(s.findings, "finding"))"
        if s.waivedFindings > 0 { summary += " (\(s.waivedFindings) waived)" }
        if s.emptyScope > s.empty { summary += "; \(s.emptyScope - s.empty) failed with no subject in scope" }
        if !evaluation.warnings.isEmpty { summary += "; \(ReportText.count(evaluation.warnings.count, "warning"))" }
        let blocked = evaluation.results.contains(where: \.blocksGate)
        lines.append(paint(summary, s.failed > 0 || s.errors > 0 || blocked ? .red : .green, bold: true))
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    private func ruleLines(_ result: RuleResult, now: Timestamp) -> [String] {
        let rule = result.rule
        let (mark, colour): (String, Colour) = switch result.status {
        case .pass: ("✓", .green)
        case .fail: ("✗", .red)
        case .waived: ("~", .yellow)
        case .error: ("!", .red)
        case .empty: ("–", .yellow)
        case .notJudged: ("?", result.missingKindsAllowed ? .yellow : .red)
        }
        var head = paint("\(mark) \(result.status.label)", colour, bold: true) + "  \(Self.safe(rule.id))  [\(rule.severity.rawValue)]"
        if let title = rule.title { head += "  \(Self.safe(title))" }
        var lines = [head]
        let scope = ReportText.subjects(rule.subject, result.evaluated)
        switch result.status {
        case .pass where result.isNoRule:
            lines.append("    \(result.noRuleCount)")
        case .pass:
            lines.append("    \(scope) passed")
        case .empty:
            lines.append("    no subject in scope: \(Self.safe(rule.bodyText))")
        case .error:
            lines.append("    could not be evaluated: \(Self.safe(FaultText.message(result) ?? ""))")
        case .notJudged:
            lines.append("    \(ReportText.notJudged(result)): \(Self.safe(rule.bodyText))")
        case .fail where result.isEmptyScope:
            lines.append("    no subject in scope (strict): \(Self.safe(rule.bodyText))")
        case .fail where result.isNoRule, .waived where result.isNoRule:
            lines.append("    \(result.noRuleCount)\(result.waivedCount > 0 ? ", \(result.waivedCount) waived" : ""): \(Self.safe(rule.bodyText))")
        case .fail, .waived:
            lines.append("    \(result.failures) of \(scope) failed\(result.waivedCount > 0 ? ", \(result.waivedCount) waived" : ""): \(Self.safe(rule.bodyText))")
        }
        let shown = result.findings.prefix(verbose ? result.findings.count : findingsPerRule)
        for finding in shown {
            let label = finding.status == .waived ? paint("waived", .yellow) : paint("fail", .red)
            lines.append("    \(label) \(Self.safe(finding.subject))")
            lines.append("      \(Self.safe(FindingText.message(finding, of: rule, now: now)))")
            if verbose {
                lines += FindingText.explanation(finding, of: rule, now: now).split(separator: "\n").map { "        " + Self.safe(String($0)) }
            }
            if let waiver = finding.waiver {
                lines.append("      waiver until \(waiver.until)\(waiver.expired ? " (expired)" : ""): \(Self.safe(waiver.reason))")
            }
        }
        if result.findings.count > shown.count {
            lines.append("    … and \(result.findings.count - shown.count) more" + (moreFindingsHint.map { " (\($0))" } ?? ""))
        }
        if verbose, let passed = result.passedSubjects {
            for subject in passed { lines.append("    \(paint("pass", .green)) \(Self.safe(subject))") }
        }
        if let remediation = rule.remediation, result.status == .fail {
            lines.append("    remediation: \(Self.safe(remediation))")
        }
        for waiver in result.staleWaivers {
            lines.append("    " + paint("stale waiver", .yellow) + " (\(Self.safe(waiver.location.file)):\(waiver.location.line)) waives nothing: \(Self.safe(waiver.reason))")
        }
        lines.append("")
        return lines
    }

    /// Data and rule text shown on a terminal: an escape sequence in a StatusMessage or a title
    /// could restyle or rewrite the screen, a newline forge a line (see `TerminalText`).
    static func safe(_ text: String) -> String {
        TerminalText.escaped(text)
    }

    enum Colour: String {
        case red = "31", green = "32", yellow = "33"
    }

    private func paint(_ text: String, _ colour: Colour, bold: Bool = false) -> String {
        guard color else { return text }
        return "\u{1B}[\(bold ? "1;" : "")\(colour.rawValue)m\(text)\u{1B}[0m"
    }
}
