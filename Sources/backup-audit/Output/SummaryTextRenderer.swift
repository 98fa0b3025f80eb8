import BackupJobs

/// `jobs summary` for people: the inputs, then a section per kind of job (backup, copy, restore
/// jobs), aligned tables with the largest groups first.
struct SummaryTextRenderer {
    func render(_ summaries: [RecordSummary], listing: Listing) -> String {
        let inputs = listing.inputs
        var sections: [String] = []
        sections.append(table(
            header: ["Input", "Format", "Jobs", "Size"],
            rows: inputs.map { input in
                [input.path, input.formatDescription, grouped(input.jobsRead), byteSize(input.bytes)]
            },
            rightAligned: [2, 3]))
        let skipped = inputs.flatMap(\.skippedFiles)
        if !skipped.isEmpty {
            sections[0] += "\n\nNot read (not named *.json, *.jsonl or *.ndjson, or hidden):\n"
                + skipped.map { "  " + TerminalText.escaped($0) }.joined(separator: "\n")
        }
        for summary in summaries { sections += render(summary, listing: listing) }
        return sections.joined(separator: "\n\n")
    }

    /// One kind's sections: the overview (headed by the kind), then the counts by group.
    private func render(_ summary: RecordSummary, listing: Listing) -> [String] {
        let kind = summary.kind, states = kind.schema.states
        let completeness = listing.completeness(of: kind), conflicts = listing.conflicts(of: kind)
        var overview: [[String]] = [
            [kind.pluralNoun.prefix(1).uppercased() + kind.pluralNoun.dropFirst(), grouped(summary.jobs) + (summary.duplicatesDropped > 0
                ? "  (\(grouped(summary.duplicatesDropped)) duplicate\(summary.duplicatesDropped == 1 ? "" : "s") merged)" : "")],
        ]
        overview.append(["Complete", completeness.isComplete ? "yes" : "no: " + completeness.gaps.map(\.description).joined(separator: "; ")])
        if !conflicts.isEmpty {
            overview.append(["Conflicts", JobSourceOptions.describe(conflicts)])
        }
        // Inventories have no state and no creation: their resources, by type, account, Region.
        guard let stateField = states.field, kind.schema.creationField != nil else {
            return renderInventory(summary, overview: overview)
        }
        if let earliest = summary.earliestCreation, let latest = summary.latestCreation {
            overview.append(["Created", "\(earliest) to \(latest)"])
        }
        if summary.jobsWithoutCreationDate > 0 {
            overview.append(["No CreationDate", grouped(summary.jobsWithoutCreationDate)])
        }
        let others = states.values.filter { !states.finished.contains($0) && !states.inFlight.contains($0) }
        overview += [
            ["Resources", "\(grouped(summary.distinctResources)) distinct"],
            ["In flight", grouped(summary.inFlight) + "  (\(states.inFlight.joined(separator: ", ")))"],
            ["Finished", grouped(summary.finished) + "  (\(states.finished.joined(separator: ", ")))"],
        ]
        if summary.otherStates > 0 {
            overview.append(["Other", grouped(summary.otherStates) + "  (\((others + ["newer or missing state"]).joined(separator: ", ")))"])
        }
        var sections = [table(header: nil, rows: overview, rightAligned: [])]
        for (title, counts) in [
            (kind.schema[stateField].path, summary.byState), ("Resource type", summary.byResourceType),
            ("Account", summary.byAccount), ("Region", summary.byRegion), ("Vault", summary.byVault),
        ] {
            sections.append(countTable(counts, title: title, noun: "Jobs", of: summary.jobs))
        }
        return sections
    }

    /// A kind of inventory's sections: how many resources, then by type, account, Region and
    /// (protected resources) the vault of the last backup.
    private func renderInventory(_ summary: RecordSummary, overview: [[String]]) -> [String] {
        var sections = [table(header: nil, rows: overview, rightAligned: [])]
        var groups = [("Resource type", summary.byResourceType), ("Account", summary.byAccount), ("Region", summary.byRegion)]
        if summary.kind.schema.vaultField != nil { groups.append(("Vault", summary.byVault)) }
        for (title, counts) in groups {
            sections.append(countTable(counts, title: title, noun: "Resources", of: summary.jobs))
        }
        return sections
    }

    private func countTable(_ counts: [String: Int], title: String, noun: String, of whole: Int) -> String {
        let sorted = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        return table(
            header: [title, noun, "Share"],
            rows: sorted.map { [$0.key, grouped($0.value), share($0.value, of: whole)] },
            rightAligned: [1, 2])
    }

    /// Every cell shown escaped (`TerminalText`): a path, vault or account from the data cannot
    /// restyle the terminal or break a row.
    private func table(header: [String]?, rows: [[String]], rightAligned: Set<Int>) -> String {
        let all = ((header.map { [$0] } ?? []) + rows).map { $0.map { TerminalText.escaped($0) } }
        guard let columns = all.map(\.count).max() else { return "" }
        let widths = (0..<columns).map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                if rightAligned.contains(column) { return pad + cell }
                return column == row.count - 1 ? cell : cell + pad
            }.joined(separator: "   ")
        }.joined(separator: "\n")
    }

    private func share(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "-" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }
}

/// 1234567 → "1,234,567".
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}

/// Bytes in binary units with one decimal: "326.1 MiB".
func byteSize(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(units[unit])"
}
