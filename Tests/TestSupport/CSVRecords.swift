/// RFC 4180 text read back into records: quoted fields, doubled quotes, CRLF (or LF) records.
/// For tests of what the CSV writers produce.
public func csvRecords(_ text: String) -> [[String]] {
    var records: [[String]] = [], record: [String] = [], field = ""
    var quoted = false, index = text.startIndex
    while index < text.endIndex {
        let c = text[index]
        if quoted {
            if c == "\"" {
                let next = text.index(after: index)
                if next < text.endIndex && text[next] == "\"" { field.append("\""); index = next } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            record.append(field); field = ""
        } else if c == "\r\n" || c == "\n" {
            record.append(field); records.append(record); record = []; field = ""
        } else {
            field.append(c)
        }
        index = text.index(after: index)
    }
    return records
}
