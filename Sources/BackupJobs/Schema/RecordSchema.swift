/// What a kind of record holds and how it behaves: its fields, generated from the service model,
/// and what the model does not say (from `model/aws-backup/kinds.toml`): the field that
/// identifies a record, its state and lifecycle, its timestamps.
///
/// One schema per kind, built once (`RecordKind.schema`); tables, decoders, writers and the rule
/// checker all derive from it, so a kind is added by generating its schema, not by copying code.
public final class RecordSchema: Sendable {
    public let kind: RecordKind
    /// Jobs, or the resources of an inventory.
    public let family: RecordFamily
    /// The service model's structure for one record (`BackupJob`, `RestoreJobsListMember`).
    public let shape: String
    /// The List operation that returns the records (`ListCopyJobs`).
    public let operation: String
    /// The member of a listing document that holds the records (`CopyJobs`).
    public let member: String
    /// How messages name one record ("copy job") and several ("copy jobs").
    public let noun: String
    public let pluralNoun: String
    /// One descriptor per field, in the model's member order: `fields[i].index.rawValue == i`.
    public let fields: [FieldDescriptor]
    /// The field that identifies a record (BackupJobId): the same id twice is one record.
    public let idField: FieldIndex
    /// When a job was created; inventories have none.
    public let creationField: FieldIndex?
    /// When a job ended; a protected resource's LastBackupTime. Of the same record twice, the later
    /// is kept.
    public let completionField: FieldIndex?
    /// A percentage held as text (PercentDone), where the kind has one.
    public let progressField: FieldIndex?
    /// The resource the record is about (ResourceArn; a restore job's SourceResourceArn).
    public let resourceField: FieldIndex
    /// The vault the record was read from or stored into (BackupVaultArn; a copy job's source; a
    /// protected resource's LastBackupVaultArn); an inventory's resources have none.
    public let vaultField: FieldIndex?
    /// The state field, its values and their lifecycle (`stateless` for inventories).
    public let states: RecordStates
    /// Where a table keeps each field.
    let layout: StorageLayout
    private let byPath: [String: FieldIndex]

    init(
        kind: RecordKind, family: RecordFamily, shape: String, operation: String, member: String, noun: String, pluralNoun: String,
        fields: [FieldDescriptor], idField: FieldIndex, creationField: FieldIndex?, completionField: FieldIndex?,
        progressField: FieldIndex?, resourceField: FieldIndex, vaultField: FieldIndex?, states: RecordStates
    ) {
        self.kind = kind
        self.family = family
        self.shape = shape
        self.operation = operation
        self.member = member
        self.noun = noun
        self.pluralNoun = pluralNoun
        self.fields = fields
        self.idField = idField
        self.creationField = creationField
        self.completionField = completionField
        self.progressField = progressField
        self.resourceField = resourceField
        self.vaultField = vaultField
        self.states = states
        layout = StorageLayout(fields: fields)
        byPath = Dictionary(uniqueKeysWithValues: fields.map { ($0.path, $0.index) })
    }

    /// The state field (State; a restore job's Status); inventories have none.
    public var stateField: FieldIndex? { states.field }

    /// The descriptor of a field of this kind.
    @inline(__always)
    public subscript(field: FieldIndex) -> FieldDescriptor { fields[field.rawValue] }

    /// The field with this exact (case-sensitive) path.
    public func index(path: String) -> FieldIndex? { byPath[path] }

    public func descriptor(path: String) -> FieldDescriptor? { byPath[path].map { fields[$0.rawValue] } }

    /// The known paths closest to a misspelt one, best first, for "did you mean" notes.
    public func suggestions(for path: String, limit: Int = 3) -> [String] {
        Spelling.closest(to: path, among: fields.map(\.path), limit: limit)
    }

    /// The members of a structure field, in schema order.
    public func members(of structure: FieldIndex) -> [FieldDescriptor] {
        fields.filter { $0.parent == structure }
    }
}

/// What a kind of record is about.
public enum RecordFamily: String, Sendable, Hashable {
    /// Backup, copy and restore jobs: records with a state, judged by rules.
    case job
    /// Resources that should be protected (an inventory), or that AWS Backup protected
    /// (ListProtectedResources): no state and no creation. Rules do not judge them yet.
    case inventory
}

extension RecordKind {
    /// Jobs or an inventory's resources.
    public var family: RecordFamily { schema.family }

    /// The kinds of jobs (backup, copy, restore), in `RecordKind` order.
    public static let jobKinds = allCases.filter { $0.family == .job }
    /// The kinds of inventories (protected resources, inventory resources), in `RecordKind` order.
    public static let inventoryKinds = allCases.filter { $0.family == .inventory }

    /// The member of a listing document that holds records of this kind (`CopyJobs`).
    public var member: String { schema.member }
    /// "copy job"
    public var noun: String { schema.noun }
    /// "copy jobs"
    public var pluralNoun: String { schema.pluralNoun }
    /// The List operation that returns the records (`ListCopyJobs`).
    public var operation: String { schema.operation }

    /// The kind whose listings hold their records under `member` (`CopyJobs`).
    public init?(member: String) {
        guard let kind = Self.allCases.first(where: { $0.member == member }) else { return nil }
        self = kind
    }

    /// The kind identified by this member (`CopyJobId`): how a record object tells its kind.
    public init?(idMember: String) {
        guard let kind = Self.allCases.first(where: { $0.schema[$0.schema.idField].path == idMember }) else { return nil }
        self = kind
    }
}

