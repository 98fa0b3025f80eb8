public import BackupJobs

/// The jobs an emulator serves, in serving order, each serialized once.
///
/// **Order.** Newest first, as AWS Backup lists them: `CreationDate` descending, jobs without a
/// `CreationDate` last, ties broken by `BackupJobId` ascending and then by input position. Every
/// request sees the same order, so paging is stable.
///
/// **Storage.** Every job's JSON object is precomputed at construction, followed by a comma, in
/// one contiguous byte array: an unfiltered page of 1000 jobs is one copy of one slice. The
/// members filters look at are kept by column (strings interned to integers, timestamps as epoch
/// milliseconds), so filtering compares integers. A catalog is immutable; share it across
/// emulators freely (benchmarks start several on one catalog).
public final class JobCatalog: Sendable {
    /// How many jobs are served.
    public let count: Int
    /// Every `BackupJobId`, in serving order.
    public let jobIDs: [String]
    /// How timestamps are written in the bodies.
    public let notation: TimestampNotation

    /// Each job's JSON object followed by `,`; job `i` is `json[starts[i] ..< starts[i + 1] - 1]`.
    let json: [UInt8]
    let starts: [Int]
    /// Interned filter values: 0 is "absent", other ids index nothing but compare equal exactly
    /// when the strings are equal.
    let stringIDs: [String: UInt32]
    /// The string members filters read, by `Column`.
    let columns: [[UInt32]]
    /// Epoch milliseconds; `Int64.min` when absent.
    let creationDate: [Int64]
    let completionDate: [Int64]

    /// The given jobs, served in the catalog's order (merged by `BackupJobId`, as a table merges them).
    public convenience init(jobs: [BackupJob], notation: TimestampNotation = .decimal) {
        self.init(table: RecordTable(jobs), notation: notation)
    }

    /// The jobs of listing files, directories of pages or `-`, read with `ListingLoader` (every
    /// format `backup-audit --jobs` reads).
    public convenience init(contentsOf paths: [String], notation: TimestampNotation = .decimal) throws(JobInputError) {
        self.init(table: try ListingLoader().load(paths).backupJobs, notation: notation)
    }

    /// The jobs of a table (merged by `BackupJobId`, as `ListingLoader` merges them), each written
    /// straight from the table's columns by `TableJSONWriter`, the one writer of records.
    public init(table: RecordTable, notation: TimestampNotation = .decimal) {
        precondition(table.kind == .backupJob, "the emulator serves backup jobs")
        let count = table.count
        // Sort positions first, from two cheap columns, then serialize in that order.
        let created = table.timestampColumn(BackupJobField.creationDate)
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
        let filtered = Column.allCases.map { table.stringColumn($0.field) }
        var columns = [[UInt32]](repeating: [], count: Column.allCases.count)
        for c in columns.indices { columns[c].reserveCapacity(count) }
        let completed = table.timestampColumn(BackupJobField.completionDate)
        var creationDate: [Int64] = []
        var completionDate: [Int64] = []
        creationDate.reserveCapacity(count)
        completionDate.reserveCapacity(count)

        for row in order {
            starts.append(json.count)
            writer.append(row: row, to: &json)
            json.append(UInt8(ascii: ","))
            ids.append(keys[row].id)
            for (c, column) in filtered.enumerated() { columns[c].append(intern(column[row])) }
            creationDate.append(created[row] ?? .min)
            completionDate.append(completed[row] ?? .min)
        }
        starts.append(json.count)

        self.count = count
        self.jobIDs = ids
        self.notation = notation
        self.json = json
        self.starts = starts
        self.stringIDs = interned
        self.columns = columns
        self.creationDate = creationDate
        self.completionDate = completionDate
    }

    /// The JSON object of the job at `index` in serving order.
    public func jobJSON(at index: Int) -> String {
        String(decoding: json[starts[index] ..< starts[index + 1] - 1], as: UTF8.self)
    }

    /// Bytes of JSON held for the jobs.
    public var jsonByteCount: Int { json.count }

    /// The string members a filter can ask for.
    enum Column: Int, CaseIterable {
        case resourceArn, state, backupVaultName, resourceType, accountId, parentJobId, messageCategory

        var field: BackupJobField {
            switch self {
            case .resourceArn: .resourceArn
            case .state: .state
            case .backupVaultName: .backupVaultName
            case .resourceType: .resourceType
            case .accountId: .accountId
            case .parentJobId: .parentJobId
            case .messageCategory: .messageCategory
            }
        }
    }

    /// The id a filter value compares with; `nil` when no job has that value (the filter then
    /// matches nothing).
    func id(of text: String) -> UInt32? {
        stringIDs[text]
    }
}
