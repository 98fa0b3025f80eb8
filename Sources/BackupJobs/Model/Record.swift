/// One record of any kind, every field by its place in the kind's schema: the value to build
/// records in code (tests, fixtures, an emulator's catalog) and to read one row of a table.
///
/// Listings are stored compactly in a `RecordTable`; a `Record` is the convenient value for one
/// record. `BackupJob` is the typed view of a backup job's record.
public struct Record: Hashable, Sendable {
    public let kind: RecordKind
    /// By field index; `nil` for absent fields and for structures.
    private var values: [FieldValue?]
    /// Structures present (a structure has no value of its own, only presence).
    private var structures: Set<FieldIndex> = []
    /// Members the schema does not know (fields AWS added after the model), by dotted path
    /// (`NewField`, `CreatedBy.NewField`), each as the JSON text of its value.
    public var additionalFields: [String: String] = [:]

    /// A record with only its id.
    public init(_ kind: RecordKind, id: String) {
        self.kind = kind
        values = Array(repeating: nil, count: kind.schema.fields.count)
        self[kind.schema.idField] = .string(id)
    }

    public var schema: RecordSchema { kind.schema }

    /// The id field's value ("" when it was cleared).
    public var id: String {
        if case .string(let id) = values[schema.idField.rawValue] { return id }
        return ""
    }

    /// A field's value; `nil` when absent, and for structures (see `hasStructure`). Setting a
    /// member of a structure makes the structure present.
    public subscript(field: FieldIndex) -> FieldValue? {
        get { values[field.rawValue] }
        set {
            let descriptor = schema[field]
            if let newValue {
                precondition(newValue.fits(descriptor.type), "\(descriptor.path) holds \(descriptor.type.displayName), not \(newValue)")
                var parent = descriptor.parent
                while let structure = parent {
                    structures.insert(structure)
                    parent = schema[structure].parent
                }
            }
            values[field.rawValue] = newValue
        }
    }

    public subscript<Field: RecordField>(field: Field) -> FieldValue? {
        get {
            precondition(Field.kind == kind, "\(Field.self) on a \(kind.noun)")
            return self[field.index]
        }
        set {
            precondition(Field.kind == kind, "\(Field.self) on a \(kind.noun)")
            self[field.index] = newValue
        }
    }

    /// Whether a structure (`CreatedBy`) is present.
    public func hasStructure(_ field: FieldIndex) -> Bool { structures.contains(field) }

    /// Makes a structure present, with whatever members it has.
    public mutating func setStructurePresent(_ field: FieldIndex) {
        precondition(schema[field].type == .structure, "\(schema[field].path) is not a structure")
        structures.insert(field)
    }

    /// Whether a field is present: a value, or a structure that is.
    public func has(_ field: FieldIndex) -> Bool {
        schema[field].type == .structure ? structures.contains(field) : values[field.rawValue] != nil
    }
}

extension FieldValue {
    /// Whether a field of this type can hold the value (enumerations hold any string: a state
    /// newer than the model too).
    func fits(_ type: FieldType) -> Bool {
        switch (self, type) {
        case (.string, .string), (.string, .enumeration), (.timestamp, .timestamp), (.integer, .integer),
             (.boolean, .boolean), (.stringMap, .stringMap), (.integerMap, .integerMap): true
        default: false
        }
    }
}

extension Record {
    /// A backup job's record.
    public init(_ job: BackupJob) {
        self.init(.backupJob, id: job.backupJobId)
        for field in BackupJobField.allCases {
            if field.descriptor.type == .structure {
                if job.hasStructure(field) { structures.insert(field.index) }
            } else if let value = job[field] {
                self[field.index] = value
            }
        }
        additionalFields = job.additionalFields
    }
}

extension BackupJob {
    /// The typed view of a backup job's record; `nil` for a record of another kind.
    public init?(_ record: Record) {
        guard record.kind == .backupJob else { return nil }
        self.init(backupJobId: record.id)
        for field in BackupJobField.allCases where record.has(field.index) {
            if field.descriptor.type == .structure {
                setStructurePresent(field)
            } else {
                self[field] = record[field.index]
            }
        }
        additionalFields = record.additionalFields
    }
}
