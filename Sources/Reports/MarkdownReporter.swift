import BackupJobs
import RuleEngine
import RuleLanguage

/// GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY` and pull-request comments: a table of
/// rules, then the failing subjects of each failing rule in a collapsible section.
public struct MarkdownReporter: Reporter {
    public var findingsPerRule: Int

    public init(findingsPerRule: Int = 20) {
        self.findingsPerRule = findingsPerRule
    }

    public func render(_ context: ReportContext) throws -> [UInt8] {
        let evaluation = context.evaluation
        let s = evaluation.summary
        var lines = [
            "## backup-audit: \(verdict(context))",
            "",
            "\(ReportText.count(evaluation.jobCount, "job")) checked at \(evaluation.now.iso8601) against \(ReportText.count(s.rules, "rule")): "
                + "\(s.passed) passed, \(s.failed) failed, \(s.empty) empty, \(s.waived) waived, \(s.errors) errors.",
            "",
        ]
        for note in context.dataNotes { lines += ["> ⚠️ \(cell(note.text))", ""] }
        lines += [
            "| | rule | severity | result | title |",
            "|---|---|---|---|---|",
        ]
        for result in evaluation.results {
            let icon = switch result.status {
            case .pass: "✅"
            case .fail: "❌"
            case .waived: "⚪"
            case .error: "⚠️"
            case .empty: "➖"
            case .notJudged: "❔"
            }
            lines.append("| \(icon) | `\(result.rule.id)` | \(result.rule.severity.rawValue) | \(cell(result.outcome)) | \(cell(result.rule.title ?? "")) |")
        }
        for result in evaluation.results where result.status == .fail || result.status == .error {
            lines += ["", "<details><summary><code>\(html(result.rule.id))</code>: \(html(TerminalText.escaped(result.rule.title ?? result.rule.bodyText)))</summary>", ""]
            lines.append("Rule: `\(code(result.rule.bodyText))`")
            if let message = FaultText.message(result) { lines += ["", "Could not be evaluated: \(cell(message))"] }
            if let remediation = result.rule.remediation { lines += ["", "Remediation: \(cell(remediation))"] }
            lines.append("")
            for finding in result.findings.prefix(findingsPerRule) {
                lines.append("- \(finding.status == .waived ? "⚪ waived" : "❌") `\(code(finding.subject))`: \(cell(FindingText.message(finding, of: result.rule, now: evaluation.now)))")
            }
            if result.findings.count > findingsPerRule {
                lines.append("- … and \(result.findings.count - findingsPerRule) more (see the JSON report)")
            }
            lines += ["", "</details>"]
        }
        let stale = evaluation.results.flatMap { result in result.staleWaivers.map { (result.rule.id, $0) } }
        if !stale.isEmpty {
            lines += ["", "Stale waivers (they waived nothing):", ""]
            for (rule, waiver) in stale {
                lines.append("- `\(rule)` at `\(code(waiver.location.file)):\(waiver.location.line)`: \(cell(waiver.reason))")
            }
        }
        if !evaluation.warnings.isEmpty {
            lines += ["", "Warnings (values that matched no job):", ""]
            for warning in evaluation.warnings {
                lines.append("- `\(warning.rule ?? "")` at `\(code(WarningText.location(warning)))`: \(cell(WarningText.message(warning)))")
            }
        }
        lines.append("")
        lines.append("<sub>backup-audit \(context.toolVersion) · inputs: "
            + context.inputFiles.map { "`\(code($0.path))` (sha256 \($0.sha256.prefix(12))…)" }.joined(separator: ", ") + "</sub>")
        return Array((lines.joined(separator: "\n") + "\n").utf8)
    }

    private func verdict(_ context: ReportContext) -> String {
        let verdict = ReportVerdict(context)
        let symbol = switch verdict {
        case .failing: "❌"
        case .notJudged, .incompleteOrEmptyData: "⚠️"
        case .compliant: "✅"
        }
        return "\(symbol) \(verdict.text)"
    }

    /// Text for a table cell: one line, pipes escaped, HTML neutralised.
    private func cell(_ text: String) -> String {
        html(TextReporter.safe(ReportText.oneLine(text, limit: 500))).replacingPipes()
    }

    /// Text in a code span: on one line, with controls and bidi marks escaped as a terminal
    /// shows them (`\n`, `\u{1B}`), and no backtick that would end the span.
    private func code(_ text: String) -> String {
        TerminalText.escaped(text).replacingBackticks()
    }

    // These three go by scalars, not Characters: `<`, `|` or a backtick followed by a combining
    // mark is one Character that is none of them, yet Markdown and HTML read the mark apart.

    private func html(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}

extension String {
    fileprivate func replacingPipes() -> String {
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == "|" { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }

    fileprivate func replacingBackticks() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "`" ? "'" : $0 }))
    }
}
