import BackupJobs
import RuleEngine
import RuleLanguage

/// A self-contained HTML page for the people behind the gate: the verdict and what it was made on
/// at the top, then every rule (those with findings first) with its failing subjects, their
/// explanations, evidence and waivers, and filters that work without reloading. It loads nothing
/// (style and script are inline and pinned by the page's Content-Security-Policy), follows the
/// system's light or dark scheme, and prints each rule on a page of its own.
public struct HTMLReporter: Reporter {
    /// Findings shown per rule; the rest are counted (the JSON report has them all), so the page
    /// stays small on a large estate.
    public var findingsPerRule: Int
    /// Resources the calendar draws a row for; the rest are counted in their group's summary row.
    public var calendarRows: Int

    public init(findingsPerRule: Int = 500, calendarRows: Int = 300) {
        self.findingsPerRule = findingsPerRule
        self.calendarRows = calendarRows
    }

    public func render(_ context: ReportContext) throws -> [UInt8] {
        let verdict = ReportVerdict(context)
        var page = HTMLWriter()
        page.trusted("<!DOCTYPE html>")
        page.element("html", ["lang": "en"]) { page in
            page.element("head") { head in
                head.void("meta", ["charset": "utf-8"])
                head.void("meta", ["http-equiv": "Content-Security-Policy", "content": HTMLAssets.policy])
                head.void("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                head.void("meta", ["name": "color-scheme", "content": "light dark"])
                head.element("title", text: "backup-audit: \(verdict.text)")
                head.trusted("<style>")
                head.trusted(HTMLAssets.style)
                head.trusted("</style>")
            }
            page.element("body") { body in
                summary(context, verdict, into: &body)
                if let calendar = Self.calendar(context) {
                    let flagged = Set(context.evaluation.results.flatMap { $0.findings.map(\.subject) })
                    HTMLCalendar(calendar: calendar, flagged: flagged, maxRows: calendarRows).render(into: &body)
                }
                filters(context, into: &body)
                body.element("main", ["id": "rules"]) { main in
                    for result in Self.ordered(context.evaluation.results) { rule(result, now: context.evaluation.now, into: &main) }
                }
                warnings(context, into: &body)
                body.trusted("<script>")
                body.trusted(HTMLAssets.script)
                body.trusted("</script>")
            }
        }
        return Array((page.html + "\n").utf8)
    }

    /// The backup jobs by resource and day, from the first day of the data to `now`'s.
    static func calendar(_ context: ReportContext) -> ResourceCalendar? {
        guard let jobs = context.backupJobs, let window = context.window else { return nil }
        let calendar = ResourceCalendar(jobs, from: window.lowerBound, through: context.evaluation.now)
        return calendar.dayCount > 0 && !calendar.rows.isEmpty ? calendar : nil
    }

    /// Rules with findings or that could not be judged first, then empty ones, then those that
    /// passed; in the program's order within each.
    static func ordered(_ results: [RuleResult]) -> [RuleResult] {
        func rank(_ result: RuleResult) -> Int {
            switch result.status {
            case .fail, .error: 0
            case .waived, .notJudged: 1
            case .empty: 2
            case .pass: result.findings.isEmpty ? 3 : 1
            }
        }
        return results.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    private func summary(_ context: ReportContext, _ verdict: ReportVerdict, into body: inout HTMLWriter) {
        let evaluation = context.evaluation
        body.element("header", ["id": "summary"]) { header in
            header.element("p", ["class": "meta"], text: "backup-audit \(context.toolVersion) · check")
            header.element("h1", ["id": "verdict", "class": "verdict s-\(verdict.name)", "data-verdict": verdict.name],
                           text: "\(Self.glyph(verdict)) \(verdict.text)")
            header.element("p") { line in
                line.text("\(ReportText.count(evaluation.jobCount, "record")) judged at ")
                line.element("time", ["id": "now", "datetime": evaluation.now.iso8601], text: evaluation.now.iso8601)
                if let window = context.window {
                    line.text(" · data from ")
                    line.element("time", ["id": "window-start", "datetime": window.lowerBound.iso8601], text: window.lowerBound.iso8601)
                    line.text(" to ")
                    line.element("time", ["id": "window-end", "datetime": window.upperBound.iso8601], text: window.upperBound.iso8601)
                }
                line.text(" · rule files: " + context.ruleFiles.joined(separator: ", "))
            }
            for note in context.dataNotes {
                header.element("p", ["class": "note", "role": "note", "data-note": note.kind.rawValue], text: "⚠ " + note.text)
            }
        }
        body.element("section", ["id": "inputs"]) { section in
            section.element("h2", text: "Inputs")
            section.element("table") { table in
                table.element("thead") { $0.element("tr") { row in
                    for title in ["file", "SHA-256", "bytes", "records"] { row.element("th", ["scope": "col"], text: title) }
                } }
                table.element("tbody") { tbody in
                    for file in context.inputFiles {
                        tbody.element("tr") { row in
                            row.element("td") { $0.element("code", text: file.path) }
                            row.element("td", ["class": "mono"], text: file.sha256)
                            row.element("td", ["class": "n"], text: String(file.bytes))
                            row.element("td", ["class": "n"], text: String(file.jobsRead))
                        }
                    }
                }
            }
        }
        counts(evaluation, into: &body)
    }

    /// Rules by severity (rows) and status (columns), with totals: what failed, and how much it matters.
    private func counts(_ evaluation: Evaluation, into body: inout HTMLWriter) {
        let statuses: [RuleResult.Status] = [.fail, .error, .notJudged, .waived, .empty, .pass]
        body.element("section", ["id": "counts"]) { section in
            section.element("h2", text: "Rules by status and severity")
            section.element("table") { table in
                table.element("thead") { $0.element("tr") { row in
                    row.element("th", ["scope": "col"], text: "severity")
                    for status in statuses { row.element("th", ["scope": "col", "class": "n"], text: status.label.lowercased()) }
                    row.element("th", ["scope": "col", "class": "n"], text: "all")
                } }
                table.element("tbody") { tbody in
                    for severity in RuleSeverity.allCases.reversed() {
                        let results = evaluation.results.filter { $0.rule.severity == severity }
                        tbody.element("tr") { row in
                            row.element("th", ["scope": "row"], text: severity.rawValue)
                            for status in statuses {
                                row.element("td", ["class": "n", "data-count": "\(severity.rawValue)/\(status.rawValue)"],
                                            text: String(results.count { $0.status == status }))
                            }
                            row.element("td", ["class": "n"], text: String(results.count))
                        }
                    }
                    tbody.element("tr") { row in
                        row.element("th", ["scope": "row"], text: "all")
                        for status in statuses {
                            row.element("td", ["class": "n", "data-count": "all/\(status.rawValue)"], text: String(evaluation.results.count { $0.status == status }))
                        }
                        row.element("td", ["class": "n"], text: String(evaluation.results.count))
                    }
                }
            }
            let s = evaluation.summary
            section.element("p", ["class": "meta"], text: "\(ReportText.count(s.findings, "failing subject")), \(s.waivedFindings) waived, \(ReportText.count(evaluation.warnings.count, "warning"))")
        }
    }

    /// The filter form: hidden until the script shows it, so the page without script shows
    /// every rule and no control that would do nothing.
    private func filters(_ context: ReportContext, into body: inout HTMLWriter) {
        body.element("form", ["id": "filters", "hidden": "", "aria-label": "Filter rules and findings"]) { form in
            form.element("label") { label in
                label.text("status")
                label.element("select", ["name": "status"]) { select in
                    select.element("option", ["value": ""], text: "any")
                    for status in ["fail", "error", "not-judged", "waived", "empty", "pass"] { select.element("option", ["value": status], text: status) }
                }
            }
            form.element("label") { label in
                label.text("severity")
                label.element("select", ["name": "severity"]) { select in
                    select.element("option", ["value": ""], text: "any")
                    for severity in RuleSeverity.allCases.reversed() { select.element("option", ["value": severity.rawValue], text: severity.rawValue) }
                }
            }
            // The script adds the accounts and types the findings name.
            form.element("label") { label in
                label.text("account")
                label.element("select", ["name": "account"]) { $0.element("option", ["value": ""], text: "any") }
            }
            form.element("label") { label in
                label.text("resource type")
                label.element("select", ["name": "type"]) { $0.element("option", ["value": ""], text: "any") }
            }
            form.element("label") { label in
                label.text("text")
                label.void("input", ["type": "search", "name": "text", "placeholder": "rule, subject, message…"])
            }
            form.element("output", ["id": "shown", "hidden": "", "aria-live": "polite"])
        }
    }

    private func rule(_ result: RuleResult, now: Timestamp, into main: inout HTMLWriter) {
        let rule = result.rule
        main.element("section", ["class": "rule", "id": "rule-\(rule.id)", "data-rule": rule.id,
                                 "data-status": result.status.rawValue, "data-severity": rule.severity.rawValue]) { section in
            section.element("header") { header in
                header.element("h2") { h2 in
                    h2.element("span", ["class": "badge s-\(result.status.rawValue)"], text: "\(Self.glyph(result.status)) \(result.status.label)")
                    h2.text(" ")
                    h2.element("code", ["class": "rule-id"], text: rule.id)
                    if let title = rule.title { h2.text(": " + title) }
                }
                header.element("dl") { dl in
                    dl.element("dt", text: "severity")
                    dl.element("dd", text: rule.severity.rawValue)
                    if !rule.controls.isEmpty {
                        dl.element("dt", text: "controls")
                        dl.element("dd", ["class": "controls"], text: rule.controls.joined(separator: ", "))
                    }
                    dl.element("dt", text: "outcome")
                    dl.element("dd", text: result.outcome)
                    dl.element("dt", text: "rule")
                    dl.element("dd") { $0.element("code", text: rule.bodyText) }
                    dl.element("dt", text: "written at")
                    dl.element("dd") { $0.element("code", text: "\(rule.location.file):\(rule.location.line)") }
                    if let remediation = rule.remediation {
                        dl.element("dt", text: "remediation")
                        dl.element("dd", text: remediation)
                    }
                    if let description = rule.description {
                        dl.element("dt", text: "description")
                        dl.element("dd", text: description)
                    }
                }
            }
            if let message = FaultText.message(result) {
                section.element("p", ["class": "note", "role": "note"], text: "Could not be evaluated: " + message)
            }
            if !result.findings.isEmpty { findings(result, now: now, into: &section) }
            if !result.staleWaivers.isEmpty {
                section.element("h3", text: "Stale waivers (they waived nothing)")
                section.element("ul") { list in
                    for waiver in result.staleWaivers {
                        list.element("li") { item in
                            item.element("code", text: "\(waiver.location.file):\(waiver.location.line)")
                            item.text(": until \(waiver.untilText): \(waiver.reason)")
                        }
                    }
                }
            }
        }
    }

    private func findings(_ result: RuleResult, now: Timestamp, into section: inout HTMLWriter) {
        section.element("table", ["class": "findings"]) { table in
            table.element("caption", text: "\(ReportText.count(result.failures, "failing subject")), \(result.waivedCount) waived")
            table.element("thead") { $0.element("tr") { row in
                for title in ["status", "subject", "why", "evidence", "waiver"] { row.element("th", ["scope": "col"], text: title) }
            } }
            table.element("tbody") { tbody in
                for finding in result.findings.prefix(findingsPerRule).map({ HTMLFindingView($0, of: result.rule, now: now) }) {
                    tbody.element("tr", ["class": "finding", "data-status": finding.status,
                                         "data-account": finding.account, "data-type": finding.resourceType]) { row in
                        row.element("td") { $0.element("span", ["class": "badge s-\(finding.status)"], text: finding.status == "fail" ? "✗ FAIL" : "○ WAIVED") }
                        row.element("td") { $0.element("code", ["class": "subject"], text: finding.subject) }
                        row.element("td") { cell in
                            cell.element("details") { details in
                                details.element("summary", ["class": "message"], text: finding.message)
                                details.element("pre", ["class": "explanation"], text: finding.explanation, keepingNewlines: true)
                            }
                        }
                        row.element("td") { cell in
                            cell.element("ul", ["class": "evidence"]) { list in
                                for record in finding.evidence {
                                    list.element("li") { item in
                                        item.element("span", ["class": "kind"], text: record.kind)
                                        item.text(" ")
                                        item.element("code", ["class": "record"], text: record.id)
                                    }
                                }
                            }
                        }
                        row.element("td", text: finding.waiver ?? "")
                    }
                }
            }
        }
        if result.findings.count > findingsPerRule {
            section.element("p", ["class": "meta more"], text: "… and \(result.findings.count - findingsPerRule) more (the JSON report has them all)")
        }
    }

    private func warnings(_ context: ReportContext, into body: inout HTMLWriter) {
        guard !context.evaluation.warnings.isEmpty else { return }
        body.element("section", ["id": "warnings"]) { section in
            section.element("h2", text: "Warnings: values that matched no record")
            section.element("ul") { list in
                for warning in context.evaluation.warnings {
                    list.element("li") { item in
                        item.element("code", text: "\(warning.rule ?? ""): \(WarningText.location(warning))")
                        item.text(": " + WarningText.message(warning))
                    }
                }
            }
        }
    }

    // Glyphs with every status, so colour is never the only signal.
    static func glyph(_ status: RuleResult.Status) -> String {
        switch status {
        case .pass: "✓"
        case .fail: "✗"
        case .waived: "○"
        case .error: "⚠"
        case .empty: "–"
        case .notJudged: "?"
        }
    }

    static func glyph(_ verdict: ReportVerdict) -> String {
        switch verdict {
        case .failing: "✗"
        case .notJudged, .incompleteOrEmptyData: "⚠"
        case .compliant: "✓"
        }
    }
}
