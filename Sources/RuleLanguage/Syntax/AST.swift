public import BackupJobs

/// A parsed rule file: its items in order, and its comments for the formatter.
public struct RuleFile: Hashable, Sendable {
    public var items: [Item]
    public var comments: [Comment]
}

public enum Item: Hashable, Sendable {
    case parameter(ParameterDecl)
    case rule(RuleDecl)
    case waiver(WaiverDecl)
    case test(TestDecl)

    public var range: SourceRange {
        switch self {
        case .parameter(let p): p.range
        case .rule(let r): r.range
        case .waiver(let w): w.range
        case .test(let t): t.range
        }
    }
}

/// `test "NAME" { now ...  param ...  jobs "FILE"  job { FIELD = VALUE, ... }  expect ... }`:
/// a case for `backup-audit test`, its statements in the order written.
public struct TestDecl: Hashable, Sendable {
    /// A string literal.
    public var name: Expr
    public var statements: [TestStatement]
    public var range: SourceRange
}

public enum TestStatement: Hashable, Sendable {
    /// `now 2026-11-28T12:00:00Z`: the time the rules are judged at.
    case now(Expr, range: SourceRange)
    /// `param rpo = 12h`: a parameter's value for this test.
    case parameter(ParameterDecl)
    /// `jobs "fixtures/stale.json"`: a listing file, relative to the rule file.
    case fixture(Expr, range: SourceRange)
    /// `job { BackupJobId = "j1", State = FAILED }`
    case job(InlineJob)
    /// `expect RULE passes|fails [for "SUBJECT"]`
    case expectation(Expectation)

    public var range: SourceRange {
        switch self {
        case .now(_, let range), .fixture(_, let range): range
        case .parameter(let p): p.range
        case .job(let j): j.range
        case .expectation(let e): e.range
        }
    }
}

/// A record written in a test (`job { ... }`, `copy job { ... }`): fields and literal values.
public struct InlineJob: Hashable, Sendable {
    /// The word naming the record's kind (`copy`); nil for `job`.
    public var kind: Name?
    public var members: [JobMember]
    public var range: SourceRange
}

public struct JobMember: Hashable, Sendable {
    /// The field (`State`, `CreatedBy.BackupPlanId`).
    public var field: Expr
    public var value: Expr
    public var range: SourceRange
}

public struct Expectation: Hashable, Sendable {
    public var rule: Name
    public var passes: Bool
    /// A string literal: the subject the outcome is expected for.
    public var subject: Expr?
    public var range: SourceRange
}

/// A name written in the source, with where.
public struct Name: Hashable, Sendable {
    public var text: String
    public var range: SourceRange
}

/// `param rpo = 24h`
public struct ParameterDecl: Hashable, Sendable {
    public var name: Name
    public var value: Expr
    public var range: SourceRange
}

/// `rule ID { metadata... body }`
public struct RuleDecl: Hashable, Sendable {
    public var id: Name
    public var metadata: [Metadata]
    public var body: Body?
    public var range: SourceRange
}

public struct Metadata: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case title, description, severity, controls, remediation
    }

    public var kind: Kind
    /// Strings for title, description, remediation and controls; the severity word as an identifier.
    public var values: [Expr]
    public var range: SourceRange
}

/// What a rule asserts.
public enum Body: Hashable, Sendable {
    /// `every SUBJECT [where COND] ASSERTION`
    case every(Subject, filter: Expr?, Assertion, range: SourceRange)
    /// `no SUBJECT where COND`
    case no(Subject, filter: Expr, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .every(_, _, _, let range), .no(_, _, let range): range
        }
    }

    public var subject: Subject {
        switch self {
        case .every(let subject, _, _, _), .no(let subject, _, _): subject
        }
    }
}

/// `SUBJECT [where CONDITION]`: what `backup-audit query` lists.
public struct Query: Hashable, Sendable {
    public var subject: Subject
    public var filter: Expr?
    public var range: SourceRange
}

public struct Subject: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// `job`, or `KIND job` (`copy job`): the word naming the kind, nil for `job`.
        case job(Name?)
        case resource, account, vault, plan, resourceType
        /// `group by FIELD`
        case group(by: Expr)
    }

    public var kind: Kind
    public var range: SourceRange
}

