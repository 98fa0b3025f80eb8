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

/// A `test` block, checked: the jobs to judge, when, with which parameters, and what each rule
/// must make of them.
public struct CompiledTest: Sendable {
    public var name: String
    public var location: SourceLocation
    public var now: Timestamp
    /// Parameter values for this test, as `--param` would give them.
    public var overrides: [ParameterOverride]
    /// Listing files as written, relative to the test's file.
    public var fixtures: [String]
    /// Jobs written in the test.
    public var jobs: [BackupJob]
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
}

/// What a rule quantifies over.
public enum SubjectKind: Hashable, Sendable {
    /// Each job; its id is BackupJobId.
    case job
    /// Jobs grouped by a key; each group's id is the key's value.
    case group(GroupKey)

    public var displayName: String {
        switch self {
        case .job: "job"
        case .group(let key): key.displayName
        }
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

    /// The field whose value names a group.
    public var keyField: FieldRef {
        switch self {
        case .resource: .stored(.resourceArn)
        case .account: .stored(.accountId)
        case .vault: .stored(.backupVaultArn)
        case .plan: .stored(.createdByBackupPlanId)
        case .resourceType: .stored(.resourceType)
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
    /// `satisfies COND`: on a job, or on a group (aggregates and group attributes).
    case satisfies(Condition)
    /// `has [at least | at most | exactly | no] job(s) [where FILTER]`
    case count(CountBound, filter: Condition?)
    /// `has [COUNT] job(s) [where FILTER] in each of the last N days`: in every one of the N UTC
    /// calendar days before the day of `now`, the number of jobs matching the filter (by
    /// CreationDate) is within the bound (at least 1 for plain `has job`).
    case eachDay(days: Int, CountBound, filter: Condition?)
    /// `latest job [where FILTER] satisfies COND`: the job(s) with the latest CreationDate
    /// among those matching the filter all satisfy COND; no such job fails.
    case latest(filter: Condition?, Condition)
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

/// A job field a rule can read.
public enum FieldRef: Hashable, Sendable {
    /// A member of the service model's BackupJob shape.
    case stored(BackupJobField)
    /// `BackupOptions.KEY`
    case backupOption(String)
    /// A field computed from stored ones.
    case derived(DerivedField)
    /// `extra("Path")`: a member the schema does not know, kept from the data as JSON.
    case additional(String)

    public var path: String {
        switch self {
        case .stored(let field): field.descriptor.path
        case .backupOption(let key): "BackupOptions.\(key)"
        case .derived(let field): field.rawValue
        case .additional(let path): "extra(\"\(path)\")"
        }
    }
}

public enum DerivedField: String, Hashable, Sendable, CaseIterable {
    /// CompletionDate − CreationDate.
    case duration = "Duration"
    /// The Region of the vault's ARN, else the resource's.
    case region = "Region"
    /// The last segment of IamRoleArn.
    case roleName = "RoleName"
    /// State is COMPLETED, FAILED, ABORTED, EXPIRED or PARTIAL.
    case finished = "Finished"
    /// State is CREATED, PENDING or RUNNING.
    case inFlight = "InFlight"
    /// State is COMPLETED and MessageCategory is present and not SUCCESS.
    case completedWithIssues = "CompletedWithIssues"

    public var type: ValueType {
        switch self {
        case .duration: .duration
        case .region, .roleName: .string
        case .finished, .inFlight, .completedWithIssues: .boolean
        }
    }

    public var summary: String {
        switch self {
        case .duration: "CompletionDate − CreationDate (missing unless both are present)"
        case .region: "the Region of BackupVaultArn, else of ResourceArn"
        case .roleName: "the last segment of IamRoleArn (after the last '/')"
        case .finished: "State is COMPLETED, FAILED, ABORTED, EXPIRED or PARTIAL"
        case .inFlight: "State is CREATED, PENDING or RUNNING"
        case .completedWithIssues: "State is COMPLETED and MessageCategory is present and not SUCCESS"
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
    /// A field of the latest or earliest job of a group (`latest(jobs where ...).State`).
    case pickedJobField(JobPick, FieldRef)
}

public enum ArithmeticOperator: String, Hashable, Sendable {
    case plus = "+", minus = "-", times = "*", divided = "/"
}

public struct JobPick: Sendable {
    public enum Which: String, Sendable { case latest, earliest }
    public var which: Which
    public var filter: Condition?
}

/// A figure over a group's jobs (the jobs matching `filter`, or all).
public indirect enum Aggregate: Sendable {
    case count(filter: Condition?)
    /// The fraction of the filtered jobs satisfying the condition; 0 when there are none.
    case share(filter: Condition?, Condition)
    /// count(first) / count(second); missing when the second is 0.
    case ratio(Condition?, Condition?)
    /// `source`: the call as written, for the message when a sum overflows.
    case statistic(Statistic, filter: Condition?, Operand, ValueType, source: String)
    /// How many distinct values the operand takes (missing values not counted).
    case distinct(filter: Condition?, Operand)
}

public enum Statistic: String, Sendable, CaseIterable {
    case min, max, sum, avg, median
}
