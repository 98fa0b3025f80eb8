/// Where a `JobTable` keeps each field: a kind of cell and a slot among the cells of that kind.
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
        /// A map id (`UInt32`) into the table's interned maps.
        case stringMap
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

    static let shared = StorageLayout(fields: JobSchema.fields)

    init(fields: [FieldDescriptor]) {
        var counts: [Kind: Int] = [:]
        var kinds: [Kind] = []
        var slots: [Int] = []
        for descriptor in fields {
            precondition(descriptor.field.rawValue == kinds.count, "schema fields out of JobField order")
            let kind = Kind(descriptor.type)
            kinds.append(kind)
            slots.append(counts[kind, default: 0])
            counts[kind, default: 0] += 1
        }
        precondition(fields.count <= 64, "presence bits hold 64 fields")
        self.kinds = kinds
        self.slots = slots
        stringCount = counts[.string, default: 0]
        timestampCount = counts[.timestamp, default: 0]
        integerCount = counts[.integer, default: 0]
        booleanCount = counts[.boolean, default: 0]
        mapCount = counts[.stringMap, default: 0]
    }

    @inline(__always) func slot(_ field: JobField) -> Int { slots[field.rawValue] }
    @inline(__always) func kind(_ field: JobField) -> Kind { kinds[field.rawValue] }
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
        case .structure: .structure
        }
    }
}
