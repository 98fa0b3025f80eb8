import BackupJobs
public import RuleEngine
import RuleLanguage

/// Renders what a query found: an aligned table for people, JSON and CSV for scripts.
public enum QueryRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv
    }

    public static func render(_ result: QueryResult, as format: Format) -> [UInt8] {
        switch format {
        case .table: Array(table(result).utf8)
        case .json: json(result)
        case .csv: Array(csv(result).utf8)
        }
    }

    /// Cells as a rule file writes values, strings bare; missing values as `-`; then a count line.
    /// Control and bidirectional characters in values and column names are shown escaped
    /// (`TerminalText`): a value cannot restyle the terminal or break a row.
    static func table(_ result: QueryResult) -> String {
        let columns = result.columns.map { TerminalText.escaped($0) }
        let cells = result.rows.map { $0.map { TerminalText.escaped($0.map(text) ?? "-") } }
        let widths = columns.indices.map { column in
            ([columns[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ values: [String]) -> String {
            zip(values, widths).enumerated().map { index, pair in
                index == values.count - 1 ? pair.0 : pair.0 + String(repeating: " ", count: pair.1 - pair.0.count)
            }.joined(separator: "  ")
        }
        var lines = [line(columns)]
        lines += cells.map(line)
        let shown = result.rows.count < result.matched ? "\(result.rows.count) of \(result.matched)" : "\(result.matched)"
        lines.append("")
        lines.append("\(shown) matching, of \(ReportText.count(result.examined, "subject")) examined")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[{"column": value, ...}, ...]`: strings, numbers, booleans; timestamps in ISO 8601,
    /// durations in milliseconds, sizes in bytes, percentages as fractions; missing values null.
    static func json(_ result: QueryResult) -> [UInt8] {
        var out = "["
        for (index, row) in result.rows.enumerated() {
            out += index == 0 ? "\n  {" : ",\n  {"
            for (column, cell) in row.enumerated() {
                if column > 0 { out += ", " }
                out += result.columns[column].jsonLiteral + ": " + (cell.map(jsonValue) ?? "null")
            }
            out += "}"
        }
        out += result.rows.isEmpty ? "]\n" : "\n]\n"
        return Array(out.utf8)
    }

    static func jsonValue(_ constant: Constant) -> String {
        switch constant {
        case .string(let s): s.jsonLiteral
        case .number(let n), .percent(let n): ReportText.number(n)
        case .boolean(let b): b ? "true" : "false"
        case .timestamp(let t): t.iso8601.jsonLiteral
        case .duration(let d), .size(let d): String(d)
        case .list(let items): "[" + items.map(jsonValue).joined(separator: ", ") + "]"
        }
    }

    /// RFC 4180 with the CSV report's formula guard.
    static func csv(_ result: QueryResult) -> String {
        let rows = [result.columns] + result.rows.map { $0.map { $0.map(text) ?? "" } }
        return rows.map { $0.map(CSVReporter.cell).joined(separator: ",") + "\r\n" }.joined()
    }

    /// A value as a rule file writes it, strings without quotes.
    static func text(_ constant: Constant) -> String {
        if case .string(let s) = constant { return s }
        return ReportText.constant(constant)
    }
}

extension String {
    /// The string as a JSON literal.
    fileprivate var jsonLiteral: String {
        var bytes: [UInt8] = []
        JSONText.appendString(self, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
