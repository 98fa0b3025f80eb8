/// Reads the plain inventories: a list of ARNs, one a line, or a CSV file (RFC 4180) whose header
/// names an `arn` column and optionally `type`, `name`, `account` and `tag:KEY` columns.
///
/// Blank lines and lines starting with `#` are skipped in a list of ARNs. Every other line must be
/// an ARN, and every CSV row a resource: a line that is neither is an error at its line and
/// column, never skipped, since a resource lost from an inventory would pass as one that needs
/// no protection.
enum ResourceListParser {
    /// The resources, and whether the input was CSV.
    static func parse(_ bytes: [UInt8], name: String, isCompressed: Bool) throws(ListingInputError) -> (records: [Record], isCSV: Bool) {
        let lines = TextLine.split(bytes)
        guard let first = lines.first(where: { !$0.isBlank && !$0.isComment }) else {
            throw ListingInputError(
                .empty, source: name, isCompressed: isCompressed,
                message: "no resource: the list holds no ARN (a failed export leaves an empty file)")
        }
        func fail(_ code: ListingInputError.Code, _ line: TextLine, column: Int = 0, _ message: String) -> ListingInputError {
            ListingInputError(
                code, source: name,
                location: .init(line: line.number, column: column + 1, byteOffset: line.start + column),
                isCompressed: isCompressed, message: message)
        }
        let header = first.text.trimmingSpaces
        // A header naming an arn column, or any comma: CSV. ARNs hold no comma.
        if first.text.contains(",") || Column(header.lowercased()) == .arn {
            return (try csv(lines, from: first, fail: fail), true)
        }
        var records: [Record] = []
        for line in lines where !line.isBlank && !line.isComment {
            let arn = line.text.trimmingSpaces
            do throws(JSONScanner.Problem) {
                records.append(try InventoryRecords.record(arn: arn, at: 0, field: "the line", source: .arnList, tags: nil))
            } catch {
                throw fail(error.code, line, column: line.text.prefix { $0 == " " || $0 == "\t" }.utf8.count, error.message)
            }
        }
        return (records, false)
    }

    /// The columns a CSV inventory may have.
    enum Column: Equatable {
        case arn, type, name, account
        case tag(String)

        /// A header cell, trimmed; nil when it names no column this reader knows.
        init?(_ header: String) {
            let lower = header.lowercased()
            switch lower {
            case "arn", "resourcearn", "resource_arn", "resource arn": self = .arn
            case "type", "resourcetype", "resource_type", "resource type": self = .type
            case "name", "resourcename", "resource_name", "resource name": self = .name
            case "account", "accountid", "account_id", "account id": self = .account
            default:
                guard let prefix = ["tag:", "tags:", "tag."].first(where: lower.hasPrefix) else { return nil }
                let key = String(header.dropFirst(prefix.count)).trimmingSpaces
                guard !key.isEmpty else { return nil }
                self = .tag(key)
            }
        }
    }

    private static func csv(
        _ lines: [TextLine], from headerLine: TextLine, fail: (ListingInputError.Code, TextLine, Int, String) -> ListingInputError
    ) throws(ListingInputError) -> [Record] {
        var rows = CSVRows(lines: lines, startingAt: headerLine.index)
        guard let header = try rows.next(fail: fail) else { return [] }
        var columns: [Column] = []
        for cell in header.cells {
            guard let column = Column(cell.text.trimmingSpaces) else {
                throw fail(.csv, header.line, cell.column,
                           "unknown column \"\(cell.text)\": the columns are arn, and optionally type, name, account and tag:KEY (one per tag key)")
            }
            guard !columns.contains(column) else {
                throw fail(.csv, header.line, cell.column, "the column \"\(cell.text)\" appears twice")
            }
            columns.append(column)
        }
        guard let arnColumn = columns.firstIndex(of: .arn) else {
            throw fail(.csv, header.line, 0, "the header names no arn column (arn, and optionally type, name, account and tag:KEY)")
        }
        let hasTags = columns.contains { if case .tag = $0 { true } else { false } }
        let backupTypes = Set(RecordSchema.backupJob.descriptor(path: "ResourceType")?.documentedValues?.values ?? [])
        var records: [Record] = []
        while let row = try rows.next(fail: fail) {
            guard row.cells.count == columns.count else {
                throw fail(.csv, row.line, 0, "the row has \(row.cells.count) cells; the header has \(columns.count) columns")
            }
            var tags: [String: String] = [:]
            var type: String?, name: String?, account: String?
            for (column, cell) in zip(columns, row.cells) {
                let text = cell.text.trimmingSpaces
                switch column {
                case .arn: break
                case .type: type = text.isEmpty ? nil : text
                case .name: name = text
                case .account: account = text.isEmpty ? nil : text
                // An empty cell: the resource does not carry the tag.
                case .tag(let key): if !text.isEmpty { tags[key] = text }
                }
            }
            let arnCell = row.cells[arnColumn]
            do throws(JSONScanner.Problem) {
                records.append(try InventoryRecords.record(
                    arn: arnCell.text.trimmingSpaces, at: 0, field: "the arn cell", source: .csv, tags: hasTags ? tags : nil, name: name,
                    account: account, sourceType: type, backupType: type.flatMap { backupTypes.contains($0) ? $0 : nil }))
            } catch {
                throw fail(error.code, row.line, arnCell.column, error.message)
            }
        }
        return records
    }
}

