public import BackupJobs

/// A checked rule set, lowered for evaluation: names resolved, types known, parameters
/// substituted, regular expressions validated. Immutable; evaluate it any number of times,
/// concurrently. The evaluator never sees syntax.
public struct RuleProgram: Sendable {
    public var rules: [CompiledRule]
    public var waivers: [CompiledWaiver]
    /// Every parameter's final value (declared, or overridden with `--param`), by name.
    public var parameters: [String: Constant]
    /// The rule set's test cases (`test` blocks), for `backup-audit test`.
    public var tests: [CompiledTest] = []
}

/// A `test` block, checked: the records to judge, when, with which parameters, and what each rule
/// must make of them.
public struct CompiledTest: Sendable {
    public var name: String
    public var location: SourceLocation
    public var now: Timestamp
    /// Parameter values for this test, as `--param` would give them.
    public var overrides: [ParameterOverride]
    /// Listing files as written, relative to the test's file.
    public var fixtures: [String]
    /// Records written in the test (`job { ... }`, `copy job { ... }`), of any kind.
    public var records: [Record]
    public var expectations: [TestExpectation]
}

public struct TestExpectation: Sendable {
    public var rule: String
    public var passes: Bool
    /// The subject the outcome is expected for; nil: the rule as a whole.
    public var subject: String?
    public var location: SourceLocation
}

