/// A total order of rows by what they hold, never by where they came from: the last tie-break
/// between two occurrences of one record, so which one is kept does not depend on the order of
/// the inputs. String ids depend on the order strings were first seen, so strings, maps and
/// members outside the schema are compared by their text.
extension RecordTable {
    /// -1, 0 or 1 as row `a` orders before, equal to, or after row `b`: field by field in schema
    /// order (an absent field before a present one), then the members outside the schema.
    func compareContent(_ a: Int, _ b: Int) -> Int {
        for descriptor in schema.fields {
            let field = descriptor.index
            let inA = has(field, at: a), inB = has(field, at: b)
            if inA != inB { return inA ? 1 : -1 }
            guard inA else { continue }
            let order: Int
            switch layout.kind(field) {
            case .string: order = compareStrings(stringID(field, at: a)!, stringID(field, at: b)!)
            case .timestamp: order = compare(timestamp(field, at: a)!.millisecondsSinceEpoch, timestamp(field, at: b)!.millisecondsSinceEpoch)
            case .integer: order = compare(integer(field, at: a)!, integer(field, at: b)!)
            case .boolean: order = compare(boolean(field, at: a)! ? 1 : 0, boolean(field, at: b)! ? 1 : 0)
            case .stringMap:
                order = mapID(field, at: a) == mapID(field, at: b)
                    ? 0 : compareEntries(sortedEntries(stringMap(field, at: a)!), sortedEntries(stringMap(field, at: b)!))
            case .integerMap:
                order = mapID(field, at: a) == mapID(field, at: b)
                    ? 0 : compareEntries(sortedEntries(integerMap(field, at: a)!), sortedEntries(integerMap(field, at: b)!))
            case .structure: order = 0
            }
            if order != 0 { return order }
        }
        guard additionalIndex[a] != 0 || additionalIndex[b] != 0 else { return 0 }
        return compareEntries(sortedEntries(additionalFields(at: a)), sortedEntries(additionalFields(at: b)))
    }

    private func compare<T: Comparable>(_ a: T, _ b: T) -> Int {
        a < b ? -1 : a == b ? 0 : 1
    }

    /// By UTF-8 bytes, as `memcmp` would.
    private func compareStrings(_ a: UInt32, _ b: UInt32) -> Int {
        if a == b { return 0 }
        return strings.withUTF8(a) { x in
            strings.withUTF8(b) { y in
                for k in 0..<Swift.min(x.count, y.count) where x[k] != y[k] { return x[k] < y[k] ? -1 : 1 }
                return compare(x.count, y.count)
            }
        }
    }

    private func sortedEntries<Value>(_ map: [String: Value]) -> [(key: [UInt8], value: Value)] {
        map.map { (Array($0.key.utf8), $0.value) }.sorted { $0.key.lexicographicallyPrecedes($1.key) }
    }

    /// Entry by entry: keys by their UTF-8 bytes, text values by theirs, numbers by value.
    private func compareEntries<Value>(_ a: [(key: [UInt8], value: Value)], _ b: [(key: [UInt8], value: Value)]) -> Int {
        for (x, y) in zip(a, b) {
            if x.key != y.key { return x.key.lexicographicallyPrecedes(y.key) ? -1 : 1 }
            let order: Int = switch (x.value, y.value) {
            case let (p as String, q as String): Array(p.utf8).lexicographicallyPrecedes(Array(q.utf8)) ? -1 : p == q ? 0 : 1
            case let (p as Int64, q as Int64): compare(p, q)
            default: 0
            }
            if order != 0 { return order }
        }
        return compare(a.count, b.count)
    }
}

/// A record that appeared more than once with versions that contradict each other: two different
/// records of a job that had ended (see docs/inputs.md, "The same job twice").
public struct DuplicateConflict: Sendable, Equatable, Encodable {
    /// The kind of the record.
    public var kind: RecordKind
    /// Its id (BackupJobId, CopyJobId, RestoreJobId).
    public var jobId: String
    /// The inputs the contradicting versions were read from (files, or pages of a fetch), sorted.
    public var inputs: [String]

    public init(kind: RecordKind = .backupJob, jobId: String, inputs: [String]) {
        self.kind = kind
        self.jobId = jobId
        self.inputs = inputs
    }
}
