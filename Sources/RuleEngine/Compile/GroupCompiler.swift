import BackupJobs
import RuleLanguage

/// One group being judged: its rows (of the group kind, backup jobs), the rows of other kinds
/// related to it, and the aggregates already computed for it.
final class GroupScope {
    let rows: ArraySlice<Int32>
    let related: [RecordKind: ArraySlice<Int32>]
    private var memo: [Value??]

    init(rows: ArraySlice<Int32>, related: [RecordKind: ArraySlice<Int32>] = [:], aggregates: Int) {
        self.rows = rows
        self.related = related
        memo = [Value??](repeating: nil, count: aggregates)
    }

    /// The group's records of a kind: its own rows for the group kind (backup jobs), else the
    /// related ones. A kind neither of these has no records here, never the group's own: the
    /// runners refuse to judge a rule reading such a kind before they build a scope
    /// (`GroupCompiler.unrelatedKinds`, `EvaluationFault.Cause.unrelatedKind`).
    func rows(_ kind: RecordKind) -> ArraySlice<Int32> {
        if let rows = related[kind] { return rows }
        return kind == SubjectKind.groupRecordKind ? rows : []
    }

    func remembered(_ index: Int, _ compute: () -> Value?) -> Value? {
        if let known = memo[index] { return known }
        let value = compute()
        memo[index] = .some(value)
        return value
    }
}

/// `(group, row)`: a group condition reads aggregates from the group and attributes from a job
/// of it (`row`; -1 when the condition reads no attribute).
typealias GroupPredicate = (GroupScope, Int) -> Bool
typealias GroupValue = (GroupScope, Int) -> Value?

/// Compiles group conditions: aggregates over the group's jobs, and attributes that hold when
/// they hold for some job of the group.
final class GroupCompiler {
    /// The compiler of the group kind's rows (backup jobs).
    let rows: RowCompiler
    /// Compilers of the related kinds' tables, sharing `rows`' fault recorder.
    let related: [RecordKind: RowCompiler]
    /// Aggregates compiled so far; each has a slot in `GroupScope`'s memo.
    private(set) var aggregateCount = 0
    /// Kinds a compiled condition read that neither the group kind nor a related kind is: a
    /// programming error (the checker relates every kind a rule reads). A runner finding any
    /// must not judge the rule: their conditions were compiled over an empty table.
    private(set) var unrelatedKinds: Set<RecordKind> = []

    init(rows: RowCompiler, related: [RecordKind: RowCompiler] = [:]) {
        self.rows = rows
        self.related = related
    }

    /// The compiler of a kind's conditions: the group kind's, or a related kind's. For any other
    /// kind, never the group kind's (which would read backup jobs as that kind's records, or
    /// rows beyond its table): a compiler over an empty table of that kind, and the kind is
    /// recorded in `unrelatedKinds` so the rule is not judged.
    func compiler(_ kind: RecordKind) -> RowCompiler {
        if kind == rows.table.kind { return rows }
        if let compiler = related[kind] { return compiler }
        unrelatedKinds.insert(kind)
        return RowCompiler(table: RecordTable(kind: kind), now: Timestamp(millisecondsSinceEpoch: rows.now), faults: rows.faults)
    }

    /// A condition judged for a whole group. Attributes hold when they hold for some job.
    func groupCondition(_ condition: Condition) -> (GroupScope) -> Bool {
        let compiled = predicate(condition)
        guard Self.readsJobFields(condition) else { return { compiled($0, -1) } }
        return { scope in scope.rows.contains { compiled(scope, Int($0)) } }
    }

    func predicate(_ condition: Condition) -> GroupPredicate {
        // Conditions without aggregates are plain job conditions on the chosen row.
        if !Self.hasAggregates(condition) {
            let job = rows.predicate(condition)
            if Self.readsJobFields(condition) { return { _, row in row >= 0 && job(row) } }
            return { scope, _ in scope.rows.first.map { job(Int($0)) } ?? false }
        }
        switch condition {
        case .clause(_, let inner): return predicate(inner)
        case .constant(let flag): return { _, _ in flag }
        case .and(let parts):
            let compiled = parts.map(predicate)
            return { scope, row in compiled.allSatisfy { $0(scope, row) } }
        case .or(let parts):
            let compiled = parts.map(predicate)
            return { scope, row in compiled.contains { $0(scope, row) } }
        case .not(let inner):
            let compiled = predicate(inner)
            return { !compiled($0, $1) }
        case .isTrue(let operand):
            let compiled = value(operand)
            return { if case .boolean(true)? = compiled($0, $1) { true } else { false } }
        case .presence(let operand, let exists):
            let compiled = value(operand)
            return { (compiled($0, $1) != nil) == exists }
        case .compare(let op, let left, let right):
            let l = value(left), r = value(right)
            let pool = rows.pool
            return { scope, row in
                guard let a = l(scope, row), let b = r(scope, row) else { return false }
                return Comparison.holds(op, a, b, pool: pool)
            }
        case .text(let test, let operand, let ignoringCase):
            let matcher = TextMatcher(test, ignoringCase: ignoringCase, pool: rows.pool)
            let compiled = value(operand)
            return { compiled($0, $1).map(matcher.matches) ?? false }
        }
    }

