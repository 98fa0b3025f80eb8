/// An immutable listing of backup jobs, stored by column with interned strings.
///
/// A million jobs take a few hundred megabytes, and evaluators read one field of every job
/// without materializing any `BackupJob`. Row order is first-seen order of each BackupJobId.
/// A table is a value: share it across tasks freely.
public struct JobTable: Sendable {
    /// Every distinct string of the listing.
    public internal(set) var strings = StringPool()
    public internal(set) var count = 0
    /// How many occurrences of an already-seen BackupJobId were merged away.
    public internal(set) var duplicatesDropped = 0

    private(set) var layout = StorageLayout.shared
    /// One word per row: bit `field.rawValue` set when the field is present (and not `null`).
    var presence: [UInt64] = []
    var stringCells: [UInt32] = []
    var timestampCells: [Int64] = []
    var integerCells: [Int64] = []
    var booleanCells: [UInt8] = []
    var mapCells: [UInt32] = []
    /// `JobState.code` of each row, so state tests need no string comparison.
    var stateCodes: [UInt8] = []
    /// Interned string maps: map id `m` (from 1) is `maps[m - 1]`, pairs of key and value ids.
    var maps: [[UInt32]] = []
    /// Per row, 0 or 1 + an index into `additionalRanges`.
    var additionalIndex: [UInt32] = []
    var additionalRanges: [Range<Int>] = []
    /// Pairs of (dotted path id, JSON text id) for members outside the schema.
    var additionalEntries: [UInt32] = []

    public init() {}

    /// A table of these jobs, merging repeated BackupJobIds as decoding does.
    public init(_ jobs: some Sequence<BackupJob>) {
        var builder = JobTableBuilder()
        for job in jobs { builder.append(job) }
        self = builder.finish()
    }

    // MARK: Reading one field

    @inline(__always)
    public func has(_ field: JobField, at row: Int) -> Bool {
        presence[row] & (1 << UInt64(field.rawValue)) != 0
    }

    /// The string id of a string or enumeration field.
    @inline(__always)
    public func stringID(_ field: JobField, at row: Int) -> UInt32? {
        guard has(field, at: row) else { return nil }
        return stringCells[row &* layout.stringCount &+ layout.slot(field)]
    }

    public func string(_ field: JobField, at row: Int) -> String? {
        stringID(field, at: row).map { strings[$0] }
    }

    @inline(__always)
    public func timestamp(_ field: JobField, at row: Int) -> Timestamp? {
        guard has(field, at: row) else { return nil }
        return Timestamp(millisecondsSinceEpoch: timestampCells[row &* layout.timestampCount &+ layout.slot(field)])
    }

    @inline(__always)
    public func integer(_ field: JobField, at row: Int) -> Int64? {
        guard has(field, at: row) else { return nil }
        return integerCells[row &* layout.integerCount &+ layout.slot(field)]
    }

    @inline(__always)
    public func boolean(_ field: JobField, at row: Int) -> Bool? {
        guard has(field, at: row) else { return nil }
        return booleanCells[row &* layout.booleanCount &+ layout.slot(field)] != 0
    }

    public func stringMap(_ field: JobField, at row: Int) -> [String: String]? {
        guard has(field, at: row) else { return nil }
        let pairs = maps[Int(mapCells[row &* layout.mapCount &+ layout.slot(field)]) - 1]
        var map: [String: String] = [:]
        for k in stride(from: 0, to: pairs.count, by: 2) { map[strings[pairs[k]]] = strings[pairs[k + 1]] }
        return map
    }

    /// The job's state; `.unknown` for a state newer than the model.
    public func state(at row: Int) -> JobState? {
        let code = stateCodes[row]
        if code == JobState.missingCode { return nil }
        if code == JobState.unknownCode { return .unknown(string(.state, at: row) ?? "") }
        return JobState.known[Int(code)]
    }

    /// Any field as a `FieldValue`; `nil` when absent, and for structures.
    public func value(_ field: JobField, at row: Int) -> FieldValue? {
        switch layout.kind(field) {
        case .string: string(field, at: row).map(FieldValue.string)
        case .timestamp: timestamp(field, at: row).map(FieldValue.timestamp)
        case .integer: integer(field, at: row).map(FieldValue.integer)
        case .boolean: boolean(field, at: row).map(FieldValue.boolean)
        case .stringMap: stringMap(field, at: row).map(FieldValue.stringMap)
        case .structure: nil
        }
    }

    /// Members outside the schema, by dotted path, as JSON text.
    public func additionalFields(at row: Int) -> [String: String] {
        let index = additionalIndex[row]
        guard index != 0 else { return [:] }
        var fields: [String: String] = [:]
        for k in stride(from: additionalRanges[Int(index) - 1].lowerBound, to: additionalRanges[Int(index) - 1].upperBound, by: 2) {
            fields[strings[additionalEntries[k]]] = strings[additionalEntries[k + 1]]
        }
        return fields
    }
}

extension JobTable: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The job at `row`, materialized with every present field.
    public subscript(row: Int) -> BackupJob {
        var job = BackupJob(backupJobId: string(.backupJobId, at: row) ?? "")
        for descriptor in JobSchema.fields where has(descriptor.field, at: row) {
            if layout.kind(descriptor.field) == .structure {
                job.setStructurePresent(descriptor.field)
            } else {
                job[descriptor.field] = value(descriptor.field, at: row)
            }
        }
        job.additionalFields = additionalFields(at: row)
        return job
    }
}

extension JobState {
    static let unknownCode: UInt8 = 0xFE
    static let missingCode: UInt8 = 0xFF

    /// A byte for the table: the index in `known`, or `unknownCode`.
    var code: UInt8 {
        if case .unknown = self { return Self.unknownCode }
        return UInt8(Self.known.firstIndex(of: self)!)
    }
}
