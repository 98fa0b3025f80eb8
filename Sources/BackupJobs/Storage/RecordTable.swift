/// An immutable listing of records of one kind, stored by column with interned strings.
///
/// A million backup jobs take a few hundred megabytes, and evaluators read one field of every
/// record without materializing any. Row order is first-seen order of each id (BackupJobId,
/// CopyJobId, …). The layout comes from the kind's schema, so one table type serves every kind.
/// A table is a value: share it across tasks freely. The tables of one `Listing` share their
/// `StringPool`, so a string (a ResourceArn) has the same id in each.
public struct RecordTable: Sendable {
    /// The kind of every row.
    public let kind: RecordKind
    /// The kind's schema (held here so a read does not look it up).
    public let schema: RecordSchema
    /// Every distinct string of the listing the table belongs to.
    public internal(set) var strings = StringPool()
    public internal(set) var count = 0
    /// How many occurrences of an already-seen id were merged away.
    public internal(set) var duplicatesDropped = 0

    let layout: StorageLayout
    /// `layout.presenceWords` words per row: bit `index % 64` of word `index / 64` set when the
    /// field is present (and not `null`).
    var presence: [UInt64] = []
    var stringCells: [UInt32] = []
    var timestampCells: [Int64] = []
    var integerCells: [Int64] = []
    var booleanCells: [UInt8] = []
    var mapCells: [UInt32] = []
    /// The `RecordStates` code of each row, so state tests need no string comparison.
    public internal(set) var stateCodes: [UInt8] = []
    /// Interned string maps: map id `m` (from 1) of a string map is `maps[m - 1]`, pairs of key
    /// and value ids sorted by key id.
    var maps: [[UInt32]] = []
    /// Interned integer maps: map id `m` of an integer map is `integerMaps[m - 1]`, pairs of key
    /// id and value.
    var integerMaps: [[Int64]] = []
    /// Per row, 0 or 1 + an index into `additionalRanges`.
    var additionalIndex: [UInt32] = []
    var additionalRanges: [Range<Int>] = []
    /// Pairs of (dotted path id, JSON text id) for members outside the schema.
    var additionalEntries: [UInt32] = []

    /// An empty table of a kind.
    public init(kind: RecordKind) {
        self.kind = kind
        schema = kind.schema
        layout = schema.layout
    }

    /// A table of these records (all of `kind`), merging repeated ids as decoding does.
    public init(_ records: some Sequence<Record>, kind: RecordKind) {
        var builder = RecordTableBuilder(kind: kind)
        for record in records { builder.append(record) }
        self = builder.finish()
    }

    /// A table of these backup jobs, merging repeated BackupJobIds as decoding does.
    public init(_ jobs: some Sequence<BackupJob>) {
        self.init(jobs.lazy.map(Record.init), kind: .backupJob)
    }

    // MARK: Reading one field

    @inline(__always)
    public func has(_ field: FieldIndex, at row: Int) -> Bool {
        let f = field.rawValue
        return presence[row &* layout.presenceWords &+ f &>> 6] & (1 &<< UInt64(f & 63)) != 0
    }

    /// The string id of a string or enumeration field.
    @inline(__always)
    public func stringID(_ field: FieldIndex, at row: Int) -> UInt32? {
        guard has(field, at: row) else { return nil }
        return stringCells[row &* layout.stringCount &+ layout.slot(field)]
    }

    public func string(_ field: FieldIndex, at row: Int) -> String? {
        stringID(field, at: row).map { strings[$0] }
    }

    @inline(__always)
    public func timestamp(_ field: FieldIndex, at row: Int) -> Timestamp? {
        guard has(field, at: row) else { return nil }
        return Timestamp(millisecondsSinceEpoch: timestampCells[row &* layout.timestampCount &+ layout.slot(field)])
    }

    @inline(__always)
    public func integer(_ field: FieldIndex, at row: Int) -> Int64? {
        guard has(field, at: row) else { return nil }
        return integerCells[row &* layout.integerCount &+ layout.slot(field)]
    }