/// A kind's state field and its closed set of values, each with a byte code: what a table stores
/// per row (`RecordTable.stateCodes`), so evaluation tests states without comparing strings.
///
/// A value AWS adds after the model is kept as `unknownCode` (its text stays in the field): a
/// listing from a newer API must still load, and a rule comparing the state with a known value
/// stays correct.
public struct RecordStates: Sendable, Hashable {
    /// The code of a state newer than the model.
    public static let unknownCode: UInt8 = 0xFE
    /// The code of a record without a state.
    public static let missingCode: UInt8 = 0xFF

    /// The state field; `nil` for a kind without states.
    public let field: FieldIndex?
    /// The model's values in its order; a value's code is its position.
    public let values: [String]
    /// Per code (all 256): the lifecycle rank, and whether the state is finished or in flight.
    private let ranks: [UInt8]
    private let finishedByCode: [Bool]
    private let inFlightByCode: [Bool]

    /// The states of a kind without any (an inventory): every record ranks the same, none has
    /// finished or is in flight.
    static let stateless = RecordStates(field: nil, values: [], ranks: [], finished: [], inFlight: [])

    /// `ranks[i]` is the lifecycle group of `values[i]` (from 1, earliest first); `finished` and
    /// `inFlight` list values.
    init(field: FieldIndex?, values: [String], ranks: [Int], finished: [String], inFlight: [String]) {
        precondition(values.count == ranks.count && values.count < Int(Self.unknownCode), "state table")
        self.field = field
        self.values = values
        let finishedRank = UInt8(ranks.max() ?? 1)
        var rankByCode = [UInt8](repeating: 0, count: 256)
        var finishedFlags = [Bool](repeating: false, count: 256)
        var inFlightFlags = [Bool](repeating: false, count: 256)
        for (code, value) in values.enumerated() {
            rankByCode[code] = UInt8(ranks[code])
            finishedFlags[code] = finished.contains(value)
            inFlightFlags[code] = inFlight.contains(value)
        }
        // An unknown state ranks with the end states; a missing one lowest.
        rankByCode[Int(Self.unknownCode)] = finishedRank
        self.ranks = rankByCode
        finishedByCode = finishedFlags
        inFlightByCode = inFlightFlags
    }

    /// The code of a state's text: its position among `values`, or `unknownCode`.
    public func code(of value: String) -> UInt8 {
        values.firstIndex(of: value).map(UInt8.init) ?? Self.unknownCode
    }

    /// The known value of a code; `nil` for `unknownCode` (the text is in the field) and `missingCode`.
    public func value(of code: UInt8) -> String? {
        Int(code) < values.count ? values[Int(code)] : nil
    }

    /// How far along its lifecycle a record in this state is (0 without a state): a record seen
    /// twice keeps the occurrence of the higher rank.
    @inline(__always)
    public func rank(of code: UInt8) -> Int { Int(ranks[Int(code)]) }

    /// The rank of every state a record ends in (and of states newer than the model).
    public var finishedRank: Int { Int(ranks[Int(Self.unknownCode)]) }

    /// The record has ended (COMPLETED, FAILED, …); false for unknown and missing states.
    @inline(__always)
    public func isFinished(_ code: UInt8) -> Bool { finishedByCode[Int(code)] }

    /// The record is under way (CREATED, RUNNING, …); false for unknown and missing states.
    @inline(__always)
    public func isInFlight(_ code: UInt8) -> Bool { inFlightByCode[Int(code)] }

    /// The finished values in the model's order, for messages.
    public var finished: [String] { values.indices.filter { finishedByCode[$0] }.map { values[$0] } }
    public var inFlight: [String] { values.indices.filter { inFlightByCode[$0] }.map { values[$0] } }
}

/// "Did you mean": the names closest to a misspelt one.
public enum Spelling {
    /// Candidates within a typo's reach of `word`, best first. Case differences cost less than
    /// other edits, so `IamRoleARN` suggests `IamRoleArn` before anything else.
    public static func closest(to word: String, among candidates: [String], limit: Int = 3) -> [String] {
        let length = word.unicodeScalars.count
        let scored = candidates.compactMap { candidate -> (candidate: String, score: Int)? in
            let tolerance = max(2, candidate.count / 3)
            // Every scalar one word has beyond the other costs an edit (2): skip what cannot be
            // within reach without measuring it (a long word against every name was quadratic).
            guard abs(candidate.unicodeScalars.count - length) <= tolerance else { return nil }
            let score = distance(word, candidate)
            return score > 0 && score <= tolerance * 2 ? (candidate, score) : nil
        }
        return scored.sorted { ($0.score, $0.candidate) < ($1.score, $1.candidate) }.prefix(limit).map(\.candidate)
    }

    /// Edit distance counted in half-steps: a change of letter case costs 1, any other
    /// insertion, deletion or substitution costs 2.
    public static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars), b = Array(rhs.unicodeScalars)
        if a.isEmpty || b.isEmpty { return 2 * max(a.count, b.count) }
        // Each scalar's lowercase mapping once, not once per cell of the table.
        let foldedA = a.map(\.properties.lowercaseMapping), foldedB = b.map(\.properties.lowercaseMapping)
        var previous = Array(stride(from: 0, through: 2 * b.count, by: 2))
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = 2 * i
            for j in 1...b.count {
                let substitution: Int
                if a[i - 1] == b[j - 1] {
                    substitution = 0
                } else if foldedA[i - 1] == foldedB[j - 1] {
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

/// Reports and summaries name a kind by its case name (`"copyJob"`).
extension RecordKind: Codable {}
