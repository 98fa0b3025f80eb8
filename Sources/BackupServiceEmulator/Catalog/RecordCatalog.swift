public import AWSBackupClient
public import BackupJobs

/// The jobs of one kind an emulator serves (backup, copy or restore jobs, through their List
/// operation), in serving order, each serialized once.
///
/// **Order.** Newest first, as AWS Backup lists them: `CreationDate` descending, jobs without a
/// `CreationDate` last, ties broken by the id (`BackupJobId`, `CopyJobId`, `RestoreJobId`)
/// ascending and then by input position. Every request sees the same order, so paging is stable.
///
/// **Storage.** Every job's JSON object is precomputed at construction, followed by a comma, in
/// one contiguous byte array: an unfiltered page of 1000 jobs is one copy of one slice. The
/// fields the operation's filters read are kept by column (strings interned to integers,
/// timestamps as epoch milliseconds), so filtering compares integers. A catalog is immutable;
/// share it across emulators freely (benchmarks start several on one catalog).
public final class RecordCatalog: Sendable {
    /// The kind of the jobs, and the operation that lists them.
    public let kind: RecordKind
    public let operation: ListOperation
    /// How many jobs are served.
    public let count: Int
    /// Every id, in serving order.
    public let jobIDs: [String]
    /// How timestamps are written in the bodies.
    public let notation: TimestampNotation

    /// Each job's JSON object followed by `,`; job `i` is `json[starts[i] ..< starts[i + 1] - 1]`.
    let json: [UInt8]
    let starts: [Int]
    /// Interned filter values: 0 is "absent", other ids index nothing but compare equal exactly
    /// when the strings are equal.
    let stringIDs: [String: UInt32]
    /// By parameter of the operation (its index in `operation.parameters`): the interned value of
    /// the field a text filter compares with, or the epoch milliseconds (`Int64.min` when absent)
    /// of the field a time filter bounds; empty for the other sort.
    let strings: [[UInt32]]
    let times: [[Int64]]

    /// The given backup jobs, served in the catalog's order (merged by `BackupJobId`, as a table merges them).
    public convenience init(jobs: [BackupJob], notation: TimestampNotation = .decimal) {
        self.init(table: RecordTable(jobs), notation: notation)
    }

    /// No jobs of `kind`: every request gets an empty listing.
    public convenience init(empty kind: RecordKind) {
        self.init(table: RecordTable(kind: kind))
    }

    /// The backup jobs of listing files, directories of pages or `-`, read with `ListingLoader`
    /// (every format `backup-audit --jobs` reads).
    public convenience init(contentsOf paths: [String], notation: TimestampNotation = .decimal) throws(ListingInputError) {
        self.init(table: try ListingLoader().load(paths).backupJobs, notation: notation)
    }

    /// One catalog per kind the listing files hold (backup, copy and restore jobs may be mixed).
    public static func catalogs(contentsOf paths: [String], notation: TimestampNotation = .decimal) throws(ListingInputError) -> [RecordCatalog] {
        let listing = try ListingLoader().load(paths)
        if let inventory = listing.tables.first(where: { ListOperation.listing($0.kind) == nil }) {
            throw ListingInputError(
                .notAListing, source: paths.joined(separator: " "),
                message: "the emulator serves backup, copy and restore jobs; it does not serve \(inventory.kind.pluralNoun)")
        }
        return listing.tables.map { RecordCatalog(table: $0, notation: notation) }
    }

    /// The jobs of a table of any kind (merged by id, as `ListingLoader` merges them), each
    /// written straight from the table's columns by `TableJSONWriter`, the one writer of records.
    public init(table: RecordTable, notation: TimestampNotation = .decimal) {
        let kind = table.kind
        guard let operation = ListOperation.listing(kind) else {
            preconditionFailure("a catalog serves jobs through their List operation; \(kind.pluralNoun) have none (catalogs(contentsOf:) refuses them)")
        }
        self.operation = operation
        let schema = kind.schema
        let count = table.count
        // Sort positions first, from two cheap columns, then serialize in that order.
        let created = table.timestampColumn(schema.creationField)
        let keys = (0..<count).map { (created: created[$0], id: table.id(at: $0)) }
        let order = (0..<count).sorted { a, b in
            let ka = keys[a], kb = keys[b]
            switch (ka.created, kb.created) {
            case let (x?, y?) where x != y: return x > y
            case (.some, .none): return true
            case (.none, .some): return false
            default: return ka.id != kb.id ? ka.id < kb.id : a < b
            }
        }

        let writer = TableJSONWriter(table, notation: notation)
        var json: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(count + 1)
        var ids: [String] = []
        ids.reserveCapacity(count)
        // Filter values by their table string id, renumbered densely from 1 (0: absent).
        var interned: [String: UInt32] = [:]
        var renumbered: [UInt32: UInt32] = [:]
        func intern(_ id: UInt32?) -> UInt32 {
            guard let id else { return 0 }
            if let known = renumbered[id] { return known }
            let next = UInt32(renumbered.count + 1)
            renumbered[id] = next
            interned[table.strings[id]] = next
            return next
        }
        // The fields the filters read; two filters of one field (after, before) share its column.
        let parameters = operation.parameters
        var fields: [(index: FieldIndex, isTime: Bool)] = []
        let slots = parameters.map { parameter in
            // ListOperationTests checks every filter's field is one of the kind's.
            let field = schema.index(path: parameter.field) ?? schema.idField
            if let slot = fields.firstIndex(where: { $0.index == field }) { return slot }
            fields.append((field, parameter.isTimestamp))
            return fields.count - 1
        }
        var stringCells = [[UInt32]](repeating: [], count: fields.count)
        var timeCells = [[Int64]](repeating: [], count: fields.count)
        let stringColumns = fields.map { $0.isTime ? nil : table.stringColumn($0.index) }
        let timeColumns = fields.map { $0.isTime ? table.timestampColumn($0.index) : nil }
        for slot in fields.indices {
            if fields[slot].isTime { timeCells[slot].reserveCapacity(count) } else { stringCells[slot].reserveCapacity(count) }
        }

        for row in order {
            starts.append(json.count)
            writer.append(row: row, to: &json)
            json.append(UInt8(ascii: ","))
            ids.append(keys[row].id)
            for slot in fields.indices {
                if let column = timeColumns[slot] {
                    timeCells[slot].append(column[row] ?? .min)
                } else if let column = stringColumns[slot] {
                    stringCells[slot].append(intern(column[row]))
                }
            }
        }
        starts.append(json.count)

        self.kind = kind
        self.count = count
        self.jobIDs = ids
        self.notation = notation
        self.json = json
        self.starts = starts
        self.stringIDs = interned
        self.strings = slots.map { stringCells[$0] }
        self.times = slots.map { timeCells[$0] }
    }

    /// The JSON object of the job at `index` in serving order.
    public func jobJSON(at index: Int) -> String {
        String(decoding: json[starts[index] ..< starts[index + 1] - 1], as: UTF8.self)
    }

    /// Bytes of JSON held for the jobs.
    public var jsonByteCount: Int { json.count }

    /// The id a filter value compares with; `nil` when no job has that value (the filter then
    /// matches nothing).
    func id(of text: String) -> UInt32? {
        stringIDs[text]
    }
}