/// One line of a text input: its bytes as text, where it starts, and its number (from 1).
struct TextLine {
    let text: String
    let start: Int
    let number: Int
    /// Its position among the input's lines.
    let index: Int

    var isBlank: Bool { text.allSatisfy { $0 == " " || $0 == "\t" } }
    var isComment: Bool { text.trimmingSpaces.hasPrefix("#") }

    /// Lines split at LF, a CR before it dropped.
    static func split(_ bytes: [UInt8]) -> [TextLine] {
        var lines: [TextLine] = []
        var start = 0
        // A UTF-8 byte order mark is not part of the first line.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        var lineStart = start
        for position in start...bytes.count where position == bytes.count || bytes[position] == 0x0A {
            var end = position
            if end > lineStart && bytes[end - 1] == 0x0D { end -= 1 }
            if position < bytes.count || end > lineStart {
                lines.append(TextLine(text: String(decoding: bytes[lineStart..<end], as: UTF8.self), start: lineStart, number: lines.count + 1, index: lines.count))
            }
            lineStart = position + 1
        }
        return lines
    }
}

/// The rows of a CSV text: cells separated by commas, a cell in double quotes may hold commas,
/// doubled quotes and line breaks (RFC 4180).
struct CSVRows {
    struct Cell {
        var text: String
        /// The byte column (from 0) where the cell starts in its row's first line.
        var column: Int
    }

    struct Row {
        var cells: [Cell]
        var line: TextLine
    }

    private let lines: [TextLine]
    private var index: Int

    init(lines: [TextLine], startingAt index: Int) {
        self.lines = lines
        self.index = index
    }

    /// The next row; blank lines between rows are skipped.
    mutating func next(fail: (ListingInputError.Code, TextLine, Int, String) -> ListingInputError) throws(ListingInputError) -> Row? {
        while index < lines.count && lines[index].isBlank { index += 1 }
        guard index < lines.count else { return nil }
        let first = lines[index]
        var cells: [Cell] = []
        var current: [UInt8] = []
        var cellColumn = 0
        var quoted = false, wasQuoted = false
        var line = first
        var bytes = Array(line.text.utf8)
        var position = 0
        while true {
            if position == bytes.count {
                guard quoted else { break }
                // A quoted cell goes on to the next line.
                index += 1
                guard index < lines.count else {
                    throw fail(.csv, first, cellColumn, "a quoted cell is not closed before the end of the input")
                }
                current.append(0x0A)
                line = lines[index]
                bytes = Array(line.text.utf8)
                position = 0
                continue
            }
            let c = bytes[position]
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\"") {
                        current.append(c)
                        position += 2
                        continue
                    }
                    quoted = false
                } else {
                    current.append(c)
                }
            } else if c == UInt8(ascii: ",") {
                cells.append(Cell(text: String(decoding: current, as: UTF8.self), column: cellColumn))
                current = []
                wasQuoted = false
                cellColumn = position + 1
            } else if c == UInt8(ascii: "\"") && current.allSatisfy({ $0 == 0x20 }) && !wasQuoted {
                quoted = true
                wasQuoted = true
                current = []
            } else if wasQuoted && c != 0x20 {
                throw fail(.csv, line, position, "text after the closing quote of a cell")
            } else {
                current.append(c)
            }
            position += 1
        }
        cells.append(Cell(text: String(decoding: current, as: UTF8.self), column: cellColumn))
        index += 1
        return Row(cells: cells, line: first)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}
