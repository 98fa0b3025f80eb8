import BackupJobs
import RuleEngine
import RuleLanguage

/// A finding's values in the JSON report (`findings[].detail`): what the message and the
/// explanation say in words, for programs. Members without a value are left out.
struct FindingJSON: Encodable {
    /// `record` (a record rule's subject) or `group`.
    let type: String
    // A record rule's subject.
    var matched: Bool?
    var failed: [String]?
    var observed: [Observed]?
    var scope: String?
    var clauses: [Clause]?
    var record: Record?
    // A group.
    var records: Int?
    var related: [Count]?
    var outcome: Outcome?
    var latestRecord: Record?
    var evidenceCount: Int?

    init(_ detail: FindingDetail) {
        switch detail {
        case .record(let failure):
            type = "record"
            matched = failure.matched
            failed = failure.failed
            observed = failure.observed.map(Observed.init)
            scope = failure.scope
            clauses = failure.clauses.map(Clause.init)
            record = Record(failure.record)
        case .group(let failure):
            type = "group"
            records = failure.records
            related = failure.related.map { Count(kind: $0.kind.rawValue, count: $0.count) }
            scope = failure.scope
            outcome = Outcome(failure.outcome)
            latestRecord = failure.latestRecord.map(Record.init)
            evidenceCount = failure.evidenceCount
        }
    }

    struct Observed: Encodable {
        let field: String
        /// Absent when the record has no value.
        let value: Value?

        init(_ value: ObservedValue) {
            field = value.field
            self.value = value.value.map(Value.init)
        }
    }

    /// A value with its type: `value` as JSON has it (text, a number, true/false; a time in ISO
    /// 8601; a duration in milliseconds, a size in bytes, a percentage as a fraction), and
    /// `literal` as explanations write it (`"FAILED"`, `1d 8h`, `4.7 GiB`, `7.2%`).
    struct Value: Encodable {
        let type: String
        let value: JSONScalar
        let literal: String

        init(_ value: Constant) {
            literal = value.readable
            (type, self.value) = switch value {
            case .string(let text): ("text", .text(text))
            // Not finite only from arithmetic on extreme values: JSON has no such number.
            case .number(let n): ("number", n.isFinite ? .number(n) : .text(String(n)))
            case .percent(let p): ("percent", p.isFinite ? .number(p) : .text(String(p)))
            case .boolean(let b): ("boolean", .boolean(b))
            case .timestamp(let t): ("timestamp", .text(t.iso8601))
            case .duration(let d): ("duration", .integer(d))
            case .size(let s): ("size", .integer(s))
            // No field or aggregate holds a list.
            case .list: ("list", .text(value.readable))
            }
        }
    }