/// How much a failing rule matters (a rule's `severity`), from info to critical; not the
/// severity of a diagnostic about rule text (`Diagnostic.Severity`).
public enum RuleSeverity: String, Hashable, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high, critical

    public static func < (lhs: RuleSeverity, rhs: RuleSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where a rule, waiver or condition was written.
public struct SourceLocation: Hashable, Sendable {
    public var file: String
    public var range: SourceRange
    public var line: Int
    public var column: Int
}

public struct CompiledRule: Sendable {
    public var id: String
    public var title: String?
    public var description: String?
    public var severity: RuleSeverity
    public var controls: [String]
    public var remediation: String?
    public var location: SourceLocation
    /// The body as written (formatted), for reports: what exactly was checked.
    public var bodyText: String
    public var subject: SubjectKind
    public var body: CompiledBody
    /// Values of the rule's scope (its `where`), for the evaluator to look for in the data.
    public var literals: [LiteralComparison] = []
    /// The kinds of records the rule reads, in `RecordKind` order: its subject's (backup jobs
    /// for groups) and those of the records related to its groups. Without input of each, the
    /// rule cannot be judged.
    public var kinds: [RecordKind] = []
    /// How the rule's groups relate to the records of each other kind it reads: the field of
    /// that kind holding a group's key (a resource's copy jobs by their ResourceArn).
    public var relations: [RecordKind: StoredField] = [:]
}

/// What a rule quantifies over.
public enum SubjectKind: Hashable, Sendable {
    /// Each record of a kind (`job` and `backup job`: backup jobs; `copy job`, `restore job`);
    /// its id is the kind's id field (BackupJobId, CopyJobId, RestoreJobId).
    case job(RecordKind)
    /// Backup jobs grouped by a key; each group's id is the key's value.
    case group(GroupKey)

    /// How rules and reports name the subject: `job` (a backup job, as the language says it),
    /// `copy job`, `restore job`, `resource`.
    public var displayName: String {
        switch self {
        case .job(let kind): kind == .backupJob ? "job" : kind.noun
        case .group(let key): key.displayName
        }
    }

    /// The kind of the records a subject is, or is formed from: groups are formed from backup jobs.
    public var recordKind: RecordKind {
        switch self {
        case .job(let kind): kind
        case .group: Self.groupRecordKind
        }
    }

    /// The kind whose records groups gather (a resource's, a plan's… backup jobs).
    public static let groupRecordKind = RecordKind.backupJob

    /// Whether the subject is one record (not a group).
    public var isRecord: Bool {
        if case .job = self { return true }
        return false
    }
}

public enum GroupKey: Hashable, Sendable {
    /// By ResourceArn.
    case resource
    /// By AccountId.
    case account
    /// By BackupVaultArn.
    case vault
    /// By CreatedBy.BackupPlanId.
    case plan
    /// By ResourceType.
    case resourceType
    /// By any field (`group by FIELD`).
    case field(FieldRef)

    /// The field of the backup jobs whose value names a group.
    public var keyField: FieldRef {
        switch self {
        case .resource: .stored(StoredField(.resourceArn))
        case .account: .stored(StoredField(.accountId))
        case .vault: .stored(StoredField(.backupVaultArn))
        case .plan: .stored(StoredField(.createdByBackupPlanId))
        case .resourceType: .stored(StoredField(.resourceType))
        case .field(let field): field
        }
    }

    public var displayName: String {
        switch self {
        case .resource: "resource"
        case .account: "account"
        case .vault: "vault"
        case .plan: "plan"
        case .resourceType: "resource type"
        case .field(let field): "group by \(field.path)"
        }
    }
}

public enum CompiledBody: Sendable {
    /// `every SUBJECT [where FILTER] ASSERTION`
    case every(filter: Condition?, CompiledAssertion)
    /// `no SUBJECT where FILTER`: each subject matching the filter fails.
    case no(filter: Condition)
}

public enum CompiledAssertion: Sendable {
    /// `satisfies COND`: on a record, or on a group (aggregates and group attributes).
    case satisfies(Condition)
    /// `has [at least | at most | exactly | no] [KIND] job(s) [where FILTER]`: the group's
    /// records of the kind (its backup jobs, or the records related to it).
    case count(CountBound, RecordSelection)
    /// `has [COUNT] [KIND] job(s) [where FILTER] in each of the last N days`: in every one of the
    /// N UTC calendar days before the day of `now`, the number of records matching the filter (by
    /// CreationDate) is within the bound (at least 1 for plain `has job`).
    case eachDay(days: Int, CountBound, RecordSelection)
    /// `latest [KIND] job [where FILTER] satisfies COND`: the record(s) with the latest
    /// CreationDate among those matching the filter all satisfy COND; no such record fails.
    case latest(RecordSelection, Condition)
}

/// Records of one kind that a group condition reads: the group's backup jobs, or the records of
/// another kind related to the group (a resource's copy jobs), those matching `filter` (all
/// when nil). The filter is a condition on records of `kind`.
public struct RecordSelection: Sendable {
    public var kind: RecordKind
    public var filter: Condition?

    public init(_ kind: RecordKind, filter: Condition?) {
        self.kind = kind
        self.filter = filter
    }

    /// `jobs`, `copy jobs`: how the records read in explanations.
    public var pluralNoun: String { kind == .backupJob ? "jobs" : kind.pluralNoun }
    /// `job`, `copy job`.
    public var noun: String { kind == .backupJob ? "job" : kind.noun }
}

public enum CountBound: Hashable, Sendable {
    case atLeast(Int)
    case atMost(Int)
    case exactly(Int)

    public func admits(_ count: Int) -> Bool {
        switch self {
        case .atLeast(let n): count >= n
        case .atMost(let n): count <= n
        case .exactly(let n): count == n
        }
    }
}

public struct CompiledWaiver: Sendable {
    public var rule: String
    public enum Target: Sendable {
        case subjects([String])
        case matching(Condition)
    }
    public var target: Target
    /// The waiver applies while `now` is before this instant (the day after a written date).
    public var expires: Timestamp
    /// The date or timestamp as written.
    public var untilText: String
    public var reason: String
    public var location: SourceLocation
}

/// A field of one record kind, by its position in the kind's schema.
public struct StoredField: Hashable, Sendable, CustomStringConvertible {
    public let kind: RecordKind
    public let index: FieldIndex

    public init(_ kind: RecordKind, _ index: FieldIndex) {
        self.kind = kind
        self.index = index
    }

    /// A backup job field (`StoredField(.resourceArn)`).
    public init(_ field: BackupJobField) {
        self.init(.backupJob, field.index)
    }

    /// A field of any kind, named by its generated enum (`StoredField(CopyJobField.state)`).
    public init<Field: RecordField>(_ field: Field) {
        self.init(Field.kind, field.index)
    }

    public var descriptor: FieldDescriptor { kind.schema[index] }
    public var path: String { descriptor.path }
    public var description: String { "\(kind.noun) \(path)" }
}

/// A field a rule can read, of the records a condition is about.
public enum FieldRef: Hashable, Sendable {
    /// A member of the kind's service model shape.
    case stored(StoredField)
    /// `BackupOptions.KEY`
    case backupOption(String)
    /// A field computed from stored ones.
    case derived(DerivedField)
    /// `DestinationBackupVaultArn.Region`: a component of an ARN field.
    case arnPart(StoredField, ARNPart)
    /// `extra("Path")`: a member the schema does not know, kept from the data as JSON.
    case additional(String)

    public var path: String {
        switch self {
        case .stored(let field): field.path
        case .backupOption(let key): "BackupOptions.\(key)"
        case .derived(let field): field.rawValue
        case .arnPart(let field, let part): "\(field.path).\(part.rawValue)"
        case .additional(let path): "extra(\"\(path)\")"
        }
    }
}

/// A component of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`) that a rule reads as
/// a member of any ARN field: `DestinationBackupVaultArn.Region`, `ResourceArn.Account`.
public enum ARNPart: String, Hashable, Sendable, CaseIterable {
    case region = "Region"
    case account = "Account"
}

public enum DerivedField: String, Hashable, Sendable, CaseIterable {
    /// CompletionDate − CreationDate; missing when either is, or the completion comes first.
    case duration = "Duration"
    /// The Region of the vault's ARN, else the resource's.
    case region = "Region"
    /// The last segment of IamRoleArn.
    case roleName = "RoleName"
    /// The record's state is one it ends in (backup jobs: COMPLETED, FAILED, ABORTED, EXPIRED, PARTIAL).
    case finished = "Finished"
    /// The record's state is one it is under way in (backup jobs: CREATED, PENDING, RUNNING).
    case inFlight = "InFlight"
    /// State is COMPLETED and MessageCategory is present and not SUCCESS.
    case completedWithIssues = "CompletedWithIssues"
    /// A copy job's destination vault is in another Region than its source vault.
    case crossRegion = "CrossRegion"
    /// A copy job's destination vault is in another account than its source vault.
    case crossAccount = "CrossAccount"
    /// A restore job was started by a restore testing plan (CreatedBy.RestoreTestingPlanArn is present).
    case isRestoreTest = "IsRestoreTest"

    public var type: ValueType {
        switch self {
        case .duration: .duration
        case .region, .roleName: .string
        case .finished, .inFlight, .completedWithIssues, .crossRegion, .crossAccount, .isRestoreTest: .boolean
        }
    }

    /// Whether records of a kind have the field.
    public func isAvailable(for kind: RecordKind) -> Bool {
        let schema = kind.schema
        switch self {
        case .duration: return schema.creationField != nil && schema.completionField != nil
        case .region: return true
        case .finished, .inFlight: return schema.stateField != nil
        case .roleName: return schema.index(path: "IamRoleArn") != nil
        case .completedWithIssues: return schema.index(path: "MessageCategory") != nil && schema.states.values.contains("COMPLETED")
        case .crossRegion, .crossAccount: return kind == .copyJob
        case .isRestoreTest: return kind == .restoreJob
        }
    }
}

/// A value known when the rules are compiled.
public enum Constant: Hashable, Sendable {
    case string(String)
    case number(Double)
    case boolean(Bool)
    case timestamp(Timestamp)
    /// Milliseconds.
    case duration(Int64)
    /// Bytes.
    case size(Int64)
    /// A fraction: 5% is 0.05.
    case percent(Double)
    case list([Constant])

    public var type: ValueType {
        switch self {
        case .string: .string
        case .number: .number
        case .boolean: .boolean
        case .timestamp: .timestamp
        case .duration: .duration
        case .size: .size
        case .percent: .percent
        case .list(let elements): .list(elements.first?.type ?? .string)
        }
    }
}

/// A true-or-false test. A comparison involving a missing value is false.
public indirect enum Condition: Sendable {
    /// A condition as written (`CompletionDate within rpo`): explanations quote the text and
    /// report whether it held. Evaluation looks through it.
    case clause(String, Condition)
    case constant(Bool)
    case and([Condition])
    case or([Condition])
    case not(Condition)
    /// A boolean value: a derived field (`Finished`), `IsParent`, a boolean parameter.
    case isTrue(Operand)
    case compare(ComparisonOperator, Operand, Operand)
    /// Text tests; `pattern` is a literal (or a list for `in`).
    case text(TextTest, Operand, ignoringCase: Bool)
    case presence(Operand, exists: Bool)
}

public enum ComparisonOperator: String, Hashable, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

public enum TextTest: Sendable {
    case contains(String)
    case startsWith(String)
    case endsWith(String)
    /// A regular expression (RE2 syntax), compiled when the rules were checked; it matches
    /// anywhere in the text unless it anchors itself.
    case matches(RE2Pattern)
    /// A glob as written (`prod-*`), and the anchored regular expression it was compiled to.
    case like(String, RE2Pattern)
    /// One of these values (strings, numbers...).
    case oneOf([Constant], negated: Bool)
}

/// A value computed from a job or a group.
public indirect enum Operand: Sendable {
    case constant(Constant)
    case field(FieldRef)
    case now
    /// `source` is the expression as written (formatted), for the message when the result
    /// overflows.
    case arithmetic(ArithmeticOperator, Operand, Operand, result: ValueType, source: String)
    case negate(Operand, source: String)
    case aggregate(Aggregate)
    /// A field of the latest or earliest record of a group (`latest(jobs where ...).State`,
    /// `latest(copy jobs).DestinationVaultLockState`).
    case pickedJobField(JobPick, FieldRef)
}

public enum ArithmeticOperator: String, Hashable, Sendable {
    case plus = "+", minus = "-", times = "*", divided = "/"
}

public struct JobPick: Sendable {
    public enum Which: String, Sendable { case latest, earliest }
    public var which: Which
    /// Among which records: the group's backup jobs, or its related records of another kind.
    public var records: RecordSelection
}

/// A figure over a group's records of one kind (those matching the selection's filter, or all).
public indirect enum Aggregate: Sendable {
    case count(RecordSelection)
    /// The fraction of the selected records satisfying the condition; 0 when there are none.
    case share(RecordSelection, Condition)
    /// count(first) / count(second); missing when the second is 0.
    case ratio(RecordSelection, RecordSelection)
    /// `source`: the call as written, for the message when a sum overflows.
    case statistic(Statistic, RecordSelection, Operand, ValueType, source: String)
    /// How many distinct values the operand takes (missing values not counted).
    case distinct(RecordSelection, Operand)

    /// The records every part of the aggregate reads.
    public var selections: [RecordSelection] {
        switch self {
        case .count(let s), .share(let s, _), .statistic(_, let s, _, _, _), .distinct(let s, _): [s]
        case .ratio(let a, let b): [a, b]
        }
    }
}

public enum Statistic: String, Sendable, CaseIterable {
    case min, max, sum, avg, median
}