    func value(_ operand: Operand) -> GroupValue {
        switch operand {
        case .aggregate(let aggregate):
            let slot = aggregateCount
            aggregateCount += 1
            let compute = self.aggregate(aggregate)
            return { scope, _ in scope.remembered(slot) { compute(scope) } }
        case .pickedJobField(let pick, let field):
            let slot = aggregateCount
            aggregateCount += 1
            let choose = self.pick(pick)
            let read = compiler(pick.records.kind).fieldValue(field)
            return { scope, _ in scope.remembered(slot) { choose(scope).flatMap(read) } }
        case .arithmetic(let op, let a, let b, let result, let source):
            let l = value(a), r = value(b)
            // `row` is a row of the group's own kind: the record an attribute is read from.
            let faults = rows.faults, kind = rows.table.kind
            return { scope, row in
                guard let x = l(scope, row), let y = r(scope, row) else { return nil }
                return Arithmetic.apply(op, x, y, result: result, source: source, row: row, of: kind, faults: faults)
            }
        case .negate(let inner, let source):
            let compiled = value(inner)
            let faults = rows.faults, kind = rows.table.kind
            return { scope, row in compiled(scope, row).flatMap { Arithmetic.negate($0, source: source, row: row, of: kind, faults: faults) } }
        default:
            let job = rows.value(operand)
            return { _, row in row >= 0 ? job(row) : (Self.readsJobFields(operand) ? nil : job(0)) }
        }
    }

    // MARK: Aggregates

    func aggregate(_ aggregate: Aggregate) -> (GroupScope) -> Value? {
        switch aggregate {
        case .count(let records):
            let keep = filter(records)
            return { scope in .number(Double(Self.count(scope.rows(records.kind), keep))) }
        case .share(let records, let condition):
            let keep = filter(records), holds = compiler(records.kind).predicate(condition)
            return { scope in
                var total = 0, matching = 0
                for row in scope.rows(records.kind) where keep?(Int(row)) ?? true {
                    total += 1
                    if holds(Int(row)) { matching += 1 }
                }
                return .percent(total == 0 ? 0 : Double(matching) / Double(total))
            }
        case .ratio(let first, let second):
            let a = filter(first), b = filter(second)
            return { scope in
                let denominator = Self.count(scope.rows(second.kind), b)
                return denominator == 0 ? nil : .percent(Double(Self.count(scope.rows(first.kind), a)) / Double(denominator))
            }
        case .distinct(let records, let operand):
            let keep = filter(records), read = compiler(records.kind).value(operand)
            let pool = rows.pool
            return { scope in
                var seen = Set<String>()
                for row in scope.rows(records.kind) where keep?(Int(row)) ?? true {
                    if let v = read(Int(row)) { seen.insert(v.string(pool) ?? v.display(pool)) }
                }
                return .number(Double(seen.count))
            }
        case .statistic(let statistic, let records, let operand, let type, let source):
            let keep = filter(records), read = compiler(records.kind).value(operand)
            let faults = rows.faults
            return { scope in
                var values: [Value] = []
                for row in scope.rows(records.kind) where keep?(Int(row)) ?? true {
                    if let v = read(Int(row)) { values.append(v) }
                }
                guard let result = Statistics.compute(statistic, values, type: type) else {
                    faults.overflow(source, type, row: nil)
                    return nil
                }
                return result
            }
        }
    }

    /// The filter of a selection, compiled for its kind's rows; nil keeps every record.
    /// Every read of a kind's records passes here, filtered or not, so a kind not related is
    /// always noted in `unrelatedKinds`.
    func filter(_ records: RecordSelection) -> RowPredicate? {
        let compiler = compiler(records.kind)
        return records.filter.map(compiler.predicate)
    }

    static func count(_ rows: ArraySlice<Int32>, _ keep: RowPredicate?) -> Int {
        guard let keep else { return rows.count }
        var n = 0
        for row in rows where keep(Int(row)) { n += 1 }
        return n
    }

    /// The record `latest(...)` or `earliest(...)` names: by CreationDate, then CompletionDate,
    /// then id, so the choice never depends on input order. Records without a CreationDate are
    /// not candidates.
    func pick(_ pick: JobPick) -> (GroupScope) -> Int? {
        let keep = filter(pick.records)
        let kind = pick.records.kind
        let ordering = JobOrdering(table: compiler(kind).table)
        let latest = pick.which == .latest
        return { scope in
            var best: Int?
            for row32 in scope.rows(kind) {
                let row = Int(row32)
                guard keep?(row) ?? true, ordering.created[row] != nil else { continue }
                guard let current = best else {
                    best = row
                    continue
                }
                if latest ? ordering.isLater(row, than: current) : ordering.isLater(current, than: row) { best = row }
            }
            return best
        }
    }

    // MARK: What a condition reads

