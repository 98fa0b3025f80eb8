public import BackupJobs
public import RuleLanguage

/// Why a subject failed, as values: the clauses with whether each held, the values the record
/// had, the figures of aggregates, the records looked at. The evaluator computes them; reports
/// word them (`FindingText` in Reports), so every report says the same and the JSON report
/// carries the values themselves.
public enum FindingDetail: Sendable {
    /// A record rule's subject (a backup, copy or restore job).
    case record(RecordFailure)
    /// A group's (a resource, account, vault...).
    case group(GroupFailure)
}

/// A value a condition read from a record; `value` is nil when the record has no such value.
public struct ObservedValue: Sendable, Hashable {
    /// The field as a rule names it (`State`, `Duration`, `DestinationBackupVaultArn.Region`).
    public var field: String
    public var value: Constant?

    public init(field: String, value: Constant?) {
        self.field = field
        self.value = value
    }
}

extension Constant {
    /// How explanations write a value: text quoted as a literal, a duration or a size the way
    /// people read it (`"FAILED"`, `12`, `2026-11-27T03:10:00.000Z`, `1d 8h`, `4.7 GiB`, `7.2%`).
    public var readable: String {
        switch self {
        case .string(let text): StringLiteral.quoted(text)
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .boolean(let b): b ? "true" : "false"
        case .timestamp(let t): t.iso8601
        case .duration(let d): DurationUnit.readable(d)
        case .size(let s): Sizes.describe(s)
        case .percent(let p): Percentages.describe(p)
        case .list(let items): "[" + items.map(\.readable).joined(separator: ", ") + "]"
        }
    }
}

/// One clause of a condition judged on one record.
public struct ClauseCheck: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case held, failed
        /// The clause could not be computed: the expression that overflowed. (A clause the
        /// verdict did not need, after a false `and` part, may be such.)
        case overflow(expression: String)
    }

    /// The clause as written.
    public var text: String
    public var outcome: Outcome
    public var observed: [ObservedValue]

    public init(text: String, outcome: Outcome, observed: [ObservedValue]) {
        (self.text, self.outcome, self.observed) = (text, outcome, observed)
    }
}

/// What a record of any kind was: the facts reports name it by.
public struct RecordFacts: Sendable, Hashable {
    public var kind: RecordKind
    public var id: String
    /// Its state (State, or a restore job's Status), as the data has it.
    public var state: String?
    public var created: Timestamp?
    public var statusMessage: String?

    public init(kind: RecordKind, id: String, state: String?, created: Timestamp?, statusMessage: String?) {
        (self.kind, self.id, self.state, self.created, self.statusMessage) = (kind, id, state, created, statusMessage)
    }
}

/// Which records a count, a day count or a `latest` looks at: a kind and the filter as written.
public struct RecordsLooked: Sendable, Hashable {
    public var kind: RecordKind
    public var filter: String?

    public init(kind: RecordKind, filter: String?) {
        (self.kind, self.filter) = (kind, filter)
    }

    /// `job`, `copy job` (a backup job, as the language names it).
    public var noun: String { kind == .backupJob ? "job" : kind.noun }
    public var pluralNoun: String { kind == .backupJob ? "jobs" : kind.pluralNoun }
}

/// A record rule's failing subject.
public struct RecordFailure: Sendable {
    /// A `no` rule: the record matches its condition (`failed` holds that one text).
    /// An `every` rule: the record is in scope and `failed` are the clauses that made it fail.
    public var matched: Bool
    public var failed: [String]
    /// The values the failed clauses read.
    public var observed: [ObservedValue]
    /// The rule's scope (`every ... where SCOPE`), as written.
    public var scope: String?
    /// Every clause of the condition, judged on the record.
    public var clauses: [ClauseCheck]
    public var record: RecordFacts

    public init(matched: Bool, failed: [String], observed: [ObservedValue], scope: String?, clauses: [ClauseCheck], record: RecordFacts) {
        (self.matched, self.failed, self.observed, self.scope, self.clauses, self.record) = (matched, failed, observed, scope, clauses, record)
    }
}