public enum Assertion: Hashable, Sendable {
    /// `satisfies COND`
    case satisfies(Expr, range: SourceRange)
    /// `has [at least N | at most N | exactly N | no] [KIND] job(s) [where COND] [in each of the last N days]`;
    /// `kind` is the word naming the records' kind (`copy`), nil for `job`.
    case has(Quantity, kind: Name?, filter: Expr?, eachOfLastDays: Expr?, range: SourceRange)
    /// `latest [KIND] job [where COND] satisfies COND`
    case latest(kind: Name?, filter: Expr?, condition: Expr, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .satisfies(_, let range), .has(_, _, _, _, let range), .latest(_, _, _, let range): range
        }
    }
}

public enum Quantity: Hashable, Sendable {
    /// `has job`: at least one.
    case some
    case atLeast(Expr)
    case atMost(Expr)
    case exactly(Expr)
    /// `has no job`
    case none
}

/// `waive RULE for "ID", ... | where COND until DATE because "TEXT"`
public struct WaiverDecl: Hashable, Sendable {
    public enum Target: Hashable, Sendable {
        case subjects([Expr])
        case matching(Expr)
    }

    public var rule: Name
    public var target: Target
    public var until: Expr
    public var reason: Expr
    public var range: SourceRange
}

/// An expression, with the range it was written at.
public struct Expr: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case string(String)
        /// As written, so the value is exact and the formatter keeps it.
        case number(String)
        /// Literals keep their text as written, so formatting never changes a value's spelling.
        case duration(milliseconds: Int64, written: String)
        case size(bytes: Int64, written: String)
        case percent(Double, written: String)
        case timestamp(Timestamp, written: String)
        case boolean(Bool)
        case list([Expr])
        /// A field, derived field, parameter, enum value, `now`, or `jobs`.
        case name(String)
        /// `CreatedBy.BackupPlanId`, `BackupOptions.WindowsVSS`, `latest(jobs).State`
        case member(Expr, Name)
        /// `count(jobs where ...)`, `extra("NewField")`
        case call(Name, [Expr])
        /// `jobs` or `jobs where COND`, as a function's first argument; `copy jobs` names the
        /// kind (`kind` is the word; nil for `jobs`).
        case jobs(kind: Name?, filter: Expr?)
        case not(Expr)
        case negate(Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `X contains Y`, `X in [...]`; `ignoringCase` for `... ignoring case`.
        case match(MatchOperator, Expr, Expr, ignoringCase: Bool)
        /// `X exists` (true) or `X is missing` (false).
        case presence(Expr, exists: Bool)
        case window(WindowOperator, Expr, Expr)
        case parenthesized(Expr)
    }

    public var kind: Kind
    public var range: SourceRange
    /// Nodes on the longest path down from here; the parser bounds it, so code that walks a tree
    /// recursively cannot exhaust the stack.
    public let height: Int

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
        height = 1 + (Self.children(of: kind).map(\.height).max() ?? 0)
    }

    /// The expressions directly inside one.
    public static func children(of kind: Kind) -> [Expr] {
        switch kind {
        case .list(let elements): elements
        case .member(let base, _): [base]
        case .call(_, let arguments): arguments
        case .jobs(_, let filter): filter.map { [$0] } ?? []
        case .not(let inner), .negate(let inner), .parenthesized(let inner), .presence(let inner, _): [inner]
        case .binary(_, let l, let r), .match(_, let l, let r, _), .window(_, let l, let r): [l, r]
        case .string, .number, .duration, .size, .percent, .timestamp, .boolean, .name: []
        }
    }
}

public enum BinaryOperator: String, Hashable, Sendable {
    case or, and
    case equal = "==", notEqual = "!="
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case plus = "+", minus = "-", times = "*", divided = "/"

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }
}

public enum MatchOperator: String, Hashable, Sendable {
    /// `==` and `!=` with `ignoring case`.
    case equal = "==", notEqual = "!="
    case contains, startsWith = "starts with", endsWith = "ends with", matches, like, `in`, notIn = "not in"
}

public enum WindowOperator: String, Hashable, Sendable {
    /// `t within D`: now − D ≤ t ≤ now
    case within
    /// `t older than D`: t < now − D
    case olderThan = "older than"
    case before, after
}