    static func hasAggregates(_ condition: Condition) -> Bool {
        walk(condition) { operand in
            switch operand {
            case .aggregate, .pickedJobField: true
            default: false
            }
        }
    }

    static func readsJobFields(_ condition: Condition) -> Bool {
        walk(condition) { if case .field = $0 { true } else { false } }
    }

    static func readsJobFields(_ operand: Operand) -> Bool {
        walkOperand(operand) { if case .field = $0 { true } else { false } }
    }

    /// Whether any operand of the condition (outside aggregates' own job conditions) matches.
    static func walk(_ condition: Condition, _ test: (Operand) -> Bool) -> Bool {
        switch condition {
        case .clause(_, let inner), .not(let inner): walk(inner, test)
        case .constant: false
        case .and(let parts), .or(let parts): parts.contains { walk($0, test) }
        case .isTrue(let o), .presence(let o, _), .text(_, let o, _): walkOperand(o, test)
        case .compare(_, let a, let b): walkOperand(a, test) || walkOperand(b, test)
        }
    }

    static func walkOperand(_ operand: Operand, _ test: (Operand) -> Bool) -> Bool {
        if test(operand) { return true }
        switch operand {
        case .arithmetic(_, let a, let b, _, _): return walkOperand(a, test) || walkOperand(b, test)
        case .negate(let inner, _): return walkOperand(inner, test)
        default: return false
        }
    }
}

/// Orders jobs by CreationDate, then CompletionDate, then BackupJobId.
struct JobOrdering {
    let created: RecordTable.Column<Int64>
    let completed: RecordTable.Column<Int64>
    let ids: RecordTable.Column<UInt32>
    let pool: StringPool

    init(table: RecordTable) {
        created = table.timestampColumn(table.schema.creationField)
        completed = table.timestampColumn(table.schema.completionField)
        ids = table.stringColumn(table.schema.idField)
        pool = table.strings
    }

    func isLater(_ a: Int, than b: Int) -> Bool {
        let ca = created[a] ?? .min, cb = created[b] ?? .min
        if ca != cb { return ca > cb }
        let da = completed[a] ?? .min, db = completed[b] ?? .min
        if da != db { return da > db }
        // Every row has a BackupJobId: the decoder refuses jobs without one.
        return pool[ids[a]!] > pool[ids[b]!]
    }
}

enum Statistics {
    /// The statistic of the values (`.some(nil)` when there are none); nil when it overflows: a
    /// sum beyond the range of its kind. Times, durations and sizes are summed exactly (in 128
    /// bits, so only the final result can leave Int64, and averages and medians never do);
    /// numbers and percentages in Double.
    static func compute(_ statistic: Statistic, _ values: [Value], type: ValueType) -> Value?? {
        guard !values.isEmpty else { return .some(nil) }
        switch statistic {
        case .min: return values.min { (Comparison.order($0, $1) ?? 0) < 0 }
        case .max: return values.max { (Comparison.order($0, $1) ?? 0) < 0 }
        case .median:
            let sorted = values.sorted { (Comparison.order($0, $1) ?? 0) < 0 }
            if sorted.count % 2 == 1 { return sorted[sorted.count / 2] }
            return average([sorted[sorted.count / 2 - 1], sorted[sorted.count / 2]], type: type)
        case .sum:
            if type.isExactKind {
                let total = exactSum(values)
                guard let sum = Int64(exactly: total) else { return nil }
                return Value(.integer(sum), as: type)
            }
            let total = values.reduce(0) { $0 + ($1.numeric ?? 0) }
            return total.isFinite ? Value(.real(total), as: type) : nil
        case .avg:
            return average(values, type: type)
        }
    }

    static func exactSum(_ values: [Value]) -> Int128 {
        // Fewer than 2^64 values of at most 2^63 each: the sum fits in 128 bits.
        values.reduce(Int128(0)) { $0 + Int128($1.exactInteger ?? 0) }
    }

    /// The mean: always within the range of the values, so it never overflows.
    static func average(_ values: [Value], type: ValueType) -> Value {
        let count = values.count
        if type.isExactKind {
            let total = exactSum(values)
            let (quotient, remainder) = total.quotientAndRemainder(dividingBy: Int128(count))
            // Times round toward the past (as `floorDividedByDay` and the decoders do); durations
            // and sizes to the nearest, halves away from zero.
            var mean = quotient
            if remainder != 0 {
                if type == .timestamp {
                    if remainder < 0 { mean -= 1 }
                } else if remainder.magnitude * 2 >= UInt128(count) {
                    mean += remainder < 0 ? -1 : 1
                }
            }
            // Between the smallest and largest value, so inside Int64.
            return Value(.integer(Int64(mean)), as: type)
        }
        let total = values.reduce(0) { $0 + ($1.numeric ?? 0) }
        // A sum of huge numbers can overflow where their mean does not.
        let mean = total.isFinite ? total / Double(count) : values.reduce(0) { $0 + ($1.numeric ?? 0) / Double(count) }
        return Value(.real(mean), as: type)
    }
}
