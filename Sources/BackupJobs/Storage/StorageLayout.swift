/// Where a `RecordTable` keeps each field of its kind: a kind of cell and a slot among the cells
/// of that kind, and how many presence words a row needs.
///
/// Derived from the schema, so a field added to the service model gets storage by regenerating
/// the schema; nothing here lists fields by hand.
struct StorageLayout: Sendable {
    enum Kind: UInt8, Sendable {
        /// A string id (`UInt32`); enumerations too.
        case string
        /// Epoch milliseconds (`Int64`).
        case timestamp
        case integer
        /// 0 or 1 (`UInt8`).
        case boolean
        /// A map id (`UInt32`) into the table's interned string maps.
        case stringMap
        /// A map id (`UInt32`) into the table's interned integer maps; map cells of both kinds
        /// share one column.
        case integerMap
        /// No cell: only the presence bit.
        case structure
    }

    let kinds: [Kind]
    let slots: [Int]
    let stringCount: Int
    let timestampCount: Int
    let integerCount: Int
    let booleanCount: Int
    let mapCount: Int
    /// 64-bit presence words per row: one bit per field.
    let presenceWords: Int

    init(fields: [FieldDescriptor]) {
        var counts: [Kind: Int] = [:]
        var kinds: [Kind] = []
        var slots: [Int] = []
        for descriptor in fields {
            precondition(descriptor.index.rawValue == kinds.count, "schema fields out of index order")
            let kind = Kind(descriptor.type)
            // String and integer maps take slots of the one map column.
            let column: Kind = kind == .integerMap ? .stringMap : kind
            kinds.append(kind)
            slots.append(counts[column, default: 0])
            counts[column, default: 0] += 1
        }
        self.kinds = kinds
        self.slots = slots
        stringCount = counts[.string, default: 0]
        timestampCount = counts[.timestamp, default: 0]
        integerCount = counts[.integer, default: 0]
        booleanCount = counts[.boolean, default: 0]
        mapCount = counts[.stringMap, default: 0]
        presenceWords = max(1, (fields.count + 63) / 64)
    }

    @inline(__always) func slot(_ field: FieldIndex) -> Int { slots[field.rawValue] }
    @inline(__always) func kind(_ field: FieldIndex) -> Kind { kinds[field.rawValue] }
}

extension StorageLayout.Kind {
    /// How a value of this schema type is stored (and decoded): enumerations are strings.
    init(_ type: FieldType) {
        self = switch type {
        case .string, .enumeration: .string
        case .timestamp: .timestamp
        case .integer: .integer
        case .boolean: .boolean
        case .stringMap: .stringMap
        case .integerMap: .integerMap
        case .structure: .structure
        }
    }
}
