/// Fast reads for evaluators: a field's cells as a value to capture once and index per row,
/// with no per-read lookup of the field's layout.
extension JobTable {
    public struct Column<Cell: Sendable>: Sendable {
        @usableFromInline let cells: [Cell]
        @usableFromInline let stride: Int
        @usableFromInline let offset: Int
        @usableFromInline let presence: [UInt64]
        @usableFromInline let bit: UInt64

        init(cells: [Cell], stride: Int, offset: Int, presence: [UInt64], field: JobField) {
            self.cells = cells
            self.stride = stride
            self.offset = offset
            self.presence = presence
            bit = 1 << UInt64(field.rawValue)
        }

        /// The cell of `row`, or `nil` when the field is absent there.
        @inlinable
        public subscript(row: Int) -> Cell? {
            presence[row] & bit != 0 ? cells[row &* stride &+ offset] : nil
        }
    }

    /// String ids of a string or enumeration field.
    public func stringColumn(_ field: JobField) -> Column<UInt32> {
        precondition(layout.kind(field) == .string, "\(field) is not a string field")
        return Column(cells: stringCells, stride: layout.stringCount, offset: layout.slot(field), presence: presence, field: field)
    }

    /// Epoch milliseconds of a timestamp field.
    public func timestampColumn(_ field: JobField) -> Column<Int64> {
        precondition(layout.kind(field) == .timestamp, "\(field) is not a timestamp field")
        return Column(cells: timestampCells, stride: layout.timestampCount, offset: layout.slot(field), presence: presence, field: field)
    }

    public func integerColumn(_ field: JobField) -> Column<Int64> {
        precondition(layout.kind(field) == .integer, "\(field) is not an integer field")
        return Column(cells: integerCells, stride: layout.integerCount, offset: layout.slot(field), presence: presence, field: field)
    }

    /// 0 or 1.
    public func booleanColumn(_ field: JobField) -> Column<UInt8> {
        precondition(layout.kind(field) == .boolean, "\(field) is not a boolean field")
        return Column(cells: booleanCells, stride: layout.booleanCount, offset: layout.slot(field), presence: presence, field: field)
    }

    /// Map ids of a map field; read a key with `mapValue(_:key:)`.
    public func mapColumn(_ field: JobField) -> Column<UInt32> {
        precondition(layout.kind(field) == .stringMap, "\(field) is not a map field")
        return Column(cells: mapCells, stride: layout.mapCount, offset: layout.slot(field), presence: presence, field: field)
    }

    /// Whether a structure (or any field) is present, by row.
    public func presenceColumn(_ field: JobField) -> Column<Bool> {
        Column(cells: [true], stride: 0, offset: 0, presence: presence, field: field)
    }

    /// Each row's `JobState.tableCode`.
    public var stateColumn: [UInt8] { stateCodes }

    /// The value id for `key` (a string id) in map `mapID`, or `nil`.
    public func mapValue(_ mapID: UInt32, key: UInt32) -> UInt32? {
        let pairs = maps[Int(mapID) - 1]
        var k = 0
        while k < pairs.count {
            if pairs[k] == key { return pairs[k + 1] }
            k += 2
        }
        return nil
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

extension JobState {
    /// The byte a `JobTable` stores for this state (see `JobTable.stateColumn`).
    public var tableCode: UInt8 { code }

    /// The table code of a row without a state.
    public static let missingTableCode = missingCode
    /// The table code of a state newer than the model (its text is in the `State` column).
    public static let unknownTableCode = unknownCode
}
