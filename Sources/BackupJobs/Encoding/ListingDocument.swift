/// Writes a table as one listing document of its kind (a ListBackupJobs, ListCopyJobs, …
/// response), one record per line: what `fetch --out` saves and every reader of listings (this
/// tool, jq, the AWS SDKs' shapes) reads back.
///
/// `{"Extra": ..., "BackupJobs":[\n{job},\n{job}\n], "NextToken": "..."}`
public enum ListingDocument {
    /// Streams the document to `sink` in chunks of about `chunkSize` bytes, so a large listing
    /// is never held twice in memory.
    ///
    /// - Parameters:
    ///   - members: members written before the records' member (`BackupJobs`), as JSON text (how the listing was made).
    ///   - nextToken: where the listing stops short, when it does.
    public static func write<E: Error>(
        _ table: RecordTable, members: [(name: String, json: [UInt8])] = [], nextToken: String? = nil, chunkSize: Int = 1 << 22,
        to sink: ([UInt8]) throws(E) -> Void
    ) throws(E) {
        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + (1 << 16))
        out.append(UInt8(ascii: "{"))
        for member in members {
            JSONText.appendString(member.name, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: member.json)
            out.append(contentsOf: Array(",\n".utf8))
        }
        JSONText.appendString(table.kind.member, to: &out)
        out.append(contentsOf: Array(":[".utf8))
        let writer = TableJSONWriter(table)
        for row in 0..<table.count {
            out.append(contentsOf: row == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            writer.append(row: row, to: &out)
            if out.count >= chunkSize {
                try sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(contentsOf: table.isEmpty ? Array("]".utf8) : Array("\n]".utf8))
        if let nextToken {
            out.append(contentsOf: Array(",\n\"NextToken\":".utf8))
            JSONText.appendString(nextToken, to: &out)
        }
        out.append(contentsOf: Array("}\n".utf8))
        try sink(out)
    }

    /// The whole document in memory.
    public static func bytes(_ table: RecordTable, members: [(name: String, json: [UInt8])] = [], nextToken: String? = nil) -> [UInt8] {
        var document: [UInt8] = []
        write(table, members: members, nextToken: nextToken) { (chunk: [UInt8]) throws(Never) in document += chunk }
        return document
    }
}
