public import BackupJobs

/// How a rule or query not judged for want of input reads, once for every report, the gate's
/// messages and the query command: `the inputs hold no copy jobs and restore jobs, which the rule
/// reads`.
public enum NotJudgedText {
    /// `copy jobs`, `copy jobs and restore jobs`, `backup jobs, copy jobs and restore jobs`.
    public static func kinds(_ kinds: [RecordKind]) -> String {
        let nouns = kinds.map(\.pluralNoun)
        return nouns.count < 2 ? nouns.joined() : nouns.dropLast().joined(separator: ", ") + " and " + nouns.last!
    }

    /// Why it was not judged; `reader` names what reads the kinds (`the rule`, `it`, `the query`).
    public static func missing(_ kinds: [RecordKind], reader: String) -> String {
        "the inputs hold no \(self.kinds(kinds)), which \(reader) reads"
    }
}
