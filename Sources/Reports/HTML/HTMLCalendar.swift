import BackupJobs

/// The calendar heatmap: resources (rows, grouped by account and type) by UTC day, each cell the
/// day's outcome as a class (colour), a glyph and a title (hover, and keyboard focus through
/// `tabindex`, read out through `aria-label`). Each group has a summary row; resources the
/// findings name come first, and rows beyond `maxRows` are counted, not drawn.
struct HTMLCalendar {
    var calendar: ResourceCalendar
    /// Resources named by a failing or waived finding.
    var flagged: Set<String>
    var maxRows: Int

    static func glyph(_ outcome: ResourceCalendar.Outcome) -> String {
        switch outcome {
        case .completed: "✓"
        case .partial: "◐"
        case .inFlight: "…"
        case .failed: "✗"
        case .missing: "·"
        }
    }

    func render(into body: inout HTMLWriter) {
        let rows = calendar.rows
        // Which rows are drawn: flagged ones first, then the rest, up to maxRows.
        let drawnIndices = Set(rows.indices.sorted { (flagged.contains(rows[$0].resource) ? 0 : 1, $0) < (flagged.contains(rows[$1].resource) ? 0 : 1, $1) }.prefix(maxRows))
        let groups = Dictionary(grouping: rows.indices) { GroupKey(account: rows[$0].account, type: rows[$0].resourceType) }
        body.element("section", ["id": "calendar"]) { section in
            section.element("h2", text: "Backups by resource and day")
            section.element("p", ["class": "meta"]) { p in
                p.text("Each cell is a UTC day's best outcome for a resource: ")
                for outcome in ResourceCalendar.Outcome.allCases.reversed() {
                    p.element("span", ["class": "cell c-\(outcome.name)"], text: Self.glyph(outcome))
                    p.text(" \(outcome.words) ")
                }
                p.text("(jobs created that day). In each account and type, resources with findings come first.")
            }
            if drawnIndices.count < rows.count {
                section.element("p", ["class": "note", "role": "note", "id": "calendar-more"],
                                text: "\(ReportText.count(rows.count - drawnIndices.count, "more resource")) not drawn (\(rows.count) in all); every group's summary row counts them.")
            }
            section.element("div", ["class": "scroll"]) { scroll in
                scroll.element("table", ["class": "calendar"]) { table in
                    table.element("caption", text: "\(ReportText.count(rows.count, "resource")) by day, \(calendar.day(0).iso8601.prefix(10)) to \(calendar.day(calendar.dayCount - 1).iso8601.prefix(10)) (UTC)")
                    table.element("thead") { $0.element("tr") { row in
                        row.element("th", ["scope": "col"], text: "resource")
                        for day in 0..<calendar.dayCount {
                            let date = String(calendar.day(day).iso8601.prefix(10))
                            row.element("th", ["scope": "col", "class": "day"]) { $0.element("abbr", ["title": date], text: String(date.suffix(2))) }
                        }
                    } }
                    for key in groups.keys.sorted() {
                        let members = groups[key]!
                        table.element("tbody", ["data-account": key.account, "data-type": key.type]) { tbody in
                            summaryRow(key, members, into: &tbody)
                            let drawn = members.filter(drawnIndices.contains)
                            for index in drawn.filter({ flagged.contains(rows[$0].resource) }) + drawn.filter({ !flagged.contains(rows[$0].resource) }) {
                                resourceRow(rows[index], into: &tbody)
                            }
                        }
                    }
                }
            }
        }
    }

    private struct GroupKey: Hashable, Comparable {
        var account: String
        var type: String
        static func < (a: Self, b: Self) -> Bool { (a.account, a.type) < (b.account, b.type) }
    }

    /// The group's row: per day, how many of its resources completed, coloured by the worst.
    private func summaryRow(_ key: GroupKey, _ members: [Int], into tbody: inout HTMLWriter) {
        tbody.element("tr", ["class": "group"]) { row in
            row.element("th", ["scope": "row"], text: "\(key.account) · \(key.type) (\(ReportText.count(members.count, "resource")))")
            for day in 0..<calendar.dayCount {
                var counts = [ResourceCalendar.Outcome: Int]()
                for index in members { counts[calendar.rows[index].cells[day].outcome, default: 0] += 1 }
                let worst = ResourceCalendar.Outcome.allCases.first { counts[$0, default: 0] > 0 } ?? .missing
                let date = String(calendar.day(day).iso8601.prefix(10))
                let label = "\(date), \(key.account) \(key.type): " + ResourceCalendar.Outcome.allCases.reversed()
                    .compactMap { outcome in counts[outcome].map { "\($0) \(outcome.words)" } }.joined(separator: ", ")
                row.element("td", ["class": "cell c-\(worst.name)", "tabindex": "0", "title": label, "aria-label": label],
                            text: "\(counts[.completed, default: 0])/\(members.count)")
            }
        }
    }

    private func resourceRow(_ resource: ResourceCalendar.Row, into tbody: inout HTMLWriter) {
        tbody.element("tr", ["class": "resource", "data-resource": resource.resource, "data-flagged": flagged.contains(resource.resource) ? "" : nil]) { row in
            row.element("th", ["scope": "row"]) { $0.element("code", text: resource.resource) }
            for (day, cell) in resource.cells.enumerated() {
                let date = String(calendar.day(day).iso8601.prefix(10))
                var label = "\(date) \(resource.resource): \(cell.outcome.words)"
                if cell.jobs > 0 { label += ", \(ReportText.count(Int(cell.jobs), "job"))" }
                if let latest = calendar.latestJob(cell) {
                    label += "; latest \(latest.id) \(latest.state)" + (latest.created.map { " created \($0.iso8601)" } ?? "")
                }
                row.element("td", ["class": "cell c-\(cell.outcome.name)", "data-day": date, "data-outcome": cell.outcome.name,
                                   "tabindex": "0", "title": label, "aria-label": label], text: Self.glyph(cell.outcome))
            }
        }
    }
}

extension ResourceCalendar.Outcome {
    /// `in flight`, `completed`: as a sentence says it.
    fileprivate var words: String { self == .inFlight ? "in flight" : name }
}
