/// Writes a table as one ListBackupJobs document, one job per line: what `fetch --out` saves and
/// every reader of listings (this tool, jq, the AWS SDKs' shapes) reads back.
///
/// `{"Extra": ..., "BackupJobs": [\n{job},\n{job}\n], "NextToken": "..."}`
public enum ListingDocument {
    /// - Parameters:
    ///   - members: members written before `BackupJobs`, as JSON text (how the listing was made).
    ///   - nextToken: where the listing stops short, when it does.
    public static func bytes(_ table: JobTable, members: [(name: String, json: [UInt8])] = [], nextToken: String? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(table.count * 900 + 256)
        out.append(UInt8(ascii: "{"))
        for member in members {
            JobJSONWriter.appendString(member.name, to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: member.json)
            out.append(contentsOf: Array(",\n".utf8))
        }
        out.append(contentsOf: Array("\"BackupJobs\":[".utf8))
        for (index, job) in table.enumerated() {
            out.append(contentsOf: index == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            JobJSONWriter.append(job, to: &out)
        }
        out.append(contentsOf: table.isEmpty ? Array("]".utf8) : Array("\n]".utf8))
        if let nextToken {
            out.append(contentsOf: Array(",\n\"NextToken\":".utf8))
            JobJSONWriter.appendString(nextToken, to: &out)
        }
        out.append(contentsOf: Array("}\n".utf8))
        return out
    }
}
