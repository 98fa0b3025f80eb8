/// Each resource's backup jobs by UTC day: what the HTML report's calendar draws. One pass over a
/// backup-job table; a cell is 8 bytes (its outcome, how many jobs, the row of the latest), so a
/// large estate's calendar stays small, and the report decides how many rows to show.
public struct ResourceCalendar: Sendable {
    /// A day's outcome for a resource: the best any of its jobs created that day reached, in this
    /// order (a completed job makes the day completed, whatever else failed).
    public enum Outcome: UInt8, Sendable, CaseIterable, Comparable {
        case missing, failed, inFlight, partial, completed

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

        /// `completed`, `in-flight`: how the report and its tests name it.
        public var name: String {
            switch self {
            case .missing: "missing"
            case .failed: "failed"
            case .inFlight: "in-flight"
            case .partial: "partial"
            case .completed: "completed"
            }
        }
    }

    public struct Cell: Sendable, Equatable {
        public var outcome: Outcome = .missing
        /// Jobs created that day (at most 65,535 counted).
        public var jobs: UInt16 = 0
        /// The table row of the latest of them, -1 for none.
        public var latestRow: Int32 = -1
    }

    public struct Row: Sendable {
        public var resource: String
        public var account: String
        public var resourceType: String
        /// One cell per day, from `firstDay`.
        public var cells: [Cell]
    }

    /// Midnight UTC of the first day drawn.
    public var firstDay: Timestamp
    public var dayCount: Int
    /// Sorted by account, type and resource.
    public var rows: [Row]
    /// The jobs, to describe a cell's latest job.
    public let table: RecordTable

    static let millisecondsPerDay: Int64 = 86_400_000
    /// What a field without a value is grouped as.
    public static let missing = RecordSummary.missing

    /// The days from `start`'s to `end`'s (UTC), at most `maxDays` of them (the last ones): the
    /// jobs of a backup-job table created in them, by resource. Jobs without a resource or a
    /// CreationDate, or created outside the days, are not drawn.
    public init(_ table: RecordTable, from start: Timestamp, through end: Timestamp, maxDays: Int = 62) {
        self.table = table
        let lastDay = end.millisecondsSinceEpoch.floorDivided(by: Self.millisecondsPerDay).quotient
        let firstDayIndex = max(start.millisecondsSinceEpoch.floorDivided(by: Self.millisecondsPerDay).quotient, lastDay - Int64(maxDays) + 1)
        dayCount = Int(max(0, lastDay - firstDayIndex + 1))
        firstDay = Timestamp(millisecondsSinceEpoch: firstDayIndex * Self.millisecondsPerDay)
        let schema = table.schema
        let created = table.timestampColumn(schema.creationField)
        let resources = table.stringColumn(schema.resourceField)
        let accountField = schema.index(path: "AccountId"), typeField = schema.index(path: "ResourceType")
        var rowOfResource: [UInt32: Int] = [:]
        var found: [Row] = []
        for row in 0..<table.count {
            guard dayCount > 0, let resource = resources[row], let time = created[row] else { continue }
            let day = Int(time.floorDivided(by: Self.millisecondsPerDay).quotient - firstDayIndex)
            guard day >= 0, day < dayCount else { continue }
            let index: Int
            if let known = rowOfResource[resource] {
                index = known
            } else {
                index = found.count
                rowOfResource[resource] = index
                found.append(Row(resource: table.strings[resource],
                                 account: accountField.flatMap { table.string($0, at: row) } ?? Self.missing,
                                 resourceType: typeField.flatMap { table.string($0, at: row) } ?? Self.missing,
                                 cells: Array(repeating: Cell(), count: dayCount)))
            }
            var cell = found[index].cells[day]
            cell.outcome = max(cell.outcome, Self.outcome(code: table.stateCode(at: row)))
            cell.jobs = cell.jobs == .max ? .max : cell.jobs + 1
            if cell.latestRow < 0 || created[Int(cell.latestRow)].map({ $0 < time }) == true { cell.latestRow = Int32(row) }
            found[index].cells[day] = cell
        }
        rows = found.sorted { ($0.account, $0.resourceType, $0.resource) < ($1.account, $1.resourceType, $1.resource) }
    }

    /// Midnight UTC of a day drawn.
    public func day(_ index: Int) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: firstDay.millisecondsSinceEpoch + Int64(index) * Self.millisecondsPerDay)
    }

    /// The latest job of a cell: its id, state and CreationDate.
    public func latestJob(_ cell: Cell) -> (id: String, state: String, created: Timestamp?)? {
        guard cell.latestRow >= 0 else { return nil }
        let row = Int(cell.latestRow)
        return (table.id(at: row), table.stateValue(at: row) ?? Self.missing,
                table.timestampColumn(table.schema.creationField)[row].map { Timestamp(millisecondsSinceEpoch: $0) })
    }

    /// Completed and partial are themselves; FAILED, ABORTED and EXPIRED failed; CREATED, PENDING,
    /// RUNNING and ABORTING are in flight; a state unknown to the model counts as failed, never
    /// as a backup.
    static func outcome(code: UInt8) -> Outcome {
        switch code {
        case BackupJobState.completed.code: .completed
        case BackupJobState.partial.code: .partial
        case BackupJobState.created.code, BackupJobState.pending.code, BackupJobState.running.code, BackupJobState.aborting.code: .inFlight
        default: .failed
        }
    }
}
