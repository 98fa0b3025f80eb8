/// The type of a record field, as the rule checker sees it.
public enum FieldType: Hashable, Sendable {
    case string
    /// A string restricted to the model's enum values. Data may still hold a value added to AWS
    /// after the model: decoders keep it rather than fail.
    case enumeration(name: String, values: [String])
    /// An instant in UTC, exact to the millisecond.
    case timestamp
    /// A 64-bit signed integer (the model's `long`).
    case integer
    case boolean
    /// A string-to-string map (`BackupOptions`); a rule reaches a key as `BackupOptions.KEY`.
    case stringMap
    /// A string-to-integer map (a copy job's `ChildJobsInState`: how many child jobs are in each
    /// state); its keys may be enumerated (`FieldDescriptor.mapKeys`).
    case integerMap
    /// A nested structure (`CreatedBy`); it holds no value itself, only its members do.
    case structure

    /// How the type reads in diagnostics and docs.
    public var displayName: String {
        switch self {
        case .string: "string"
        case .enumeration(let name, _): name
        case .timestamp: "timestamp"
        case .integer: "integer"
        case .boolean: "boolean"
        case .stringMap: "map of strings"
        case .integerMap: "map of integers"
        case .structure: "structure"
        }
    }
}

/// A field's position in its kind's schema (`RecordSchema.fields`): what tables, decoders and
/// evaluators use to name a field of any kind. The generated enums (`BackupJobField`,
/// `CopyJobField`, …) are the typed names for Swift code.
public struct FieldIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    @inline(__always)
    public init(_ rawValue: Int) {
        self.rawValue = rawValue
    }

    public static func < (a: FieldIndex, b: FieldIndex) -> Bool { a.rawValue < b.rawValue }

    public var description: String { "field \(rawValue)" }
}

/// One field of a record: where it sits, what it holds, and what it means.
public struct FieldDescriptor: Hashable, Sendable {
    /// The field's position in its schema.
    public let index: FieldIndex
    /// The member path as AWS spells it, nested members joined by dots (`CreatedBy.BackupPlanId`).
    public let path: String
    public let type: FieldType
    /// The service model's shape name for the member (`BackupJobState`, `ARN`, `Long`).
    public let shape: String
    /// The structure this field belongs to (`CreatedBy` for `CreatedBy.BackupPlanId`), if any.
    public let parent: FieldIndex?
    /// The model's enumeration of a map's keys (`ChildJobsInState`: CopyJobState), if any.
    public let mapKeys: [String]?
    /// The first sentence of the service model's documentation for the member.
    public let summary: String
    /// The values AWS documents for a field the model types as a plain string (ResourceType),
    /// from `model/aws-backup/documented-values.toml`; `nil` for the other fields.
    public let documentedValues: DocumentedValues?

    /// The member's name in its object: the last component of the path.
    public var name: Substring {
        path.lastIndex(of: ".").map { path[path.index(after: $0)...] } ?? path[...]
    }

    init(
        index: Int, path: String, type: FieldType, shape: String, parent: Int? = nil, mapKeys: [String]? = nil,
        summary: String, documentedValues: DocumentedValues? = nil
    ) {
        self.index = FieldIndex(index)
        self.path = path
        self.type = type
        self.shape = shape
        self.parent = parent.map(FieldIndex.init)
        self.mapKeys = mapKeys
        self.summary = summary
        self.documentedValues = documentedValues
    }
}

/// The values AWS documents for a string field, though the service model does not enumerate them.
public struct DocumentedValues: Hashable, Sendable {
    public let values: [String]
    /// AWS documents the whole list, so a rule comparing the field with a value outside it can
    /// never match (until AWS adds the value). An open list holds examples only.
    public let isClosed: Bool
    /// What the values are, for messages: "resource types AWS Backup supports".
    public let description: String
}

/// A field enum generated from a shape of the service model (`Scripts/generate-schema.py`).
public protocol ShapeField: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == Int {
    /// One descriptor per case, in case order.
    static var descriptors: [FieldDescriptor] { get }
}

extension ShapeField {
    /// The field's position in its shape's descriptors.
    @inline(__always)
    public var index: FieldIndex { FieldIndex(rawValue) }

    public var descriptor: FieldDescriptor { Self.descriptors[rawValue] }

    /// The field at a position of its shape: an index from this shape's descriptors, never from
    /// data (another index is a programming error).
    public init(_ index: FieldIndex) {
        guard let field = Self(rawValue: index.rawValue) else { preconditionFailure("\(Self.self) has no \(index)") }
        self = field
    }
}

/// The fields of a record kind (`BackupJobField`, `CopyJobField`, `RestoreJobField`): Swift code
/// names a field of a kind with them; tables and decoders take their `index`.
public protocol RecordField: ShapeField {
    static var kind: RecordKind { get }
}

extension RecordField {
    public static var schema: RecordSchema { kind.schema }

    /// The field with this exact (case-sensitive) path, if the kind has one.
    public init?(path: String) {
        guard let index = Self.kind.schema.index(path: path) else { return nil }
        self.init(index)
    }
}
