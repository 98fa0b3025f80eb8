/// The type of a job field, as the rule checker sees it.
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
        case .structure: "structure"
        }
    }
}

/// One field of a backup job: where it sits, what it holds, and what it means.
public struct FieldDescriptor: Hashable, Sendable {
    public let field: JobField
    /// The member path as AWS spells it, nested members joined by dots (`CreatedBy.BackupPlanId`).
    public let path: String
    public let type: FieldType
    /// The service model's shape name for the member (`BackupJobState`, `ARN`, `Long`).
    public let shape: String
    /// The first sentence of the service model's documentation for the member.
    public let summary: String
    /// The values AWS documents for a field the model types as a plain string (ResourceType),
    /// from `model/aws-backup/documented-values.toml`; `nil` for the other fields.
    public private(set) var documentedValues: DocumentedValues? = nil

    /// The structure this field belongs to (`CreatedBy` for `CreatedBy.BackupPlanId`), if any.
    public var parent: JobField? {
        guard let dot = path.lastIndex(of: ".") else { return nil }
        return JobSchema.descriptor(path: String(path[..<dot]))?.field
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

/// The schema of a backup job, generated from the AWS Backup service model
/// (`JobSchema+Model.swift`). The rule checker resolves and type-checks field names here.
public enum JobSchema {
    private static let byPath: [String: FieldDescriptor] = Dictionary(
        uniqueKeysWithValues: fields.map { ($0.path, $0) }
    )

    /// The descriptor of a field, by its exact (case-sensitive) path.
    public static func descriptor(path: String) -> FieldDescriptor? {
        byPath[path]
    }

    /// The descriptor of a field.
    public static func descriptor(of field: JobField) -> FieldDescriptor {
        fields[field.rawValue]
    }

    /// The known paths closest to a misspelt one, best first, for "did you mean" notes.
    public static func suggestions(for path: String, limit: Int = 3) -> [String] {
        Spelling.closest(to: path, among: fields.map(\.path), limit: limit)
    }
}

/// "Did you mean": the names closest to a misspelt one.
public enum Spelling {
    /// Candidates within a typo's reach of `word`, best first. Case differences cost less than
    /// other edits, so `IamRoleARN` suggests `IamRoleArn` before anything else.
    public static func closest(to word: String, among candidates: [String], limit: Int = 3) -> [String] {
        let scored = candidates.compactMap { candidate -> (candidate: String, score: Int)? in
            let score = distance(word, candidate)
            let tolerance = max(2, candidate.count / 3)
            return score > 0 && score <= tolerance * 2 ? (candidate, score) : nil
        }
        return scored.sorted { ($0.score, $0.candidate) < ($1.score, $1.candidate) }.prefix(limit).map(\.candidate)
    }

    /// Edit distance counted in half-steps: a change of letter case costs 1, any other
    /// insertion, deletion or substitution costs 2.
    public static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars), b = Array(rhs.unicodeScalars)
        if a.isEmpty || b.isEmpty { return 2 * max(a.count, b.count) }
        var previous = Array(stride(from: 0, through: 2 * b.count, by: 2))
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = 2 * i
            for j in 1...b.count {
                let substitution: Int
                if a[i - 1] == b[j - 1] {
                    substitution = 0
                } else if a[i - 1].properties.lowercaseMapping == b[j - 1].properties.lowercaseMapping {
                    substitution = 1
                } else {
                    substitution = 2
                }
                current[j] = min(previous[j] + 2, current[j - 1] + 2, previous[j - 1] + substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
