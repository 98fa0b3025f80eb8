/// Fast reads for evaluators: a field's cells as a value to capture once and index per row,
/// with no per-read lookup of the field's layout.
extension RecordTable {
    public struct Column<Cell: Sendable>: Sendable {
        @usableFromInline let cells: [Cell]
        @usableFromInline let stride: Int
        @usableFromInline let offset: Int
        @usableFromInline let presence: [UInt64]
        @usableFromInline let presenceStride: Int
        @usableFromInline let presenceWord: Int
        @usableFromInline let bit: UInt64

        init(cells: [Cell], stride: Int, offset: Int, table: RecordTable, field: FieldIndex) {
            self.cells = cells
            self.stride = stride
            self.offset = offset
            presence = table.presence
            presenceStride = table.layout.presenceWords
            presenceWord = field.rawValue >> 6
            bit = 1 << UInt64(field.rawValue & 63)
        }

        /// A column of a field the kind does not have: absent in every row.
        init(absent: Void) {
            cells = []
            stride = 0
            offset = 0
            presence = [0]
            presenceStride = 0
            presenceWord = 0
            bit = 0
        }

        /// The cell of `row`, or `nil` when the field is absent there.
        @inlinable
        public subscript(row: Int) -> Cell? {
            presence[row &* presenceStride &+ presenceWord] & bit != 0 ? cells[row &* stride &+ offset] : nil
        }
    }

    private func column<Cell>(_ field: FieldIndex, _ kind: StorageLayout.Kind, _ cells: [Cell], width: Int) -> Column<Cell> {
        precondition(layout.kind(field) == kind, "\(schema[field].path) is not a \(kind) field of a \(self.kind.noun)")
        return Column(cells: cells, stride: width, offset: layout.slot(field), table: self, field: field)
    }

    /// String ids of a string or enumeration field.
    public func stringColumn(_ field: FieldIndex) -> Column<UInt32> {
        column(field, .string, stringCells, width: layout.stringCount)
    }

    /// Epoch milliseconds of a timestamp field.
    public func timestampColumn(_ field: FieldIndex) -> Column<Int64> {
        column(field, .timestamp, timestampCells, width: layout.timestampCount)
    }

    /// A field some kinds lack (an inventory has no CreationDate): absent in every row of a kind
    /// without it.
    public func timestampColumn(_ field: FieldIndex?) -> Column<Int64> {
        field.map(timestampColumn) ?? Column(absent: ())
    }

    public func stringColumn(_ field: FieldIndex?) -> Column<UInt32> {
        field.map(stringColumn) ?? Column(absent: ())
    }

    public func integerColumn(_ field: FieldIndex) -> Column<Int64> {
        column(field, .integer, integerCells, width: layout.integerCount)
    }

    /// 0 or 1.
    public func booleanColumn(_ field: FieldIndex) -> Column<UInt8> {
        column(field, .boolean, booleanCells, width: layout.booleanCount)
    }

    /// Map ids of a string map field; read a key with `mapValue(_:key:)`.
    public func mapColumn(_ field: FieldIndex) -> Column<UInt32> {
        column(field, .stringMap, mapCells, width: layout.mapCount)
    }

    /// Map ids of an integer map field; read a key with `integerMapValue(_:key:)`.
    public func integerMapColumn(_ field: FieldIndex) -> Column<UInt32> {
        column(field, .integerMap, mapCells, width: layout.mapCount)
    }

    /// Whether a structure (or any field) is present, by row.
    public func presenceColumn(_ field: FieldIndex) -> Column<Bool> {
        Column(cells: [true], stride: 0, offset: 0, table: self, field: field)
    }

    /// The value id for `key` (a string id) in string map `mapID`, or `nil`.
    public func mapValue(_ mapID: UInt32, key: UInt32) -> UInt32? {
        let pairs = maps[Int(mapID) - 1]
        var k = 0
        while k < pairs.count {
            if pairs[k] == key { return pairs[k + 1] }
            k += 2
        }
        return nil
    }

    /// The value for `key` (a string id) in integer map `mapID`, or `nil`.
    public func integerMapValue(_ mapID: UInt32, key: UInt32) -> Int64? {
        let pairs = integerMaps[Int(mapID) - 1]
        var k = 0
        while k < pairs.count {
            if pairs[k] == Int64(key) { return pairs[k + 1] }
            k += 2
        }
        return nil
    }
}

/// The same reads by a kind's typed field (`table.stringColumn(BackupJobField.resourceArn)`), for
/// Swift code that names fields. A field of another kind than the table's is a programming error.
extension RecordTable {
    @inline(__always)
    private func checked<Field: RecordField>(_ field: Field) -> FieldIndex {
        assert(Field.kind == kind, "\(Field.self).\(field) read from a table of \(kind.pluralNoun)")
        return field.index
    }

    @inline(__always)
    public func has<Field: RecordField>(_ field: Field, at row: Int) -> Bool { has(checked(field), at: row) }
    @inline(__always)
    public func stringID<Field: RecordField>(_ field: Field, at row: Int) -> UInt32? { stringID(checked(field), at: row) }
    public func string<Field: RecordField>(_ field: Field, at row: Int) -> String? { string(checked(field), at: row) }
    @inline(__always)
    public func timestamp<Field: RecordField>(_ field: Field, at row: Int) -> Timestamp? { timestamp(checked(field), at: row) }
    @inline(__always)
    public func integer<Field: RecordField>(_ field: Field, at row: Int) -> Int64? { integer(checked(field), at: row) }
    @inline(__always)
    public func boolean<Field: RecordField>(_ field: Field, at row: Int) -> Bool? { boolean(checked(field), at: row) }
    public func stringMap<Field: RecordField>(_ field: Field, at row: Int) -> [String: String]? { stringMap(checked(field), at: row) }
    public func integerMap<Field: RecordField>(_ field: Field, at row: Int) -> [String: Int64]? { integerMap(checked(field), at: row) }
    public func value<Field: RecordField>(_ field: Field, at row: Int) -> FieldValue? { value(checked(field), at: row) }
    public func stringColumn<Field: RecordField>(_ field: Field) -> Column<UInt32> { stringColumn(checked(field)) }
    public func timestampColumn<Field: RecordField>(_ field: Field) -> Column<Int64> { timestampColumn(checked(field)) }
    public func integerColumn<Field: RecordField>(_ field: Field) -> Column<Int64> { integerColumn(checked(field)) }
    public func booleanColumn<Field: RecordField>(_ field: Field) -> Column<UInt8> { booleanColumn(checked(field)) }
    public func mapColumn<Field: RecordField>(_ field: Field) -> Column<UInt32> { mapColumn(checked(field)) }
    public func integerMapColumn<Field: RecordField>(_ field: Field) -> Column<UInt32> { integerMapColumn(checked(field)) }
    public func presenceColumn<Field: RecordField>(_ field: Field) -> Column<Bool> { presenceColumn(checked(field)) }
}
