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

    /// The given jobs, served in the catalog's order (duplicates are served as given).
    public convenience init(jobs: [BackupJob], notation: TimestampNotation = .decimal) {
        self.init(count: jobs.count, creationDate: { jobs[$0].creationDate }, jobID: { jobs[$0].backupJobId }, job: { jobs[$0] }, notation: notation)
    }

    /// The jobs of a table (merged by `BackupJobId`, as `JobLoader` merges them).
    public convenience init(table: JobTable, notation: TimestampNotation = .decimal) {
        self.init(
            count: table.count, creationDate: { table.timestamp(.creationDate, at: $0) },
            jobID: { table.string(.backupJobId, at: $0) ?? "" }, job: { table[$0] }, notation: notation)
    }

    /// The jobs of listing files, directories of pages or `-`, read with `JobLoader` (every
    /// format `backup-audit --jobs` reads).
    public convenience init(contentsOf paths: [String], notation: TimestampNotation = .decimal) throws(JobInputError) {
        self.init(table: try JobLoader().load(paths).table, notation: notation)
    }

    private init(
        count: Int, creationDate: (Int) -> Timestamp?, jobID: (Int) -> String, job: (Int) -> BackupJob,
        notation: TimestampNotation
    ) {
        // Sort positions first, from two cheap fields, then serialize in that order: a table's
        // rows are materialized one at a time, never all at once.
        let keys = (0..<count).map { (created: creationDate($0)?.millisecondsSinceEpoch, id: jobID($0)) }
        let order = (0..<count).sorted { a, b in
            let ka = keys[a], kb = keys[b]
            switch (ka.created, kb.created) {
            case let (x?, y?) where x != y: return x > y
            case (.some, .none): return true
            case (.none, .some): return false
            default: return ka.id != kb.id ? ka.id < kb.id : a < b
            }
        }

        var json: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(count + 1)
        var ids: [String] = []
        ids.reserveCapacity(count)
        var interned: [String: UInt32] = [:]
        func intern(_ text: String?) -> UInt32 {
            guard let text else { return 0 }
            if let id = interned[text] { return id }
            let id = UInt32(interned.count + 1)
            interned[text] = id
            return id
        }
        var columns = [[UInt32]](repeating: [], count: Column.allCases.count)
        for c in columns.indices { columns[c].reserveCapacity(count) }
        var created: [Int64] = []
        var completed: [Int64] = []
        created.reserveCapacity(count)
        completed.reserveCapacity(count)

        for position in order {
            let job = job(position)
            starts.append(json.count)
            JobJSONWriter.append(job, to: &json, notation: notation)
            json.append(UInt8(ascii: ","))
            ids.append(job.backupJobId)
            columns[Column.resourceArn.rawValue].append(intern(job.resourceArn))
            columns[Column.state.rawValue].append(intern(job.state?.rawValue))
            columns[Column.backupVaultName.rawValue].append(intern(job.backupVaultName))
            columns[Column.resourceType.rawValue].append(intern(job.resourceType))
            columns[Column.accountId.rawValue].append(intern(job.accountId))
            columns[Column.parentJobId.rawValue].append(intern(job.parentJobId))
            columns[Column.messageCategory.rawValue].append(intern(job.messageCategory))
            created.append(job.creationDate?.millisecondsSinceEpoch ?? .min)
            completed.append(job.completionDate?.millisecondsSinceEpoch ?? .min)
        }
        starts.append(json.count)

        self.count = count
        self.jobIDs = ids
        self.notation = notation
        self.json = json
        self.starts = starts
        self.stringIDs = interned
        self.columns = columns
        self.creationDate = created
        self.completionDate = completed
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
    }

    /// The id a filter value compares with; `nil` when no job has that value (the filter then
    /// matches nothing).
    func id(of text: String) -> UInt32? {
        stringIDs[text]
    }
}
