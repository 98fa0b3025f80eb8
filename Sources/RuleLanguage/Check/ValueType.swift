import BackupJobs

/// The type of an expression, as the checker sees it.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case string
    /// A string restricted to a set of names (`State`: BackupJobState).
    case enumeration(name: String, values: [String])
    case number
    case boolean
    case timestamp
    /// A length of time (`24h`).
    case duration
    /// An amount of data (`500 MiB`); byte-count fields are sizes.
    case size
    /// A fraction written with `%`.
    case percent
    case list(ValueType)
    /// `BackupOptions`: reach a key with `BackupOptions.KEY`.
    case stringMap
    /// `extra("Path")`: a member from the data, compared as the literal beside it.
    case json
    /// A structure of the schema (`CreatedBy`): reach a member with `.Member`.
    case structure(StoredField)
    /// One record (`latest(jobs)`): reach a field with `.Field`.
    case job
    /// A set of jobs (`jobs where ...`), as a function's argument.
    case jobs

    public var description: String {
        switch self {
        case .string: "text"
        case .enumeration(let name, _): "\(name) (text)"
        case .number: "number"
        case .boolean: "true/false"
        case .timestamp: "timestamp"
        case .duration: "duration"
        case .size: "size"
        case .percent: "percentage"
        case .list(let element): "list of \(element)"
        case .stringMap: "map"
        case .json: "extra field"
        case .structure(let field): "structure \(field.path)"
        case .job: "job"
        case .jobs: "set of jobs"
        }
    }

    /// The type with its article, for messages: "a timestamp", "an extra field", "text".
    public var withArticle: String {
        switch self {
        case .string, .enumeration: description
        case .boolean: "a true/false value"
        default: RuleLanguage.withArticle(description)
        }
    }

    var isText: Bool {
        switch self {
        case .string, .enumeration, .json: true
        default: false
        }
    }

    /// Types whose values have an order.
    var isOrdered: Bool {
        switch self {
        case .number, .timestamp, .duration, .size, .percent, .json: true
        default: false
        }
    }

    /// Whether values of the two types can be compared: the same type, text with an enumeration,
    /// plain numbers with sizes and percentages, and extra fields with any scalar.
    func isComparable(with other: ValueType) -> Bool {
        switch (self, other) {
        case _ where self == other: true
        case (.string, .enumeration), (.enumeration, .string), (.enumeration, .enumeration): true
        case (.number, .size), (.size, .number), (.number, .percent), (.percent, .number): true
        case (.json, let t), (let t, .json): t.isScalar
        default: false
        }
    }

    var isScalar: Bool {
        switch self {
        case .string, .enumeration, .number, .boolean, .timestamp, .duration, .size, .percent, .json: true
        default: false
        }
    }

    /// The type of a schema field.
    public static func of(_ field: StoredField) -> ValueType {
        let descriptor = field.descriptor
        return switch descriptor.type {
        case .string: .string
        case .enumeration(let name, let values): .enumeration(name: name, values: values)
        case .timestamp: .timestamp
        // Byte counts are sizes, so `BackupSizeInBytes > 500 GiB` reads as written.
        case .integer: descriptor.path.hasSuffix("Bytes") || descriptor.path.hasSuffix("BytesTransferred") ? .size : .number
        case .boolean: .boolean
        case .stringMap: .stringMap
        // A copy job's ChildJobsInState: a map no rule reads yet (it has no `.KEY` access).
        case .integerMap: .stringMap
        case .structure: .structure(field)
        }
    }
}

/// "a resource", "an account".
func withArticle(_ noun: String) -> String {
    (noun.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + noun
}