    enum JSONScalar: Encodable {
        case text(String), number(Double), integer(Int64), boolean(Bool)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            case .integer(let integer): try container.encode(integer)
            case .boolean(let flag): try container.encode(flag)
            }
        }
    }

    struct Clause: Encodable {
        let text: String
        /// `held`, `failed` or `overflow` (the expression that overflowed is `overflow`).
        let outcome: String
        let overflow: String?
        let observed: [Observed]?
        let figures: [Figure]?

        init(_ clause: ClauseCheck) {
            text = clause.text
            switch clause.outcome {
            case .held: (outcome, overflow) = ("held", nil)
            case .failed: (outcome, overflow) = ("failed", nil)
            case .overflow(let expression): (outcome, overflow) = ("overflow", expression)
            }
            observed = clause.observed.map(Observed.init)
            figures = nil
        }

        init(_ clause: GroupClauseCheck) {
            text = clause.text
            outcome = clause.held ? "held" : "failed"
            overflow = nil
            observed = nil
            figures = clause.figures.map(Figure.init)
        }
    }

    struct Record: Encodable {
        let kind: String
        let id: String
        let state: String?
        let created: String?
        let statusMessage: String?

        init(_ facts: RecordFacts) {
            kind = facts.kind.rawValue
            id = facts.id
            state = facts.state
            created = facts.created?.iso8601
            statusMessage = facts.statusMessage
        }
    }

    struct Records: Encodable {
        let kind: String
        let filter: String?

        init(_ records: RecordsLooked) {
            kind = records.kind.rawValue
            filter = records.filter
        }
    }

    struct Count: Encodable {
        let kind: String
        let count: Int
    }

    /// `{"atLeast": 7}`.
    struct Bound: Encodable {
        var atLeast: Int?
        var atMost: Int?
        var exactly: Int?

        init(_ bound: CountBound) {
            switch bound {
            case .atLeast(let n): atLeast = n
            case .atMost(let n): atMost = n
            case .exactly(let n): exactly = n
            }
        }
    }

    /// An aggregate's figures: `type` is count, share, ratio, statistic, distinct, picked, nonePicked or overflow.
    struct Figure: Encodable {
        let type: String
        var count: Int?
        var records: Records?
        var share: Double?
        var matching: Int?
        var total: Int?
        var condition: String?
        var numerator: Int?
        var denominator: Int?
        var name: String?
        var value: Value?
        var record: Record?
        var field: String?
        var expression: String?

        init(_ figure: AggregateFigure) {
            switch figure {
            case .count(let count, let records):
                type = "count"
                self.count = count
                self.records = Records(records)
            case .share(let share, let matching, let total, let records, let condition):
                type = "share"
                (self.share, self.matching, self.total, self.records, self.condition) = (share, matching, total, Records(records), condition)
            case .ratio(let numerator, let denominator, let divisor):
                type = "ratio"
                (self.numerator, self.denominator, records) = (numerator, denominator, Records(divisor))
            case .statistic(let name, let value):
                type = "statistic"
                (self.name, self.value) = (name, value.map(Value.init))
            case .distinct(let value):
                type = "distinct"
                self.value = value.map(Value.init)
            case .picked(let which, let records, let record, let field, let value):
                type = "picked"
                (name, self.records, self.record, self.field, self.value) = (which, Records(records), Record(record), field, value.map(Value.init))
            case .nonePicked(let which, let records):
                type = "nonePicked"
                (name, self.records) = (which, Records(records))
            case .overflow(let expression):
                type = "overflow"
                self.expression = expression
            }
        }
    }

    struct Day: Encodable {
        let day: String
        let count: Int
    }

    struct Latest: Encodable {
        let record: Record
        let holds: Bool
        let observed: [Observed]
        let clauses: [Clause]
    }

    /// What a group failed on: `type` is matched, unsatisfied, count, eachDay or latest.
    struct Outcome: Encodable {
        let type: String
        var condition: String?
        var failed: [String]?
        var figures: [Figure]?
        var clauses: [Clause]?
        var bound: Bound?
        var count: Int?
        var records: Records?
        var nearestCandidate: [Clause]?
        var days: Int?
        var counts: [Day]?
        var latest: [Latest]?

        init(_ outcome: GroupOutcome) {
            switch outcome {
            case .matched(let condition, let figures, let clauses):
                type = "matched"
                self.condition = condition
                self.figures = figures.map(Figure.init)
                self.clauses = clauses.map(Clause.init)
            case .unsatisfied(let failed, let figures, let clauses):
                type = "unsatisfied"
                self.failed = failed
                self.figures = figures.map(Figure.init)
                self.clauses = clauses.map(Clause.init)
            case .count(let bound, let count, let records, let candidate):
                type = "count"
                (self.bound, self.count, self.records) = (Bound(bound), count, Records(records))
                nearestCandidate = candidate?.map(Clause.init)
            case .eachDay(let days, let bound, let records, let counts):
                type = "eachDay"
                (self.days, self.bound, self.records) = (days, Bound(bound), Records(records))
                self.counts = counts.map { Day(day: String($0.day.iso8601.prefix(10)), count: $0.count) }
            case .latest(let records, let condition, let latest):
                type = "latest"
                (self.records, self.condition) = (Records(records), condition)
                self.latest = latest.map {
                    Latest(record: Record($0.record), holds: $0.holds, observed: $0.observed.map(Observed.init), clauses: $0.clauses.map(Clause.init))
                }
            }
        }
    }
}