/// A figure of an aggregate a group condition reads.
public enum AggregateFigure: Sendable, Hashable {
    /// `count(...)`: the records of the group counted.
    case count(Int, RecordsLooked)
    /// `share(..., C)`: of `total` records, `matching` satisfy `condition`; `share` is their fraction (0 for none).
    case share(share: Double, matching: Int, total: Int, RecordsLooked, condition: String)
    /// `ratio(A, B)`: the counts of both selections (`divisor` names B's kind).
    case ratio(Int, Int, divisor: RecordsLooked)
    /// `min`, `max`, `avg`, `sum`, `median`...: the value, nil without values.
    case statistic(name: String, value: Constant?)
    /// `distinct(...)`: the number of distinct values, nil for none.
    case distinct(Constant?)
    /// `latest(records).Field`, `earliest(...)`: the record picked and the field's value.
    case picked(which: String, RecordsLooked, record: RecordFacts, field: String, value: Constant?)
    /// No record to pick.
    case nonePicked(which: String, RecordsLooked)
    /// An aggregate whose value overflowed: the expression.
    case overflow(expression: String)
}

/// One clause of a group condition judged on a group, with the figures it read.
public struct GroupClauseCheck: Sendable, Hashable {
    public var text: String
    public var held: Bool
    public var figures: [AggregateFigure]

    public init(text: String, held: Bool, figures: [AggregateFigure]) {
        (self.text, self.held, self.figures) = (text, held, figures)
    }
}

/// A group rule's failing subject.
public struct GroupFailure: Sendable {
    /// The group's records of its own kind (backup jobs).
    public var records: Int
    /// Its related records, by kind, in the order reports list them.
    public var related: [RelatedCount]
    /// The rule's scope (`every ... where SCOPE`), as written.
    public var scope: String?
    public var outcome: GroupOutcome
    /// The group's latest record of its own kind, the nearest candidate of "has" rules.
    public var latestRecord: RecordFacts?
    /// How many evidence records there were, of which the finding keeps `Explainer.evidenceLimit`.
    public var evidenceCount: Int

    public init(records: Int, related: [RelatedCount], scope: String?, outcome: GroupOutcome, latestRecord: RecordFacts?, evidenceCount: Int) {
        (self.records, self.related, self.scope, self.outcome, self.latestRecord, self.evidenceCount) = (records, related, scope, outcome, latestRecord, evidenceCount)
    }

    public struct RelatedCount: Sendable, Hashable {
        public var kind: RecordKind
        public var count: Int

        public init(kind: RecordKind, count: Int) {
            (self.kind, self.count) = (kind, count)
        }
    }
}

/// What a group failed on.
public enum GroupOutcome: Sendable {
    /// `no GROUP where C`: the group matches C.
    case matched(condition: String, figures: [AggregateFigure], clauses: [GroupClauseCheck])
    /// `every GROUP satisfies C`: the clauses that failed, the figures they read, every clause.
    case unsatisfied(failed: [String], figures: [AggregateFigure], clauses: [GroupClauseCheck])
    /// `has`, `at least N`...: the records counted, against the bound; with the clauses of the
    /// records' filter judged on the latest record of the kind, the nearest candidate.
    case count(bound: CountBound, count: Int, RecordsLooked, nearestCandidate: [ClauseCheck]?)
    /// `in each of the last N days`: the count of each day (midnight UTC), oldest first.
    case eachDay(days: Int, bound: CountBound, RecordsLooked, counts: [DayCount])
    /// `latest RECORDS satisfies C`: the latest records (several when they share the creation
    /// time), none when the group has no such record.
    case latest(RecordsLooked, condition: String, latest: [LatestRecord])

    public struct DayCount: Sendable, Hashable {
        public var day: Timestamp
        public var count: Int

        public init(day: Timestamp, count: Int) {
            (self.day, self.count) = (day, count)
        }
    }

    public struct LatestRecord: Sendable {
        public var record: RecordFacts
        public var holds: Bool
        /// The values the condition read.
        public var observed: [ObservedValue]
        public var clauses: [ClauseCheck]

        public init(record: RecordFacts, holds: Bool, observed: [ObservedValue], clauses: [ClauseCheck]) {
            (self.record, self.holds, self.observed, self.clauses) = (record, holds, observed, clauses)
        }
    }
}