    @inline(__always)
    public func boolean(_ field: FieldIndex, at row: Int) -> Bool? {
        guard has(field, at: row) else { return nil }
        return booleanCells[row &* layout.booleanCount &+ layout.slot(field)] != 0
    }

    /// The map id of a map field (string or integer map).
    @inline(__always)
    func mapID(_ field: FieldIndex, at row: Int) -> UInt32? {
        guard has(field, at: row) else { return nil }
        return mapCells[row &* layout.mapCount &+ layout.slot(field)]
    }

    public func stringMap(_ field: FieldIndex, at row: Int) -> [String: String]? {
        guard layout.kind(field) == .stringMap, let id = mapID(field, at: row) else { return nil }
        let pairs = maps[Int(id) - 1]
        var map: [String: String] = [:]
        for k in stride(from: 0, to: pairs.count, by: 2) { map[strings[pairs[k]]] = strings[pairs[k + 1]] }
        return map
    }

    public func integerMap(_ field: FieldIndex, at row: Int) -> [String: Int64]? {
        guard layout.kind(field) == .integerMap, let id = mapID(field, at: row) else { return nil }
        let pairs = integerMaps[Int(id) - 1]
        var map: [String: Int64] = [:]
        for k in stride(from: 0, to: pairs.count, by: 2) { map[strings[UInt32(pairs[k])]] = pairs[k + 1] }
        return map
    }

    /// The row's state code (`RecordStates`): a known value's position, `unknownCode` or `missingCode`.
    @inline(__always)
    public func stateCode(at row: Int) -> UInt8 { stateCodes[row] }

    /// The text of the row's state; `nil` when it has none.
    public func stateValue(at row: Int) -> String? {
        let code = stateCodes[row]
        return schema.states.value(of: code) ?? (code == RecordStates.unknownCode ? schema.stateField.flatMap { string($0, at: row) } : nil)
    }

    /// The row's id (BackupJobId, CopyJobId, …): every row has one.
    public func id(at row: Int) -> String { string(schema.idField, at: row) ?? "" }

    /// Any field as a `FieldValue`; `nil` when absent, and for structures.
    public func value(_ field: FieldIndex, at row: Int) -> FieldValue? {
        switch layout.kind(field) {
        case .string: string(field, at: row).map(FieldValue.string)
        case .timestamp: timestamp(field, at: row).map(FieldValue.timestamp)
        case .integer: integer(field, at: row).map(FieldValue.integer)
        case .boolean: boolean(field, at: row).map(FieldValue.boolean)
        case .stringMap: stringMap(field, at: row).map(FieldValue.stringMap)
        case .integerMap: integerMap(field, at: row).map(FieldValue.integerMap)
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

    /// The JSON text of a member outside the schema, by its dotted path, or `nil`.
    public func additionalField(_ path: String, at row: Int) -> String? {
        let index = additionalIndex[row]
        guard index != 0, let pathID = strings.id(of: path) else { return nil }
        let range = additionalRanges[Int(index) - 1]
        for k in stride(from: range.lowerBound, to: range.upperBound, by: 2) where additionalEntries[k] == pathID {
            return strings[additionalEntries[k + 1]]
        }
        return nil
    }
}

extension RecordTable: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The record at `row`, materialized with every present field.
    public subscript(row: Int) -> Record {
        var record = Record(kind, id: id(at: row))
        for descriptor in schema.fields where has(descriptor.index, at: row) {
            if descriptor.type == .structure {
                record.setStructurePresent(descriptor.index)
            } else {
                record[descriptor.index] = value(descriptor.index, at: row)
            }
        }
        record.additionalFields = additionalFields(at: row)
        return record
    }

    /// The rows of a backup-job table as `BackupJob`s (empty for another kind).
    public var asBackupJobs: [BackupJob] {
        kind == .backupJob ? compactMap(BackupJob.init) : []
    }
}
