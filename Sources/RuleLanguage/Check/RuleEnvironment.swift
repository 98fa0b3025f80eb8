public import BackupJobs

/// What the checker checks rules against: the kinds of records, their fields and derived
/// fields, the words that name them as subjects, the group keys and how a group relates to
/// records of each kind. Passed in (as cel-go passes its environment), so the checker holds no
/// schema of its own; `standard` is built from the generated schemas.
public struct RuleEnvironment: Sendable {
    /// One kind of record, as rules see it.
    public struct Kind: Sendable {
        public let kind: RecordKind
        public let schema: RecordSchema
        /// The word before `job` that names the kind (`copy` in `copy job`).
        public let word: String
        /// The derived fields its records have.
        public let derived: [DerivedField]
    }

    /// The kinds, in `RecordKind` order.
    public let kinds: [Kind]
    /// The kind of a bare `job`, and of the records groups are formed from.
    public let groupKind: RecordKind
    /// The fields a group condition may read, by group key (the group is formed by the key).
    let attributes: [GroupKey: [FieldRef]]
    /// Per named group key, the field of each kind that relates a record to a group.
    let relations: [GroupKey: [RecordKind: StoredField]]

    public init(kinds: [Kind], groupKind: RecordKind, attributes: [GroupKey: [FieldRef]], relations: [GroupKey: [RecordKind: StoredField]]) {
        self.kinds = kinds
        self.groupKind = groupKind
        self.attributes = attributes
        self.relations = relations
    }

    /// Backup, copy and restore jobs from the generated schemas; groups of backup jobs, related to
    /// copy and restore jobs by the fields that name the same resource, account, type, vault or plan.
    public static let standard: RuleEnvironment = {
        let words: [RecordKind: String] = [.backupJob: "backup", .copyJob: "copy", .restoreJob: "restore"]
        // Jobs only: rules do not judge the resources of inventories yet (issue 11's language).
        let kinds = RecordKind.jobKinds.map { kind in
            Kind(kind: kind, schema: kind.schema, word: words[kind] ?? kind.rawValue,
                 derived: DerivedField.allCases.filter { $0.isAvailable(for: kind) })
        }
        func field(_ kind: RecordKind, _ path: String) -> StoredField? {
            kind.schema.index(path: path).map { StoredField(kind, $0) }
        }
        // The design's table: which field of each kind names the group.
        let paths: [GroupKey: [RecordKind: String]] = [
            .resource: [.backupJob: "ResourceArn", .copyJob: "ResourceArn", .restoreJob: "SourceResourceArn"],
            .account: [.backupJob: "AccountId", .copyJob: "AccountId", .restoreJob: "AccountId"],
            .resourceType: [.backupJob: "ResourceType", .copyJob: "ResourceType", .restoreJob: "ResourceType"],
            .vault: [.backupJob: "BackupVaultArn", .copyJob: "SourceBackupVaultArn", .restoreJob: "BackupVaultArn"],
            .plan: [.backupJob: "CreatedBy.BackupPlanId", .copyJob: "CreatedBy.BackupPlanId"],
        ]
        var relations: [GroupKey: [RecordKind: StoredField]] = [:]
        for (key, byKind) in paths {
            for (kind, path) in byKind { relations[key, default: [:]][kind] = field(kind, path) }
        }
        func backup(_ fields: BackupJobField...) -> [FieldRef] { fields.map { .stored(StoredField($0)) } }
        let attributes: [GroupKey: [FieldRef]] = [
            .resource: backup(.resourceArn, .resourceType, .resourceName, .accountId) + [.derived(.region)],
            .account: backup(.accountId),
            .vault: backup(.backupVaultArn, .backupVaultName, .accountId) + [.derived(.region)],
            .plan: backup(.createdByBackupPlanId, .createdByBackupPlanArn, .createdByBackupPlanName, .accountId),
            .resourceType: backup(.resourceType),
        ]
        return RuleEnvironment(kinds: kinds, groupKind: .backupJob, attributes: attributes, relations: relations)
    }()

    public subscript(kind: RecordKind) -> Kind {
        kinds.first { $0.kind == kind } ?? Kind(kind: kind, schema: kind.schema, word: kind.rawValue, derived: [])
    }

    /// The kind a word names (`copy`), or nil.
    public func kind(word: String) -> RecordKind? {
        kinds.first { $0.word == word }?.kind
    }

    /// Words that name kinds, for "did you mean".
    public var kindWords: [String] { kinds.map(\.word) }

    /// The schema of a kind's records.
    public func schema(_ kind: RecordKind) -> RecordSchema { self[kind].schema }

    /// Whether records of a kind have a derived field.
    public func has(_ derived: DerivedField, _ kind: RecordKind) -> Bool {
        self[kind].derived.contains(derived)
    }

    /// The fields a condition on a group may read.
    public func attributes(of key: GroupKey) -> [FieldRef] {
        if case .field(let field) = key { return [field] }
        return attributes[key] ?? []
    }

    /// The field of `kind` that relates its records to a group of `key`; nil when records of that
    /// kind cannot name such a group (a restore job names no backup plan). `group by FIELD`
    /// relates through the field of the same path, when the other kind has it as text.
    public func relation(_ key: GroupKey, to kind: RecordKind) -> StoredField? {
        if case .field(let field) = key {
            guard case .stored(let stored) = field else { return nil }
            if stored.kind == kind { return stored }
            guard let index = schema(kind).index(path: stored.path) else { return nil }
            let related = StoredField(kind, index)
            return related.descriptor.type.isText && stored.descriptor.type.isText ? related : nil
        }
        if kind == groupKind, case .stored(let stored) = key.keyField { return stored }
        return relations[key]?[kind]
    }
}

extension FieldType {
    /// Strings and enumerations: values a table interns, so kinds join on their ids.
    public var isText: Bool {
        switch self {
        case .string, .enumeration: true
        default: false
        }
    }
}
