/// Records read from one or more inputs: one table per kind met, the tables sharing one
/// `StringPool` (a ResourceArn has the same string id in the backup, copy and restore tables, so
/// kinds join on ids), with what each input held.
public struct Listing: Sendable {
    /// The tables of the kinds the inputs held, in `RecordKind` order; a kind met with no record
    /// (`{"CopyJobs": []}`) has an empty table, a kind not met has none.
    public private(set) var tables: [RecordTable]
    /// The strings of every table.
    public let strings: StringPool
    public var inputs: [InputRecord]
    /// Whether the documents of all the inputs, in the order read, make whole listings: one chain
    /// of pages per kind; each gap names its kind.
    public var completeness: ListingCompleteness
    /// Records that appeared more than once in versions that contradict each other, by kind and id.
    public var conflicts: [DuplicateConflict]

    /// A listing of these tables. Tables of several kinds must share one pool (decode them
    /// together, or build them with `init(records:)`), so their string ids agree.
    public init(
        tables: [RecordTable], inputs: [InputRecord] = [], completeness: ListingCompleteness = .complete,
        conflicts: [DuplicateConflict] = []
    ) {
        let sorted = tables.sorted { Self.position($0.kind) < Self.position($1.kind) }
        precondition(Set(sorted.map(\.kind)).count == sorted.count, "one table per kind")
        precondition(sorted.dropFirst().allSatisfy { $0.strings.isSameStorage(as: sorted[0].strings) },
                     "the tables of a listing share one string pool")
        self.tables = sorted
        strings = sorted.first?.strings ?? StringPool()
        self.inputs = inputs
        self.completeness = completeness
        self.conflicts = conflicts
    }

    /// A listing of one table.
    public init(_ table: RecordTable, inputs: [InputRecord] = []) {
        self.init(tables: [table], inputs: inputs)
    }

    /// A listing of records built in code, of any kinds, merged by id as decoding does; each of
    /// `kinds` has a table even without records (as if read from `{"CopyJobs": []}`).
    public init(records: some Sequence<Record>, kinds: [RecordKind] = []) {
        var builder = ListingBuilder()
        for kind in kinds { builder.select(kind) }
        for record in records { builder.append(record) }
        let (tables, conflicts) = builder.finish()
        self.init(tables: tables, conflicts: conflicts)
    }

    private static func position(_ kind: RecordKind) -> Int {
        RecordKind.allCases.firstIndex(of: kind) ?? 0
    }

    /// The kinds the inputs held, in `RecordKind` order.
    public var kinds: [RecordKind] { tables.map(\.kind) }

    /// The table of a kind; `nil` when no input held that kind.
    public subscript(kind: RecordKind) -> RecordTable? {
        tables.first { $0.kind == kind }
    }

    /// The backup jobs: their table, or an empty one (sharing the pool) when no input held any.
    /// Rules judge backup jobs; the other kinds are read and summarised.
    public var backupJobs: RecordTable {
        if let table = self[.backupJob] { return table }
        var empty = RecordTable(kind: .backupJob)
        empty.strings = strings
        return empty
    }

    /// Records of every kind, after duplicates were merged.
    public var recordCount: Int { tables.reduce(0) { $0 + $1.count } }

    /// Jobs of every kind (backup, copy, restore), after duplicates were merged: what reports
    /// count as judged data. Inventories' resources are not jobs: a run given only resources
    /// holds no jobs.
    public var jobCount: Int { tables.reduce(0) { $0 + ($1.kind.family == .job ? $1.count : 0) } }

    /// The completeness of one kind's listing.
    public func completeness(of kind: RecordKind) -> ListingCompleteness {
        let gaps = completeness.gaps.filter { $0.recordKind == kind }
        return gaps.isEmpty ? .complete : .incomplete(gaps)
    }

    /// The conflicts among records of one kind.
    public func conflicts(of kind: RecordKind) -> [DuplicateConflict] {
        conflicts.filter { $0.kind == kind }
    }
}
