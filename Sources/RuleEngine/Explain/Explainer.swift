import BackupJobs
import RuleLanguage

/// Finds out why a subject failed, as values (`FindingDetail`): the clauses of the condition
/// with whether each held and the values seen, the nearest candidate job, the figures of
/// aggregates; reports word them. Runs only for failures, so its cost follows the number of
/// findings, not of jobs.
struct Explainer {
    let table: RecordTable
    let compiler: RowCompiler
    /// The subject table's compiler with those of the related kinds.
    let groups: GroupCompiler
    let now: Timestamp
    let pool: StringPool
    let ordering: JobOrdering
    static let evidenceLimit = Finding.evidenceLimit

    init(groups: GroupCompiler, now: Timestamp) {
        self.groups = groups
        compiler = groups.rows
        table = compiler.table
        self.now = now
        pool = table.strings
        ordering = JobOrdering(table: table)
    }

    /// A record of some kind, by row: what evidence and explanations point at.
    typealias Row = (kind: RecordKind, row: Int)

    func finding(for rule: CompiledRule, _ failing: RuleRunner.Failing) -> Finding {
        switch failing {
        case .job(let row, let id):
            return jobFinding(rule, row: row, id: id)
        case .group(_, let id, let rows, let related):
            return groupFinding(rule, scope: GroupScope(rows: rows, related: related, aggregates: 0), id: id)
        }
    }

    // MARK: Jobs

    private func jobFinding(_ rule: CompiledRule, row: Int, id: String) -> Finding {
        var failure = RecordFailure(matched: false, failed: [], observed: [], scope: nil, clauses: [], record: facts(row))
        switch rule.body {
        case .no(let filter):
            failure.matched = true
            failure.failed = [text(filter)]
            failure.observed = observed(filter, row: row)
            failure.clauses = clauses(filter, row: row)
        case .every(let filter, .satisfies(let condition)):
            let failing = failingClauses(condition, row: row)
            failure.failed = failing.map(text)
            failure.observed = observed(.and(failing), row: row)
            failure.scope = filter.map(text)
            failure.clauses = clauses(condition, row: row)
        case .every:
            break
        }
        return Finding(subject: id, status: .fail, detail: .record(failure), evidence: [EvidenceRecord(table.kind, id)], waiver: nil)
    }

    // MARK: Groups

    private func groupFinding(_ rule: CompiledRule, scope: GroupScope, id: String) -> Finding {
        let rows = scope.rows
        let related = scope.related.keys.sorted { $0.rawValue < $1.rawValue }.map { GroupFailure.RelatedCount(kind: $0, count: scope.rows($0).count) }
        var evidence: [Row] = []
        var filterText: String?
        let groupCompiler = groups
        let outcome: GroupOutcome
        switch rule.body {
        case .no(let filter):
            outcome = .matched(condition: text(filter), figures: aggregateFacts(filter, scope: scope, compiler: groupCompiler, evidence: &evidence),
                               clauses: groupClauses(filter, scope: scope, compiler: groupCompiler))
        case .every(let filter, let assertion):
            filterText = filter.map(text)
            switch assertion {
            case .satisfies(let condition):
                let failing = failingGroupClauses(condition, scope: scope, compiler: groupCompiler)
                outcome = .unsatisfied(failed: failing.map(text), figures: aggregateFacts(.and(failing), scope: scope, compiler: groupCompiler, evidence: &evidence),
                                       clauses: groupClauses(condition, scope: scope, compiler: groupCompiler))
            case .count(let bound, let records):
                let rowsOfKind = scope.rows(records.kind)
                let keep = groups.filter(records)
                let matching = rowsOfKind.map(Int.init).filter { keep?($0) ?? true }
                evidence = matching.map { (records.kind, $0) }
                var candidate: [ClauseCheck]?
                if let filter = records.filter, let latest = latest(rowsOfKind, filter: nil, kind: records.kind) {
                    candidate = clauses(filter, row: latest, kind: records.kind)
                }
                outcome = .count(bound: bound, count: matching.count, looked(records), nearestCandidate: candidate)
            case .eachDay(let days, let bound, let records):
                let kindTable = groups.compiler(records.kind).table
                let counter = DayCounter(table: kindTable, now: now, days: days, filter: groups.filter(records))
                let counts = counter.counts(scope.rows(records.kind)).enumerated().map { index, count in
                    GroupOutcome.DayCount(day: Timestamp(millisecondsSinceEpoch: counter.dayStart(index)), count: count)
                }
                outcome = .eachDay(days: days, bound: bound, looked(records), counts: counts)
                let keep = groups.filter(records)
                let created = kindTable.timestampColumn(kindTable.schema.creationField)
                evidence = scope.rows(records.kind).map(Int.init).filter { row in
                    (keep?(row) ?? true) && (created[row].map { $0 >= counter.start } ?? false)
                }.map { (records.kind, $0) }
            case .latest(let records, let condition):
                let kindCompiler = groups.compiler(records.kind)
                let chosen = LatestJobs(table: kindCompiler.table, filter: groups.filter(records)).rows(scope.rows(records.kind))
                let holds = kindCompiler.predicate(condition)
                outcome = .latest(looked(records), condition: text(condition), latest: chosen.map { row in
                    GroupOutcome.LatestRecord(record: facts(row, kind: records.kind), holds: holds(row),
                                              observed: observed(condition, row: row, kind: records.kind),
                                              clauses: clauses(condition, row: row, kind: records.kind))
                })
                evidence = chosen.map { (records.kind, $0) }
            }
        }
        let latestJob = latest(rows, filter: nil)
        if let latestJob, evidence.isEmpty { evidence = [(table.kind, latestJob)] }
        let sorted = evidence.sorted { a, b in
            a.kind != b.kind ? RecordKind.allCases.firstIndex(of: a.kind)! < RecordKind.allCases.firstIndex(of: b.kind)!
                : ordering(a.kind).isLater(a.row, than: b.row)
        }
        let evidenceRecords = sorted.prefix(Self.evidenceLimit).map { EvidenceRecord($0.kind, recordID($0.row, $0.kind)) }
        let failure = GroupFailure(records: rows.count, related: related, scope: filterText, outcome: outcome,
                                   latestRecord: latestJob.map { facts($0) }, evidenceCount: evidence.count)
        return Finding(subject: id, status: .fail, detail: .group(failure), evidence: evidenceRecords, waiver: nil)
    }

    private func looked(_ records: RecordSelection) -> RecordsLooked {
        RecordsLooked(kind: records.kind, filter: records.filter.map(text))
    }

    /// The ordering of a kind's records (latest first).
    private func ordering(_ kind: RecordKind) -> JobOrdering {
        kind == table.kind ? ordering : JobOrdering(table: groups.compiler(kind).table)
    }

    private func recordID(_ row: Int, _ kind: RecordKind) -> String {
        let kindTable = groups.compiler(kind).table
        return kindTable.id(at: row)
    }

    // MARK: Clauses

    func text(_ condition: Condition) -> String {
        switch condition {
        case .clause(let text, _): text
        case .and(let parts): parts.map { wrapped($0, inside: "and") }.joined(separator: " and ")
        case .or(let parts): parts.map { wrapped($0, inside: "or") }.joined(separator: " or ")
        case .not(let inner): "not (\(text(inner)))"
        case .constant(let flag): flag ? "true" : "false"
        default: "the condition"
        }
    }

    private func wrapped(_ condition: Condition, inside: String) -> String {
        switch condition {
        case .and where inside == "or", .or where inside == "and": "(\(text(condition)))"
        default: text(condition)
        }
    }

    /// The compiler of a kind's rows (the subject's, or a related kind's).
    private func rows(_ kind: RecordKind?) -> RowCompiler {
        kind.map(groups.compiler) ?? compiler
    }

    /// The clauses that made a job condition false: for `and`, the false parts (not those that
    /// could not be computed, which the verdict did not need); otherwise all.
    private func failingClauses(_ condition: Condition, row: Int) -> [Condition] {
        if case .and(let parts) = condition {
            let failing = parts.filter { part in
                _ = compiler.faults.take()
                return !compiler.predicate(part)(row) && compiler.faults.take() == nil
            }
            return failing.isEmpty ? [condition] : failing
        }
        return [condition]
    }

    private func failingGroupClauses(_ condition: Condition, scope: GroupScope, compiler: GroupCompiler) -> [Condition] {
        if case .and(let parts) = condition {
            let failing = parts.filter { !holds($0, scope: scope, compiler: compiler) }
            return failing.isEmpty ? [condition] : failing
        }
        return [condition]
    }

    private func holds(_ condition: Condition, scope: GroupScope, compiler: GroupCompiler) -> Bool {
        let test = compiler.groupCondition(condition)
        return test(GroupScope(rows: scope.rows, related: scope.related, aggregates: compiler.aggregateCount))
    }

    /// Each clause (the parts of `and` and `or`, flattened) judged on a record, with the values it read.
    func clauses(_ condition: Condition, row: Int, kind: RecordKind? = nil) -> [ClauseCheck] {
        let compiler = rows(kind)
        switch condition {
        case .and(let parts), .or(let parts):
            return parts.flatMap { clauses($0, row: row, kind: kind) }
        default:
            _ = compiler.faults.take()
            let held = compiler.predicate(condition)(row)
            // A clause the verdict did not need (after a false `and` part) may not be computable.
            let outcome: ClauseCheck.Outcome = if let fault = compiler.faults.take() { .overflow(expression: fault.expression) } else { held ? .held : .failed }
            return [ClauseCheck(text: text(condition), outcome: outcome, observed: observed(condition, row: row, kind: kind))]
        }
    }

    private func groupClauses(_ condition: Condition, scope: GroupScope, compiler: GroupCompiler) -> [GroupClauseCheck] {
        switch condition {
        case .and(let parts), .or(let parts):
            return parts.flatMap { groupClauses($0, scope: scope, compiler: compiler) }
        default:
            var ignored: [Row] = []
            return [GroupClauseCheck(text: text(condition), held: holds(condition, scope: scope, compiler: compiler),
                                     figures: aggregateFacts(condition, scope: scope, compiler: compiler, evidence: &ignored))]
        }
    }

    // MARK: Observed values

    /// The value of each field a condition on a record reads.
    func observed(_ condition: Condition, row: Int, kind: RecordKind? = nil) -> [ObservedValue] {
        let compiler = rows(kind)
        var fields: [FieldRef] = []
        collectFields(condition, into: &fields, schema: compiler.table.schema)
        return fields.map { field in
            ObservedValue(field: field.path, value: compiler.fieldValue(field)(row).map { $0.constant(pool) })
        }
    }

    private func collectFields(_ condition: Condition, into fields: inout [FieldRef], schema: RecordSchema) {
        switch condition {
        case .clause(_, let inner), .not(let inner): collectFields(inner, into: &fields, schema: schema)
        case .constant: break
        case .and(let parts), .or(let parts): for part in parts { collectFields(part, into: &fields, schema: schema) }
        case .isTrue(let o), .presence(let o, _), .text(_, let o, _): collectFields(o, into: &fields, schema: schema)
        case .compare(_, let a, let b):
            collectFields(a, into: &fields, schema: schema)
            collectFields(b, into: &fields, schema: schema)
        }
    }

    private func collectFields(_ operand: Operand, into fields: inout [FieldRef], schema: RecordSchema) {
        func stored(_ path: String) -> FieldRef? { schema.index(path: path).map { .stored(StoredField(schema.kind, $0)) } }
        switch operand {
        case .field(.derived(let derived)) where [.finished, .inFlight, .completedWithIssues, .isRestoreTest, .crossRegion, .crossAccount].contains(derived):
            // Show what the flag is derived from: the state, not "InFlight = true".
            let sources: [FieldRef] = switch derived {
            case .completedWithIssues: [schema.stateField.map { .stored(StoredField(schema.kind, $0)) }, stored("MessageCategory")].compactMap { $0 }
            case .isRestoreTest: [stored("CreatedBy.RestoreTestingPlanArn")].compactMap { $0 }
            case .crossRegion, .crossAccount: [stored("SourceBackupVaultArn"), stored("DestinationBackupVaultArn")].compactMap { $0 }
            default: [schema.stateField.map { .stored(StoredField(schema.kind, $0)) }].compactMap { $0 }
            }
            for source in sources where !fields.contains(source) { fields.append(source) }
        case .field(let field):
            if !fields.contains(field) { fields.append(field) }
        case .arithmetic(_, let a, let b, _, _):
            collectFields(a, into: &fields, schema: schema)
            collectFields(b, into: &fields, schema: schema)
        case .negate(let inner, _): collectFields(inner, into: &fields, schema: schema)
        default: break
        }
    }

    /// The figures of a group condition's aggregates (`13 of 180 jobs`), collecting the records
    /// they counted as evidence.
    func aggregateFacts(_ condition: Condition, scope: GroupScope, compiler: GroupCompiler, evidence: inout [Row]) -> [AggregateFigure] {
        var facts: [AggregateFigure] = []
        var operands: [Operand] = []
        collectAggregates(condition, into: &operands)
        let fresh = { GroupScope(rows: scope.rows, related: scope.related, aggregates: compiler.aggregateCount) }
        for operand in operands {
            switch operand {
            case .aggregate(.count(let records)):
                let keep = groups.filter(records)
                let matching = scope.rows(records.kind).map(Int.init).filter { keep?($0) ?? true }
                evidence += matching.map { (records.kind, $0) }
                facts.append(.count(matching.count, looked(records)))
            case .aggregate(.share(let records, let of)):
                let keep = groups.filter(records)
                let inScope = scope.rows(records.kind).map(Int.init).filter { keep?($0) ?? true }
                let matching = inScope.filter(groups.compiler(records.kind).predicate(of))
                evidence += matching.map { (records.kind, $0) }
                let share = inScope.isEmpty ? 0 : Double(matching.count) / Double(inScope.count)
                facts.append(.share(share: share, matching: matching.count, total: inScope.count, looked(records), condition: text(of)))
            case .aggregate(.ratio(let first, let second)):
                let keepFirst = groups.filter(first), keepSecond = groups.filter(second)
                let a = scope.rows(first.kind).map(Int.init).filter { keepFirst?($0) ?? true }
                let b = scope.rows(second.kind).count { keepSecond?(Int($0)) ?? true }
                evidence += a.map { (first.kind, $0) }
                facts.append(.ratio(a.count, b, divisor: looked(second)))
            case .aggregate(.statistic(let statistic, _, _, _, _)):
                _ = self.compiler.faults.take()
                let value = compiler.value(operand)(fresh(), -1)
                if let fault = self.compiler.faults.take() {
                    facts.append(.overflow(expression: fault.expression))
                } else {
                    facts.append(.statistic(name: statistic.rawValue, value: value.map { $0.constant(pool) }))
                }
            case .aggregate(.distinct):
                let value = compiler.value(operand)(fresh(), -1)
                facts.append(.distinct(value.map { $0.constant(pool) }))
            case .pickedJobField(let pick, let field):
                let kind = pick.records.kind
                if let chosen = compiler.pick(pick)(fresh()) {
                    evidence.append((kind, chosen))
                    let value = groups.compiler(kind).fieldValue(field)(chosen)
                    facts.append(.picked(which: pick.which.rawValue, looked(pick.records), record: self.facts(chosen, kind: kind),
                                         field: field.path, value: value.map { $0.constant(pool) }))
                } else {
                    facts.append(.nonePicked(which: pick.which.rawValue, looked(pick.records)))
                }
            default:
                break
            }
        }
        return facts
    }

    private func collectAggregates(_ condition: Condition, into operands: inout [Operand]) {
        switch condition {
        case .clause(_, let inner), .not(let inner): collectAggregates(inner, into: &operands)
        case .constant: break
        case .and(let parts), .or(let parts): for part in parts { collectAggregates(part, into: &operands) }
        case .isTrue(let o), .presence(let o, _), .text(_, let o, _): collectAggregates(o, into: &operands)
        case .compare(_, let a, let b):
            collectAggregates(a, into: &operands)
            collectAggregates(b, into: &operands)
        }
    }

    private func collectAggregates(_ operand: Operand, into operands: inout [Operand]) {
        switch operand {
        case .aggregate, .pickedJobField: operands.append(operand)
        case .arithmetic(_, let a, let b, _, _):
            collectAggregates(a, into: &operands)
            collectAggregates(b, into: &operands)
        case .negate(let inner, _): collectAggregates(inner, into: &operands)
        default: break
        }
    }

    // MARK: Jobs described

    /// The latest record among rows (of the subject kind, or of `kind`).
    private func latest(_ rows: ArraySlice<Int32>, filter: RowPredicate?, kind: RecordKind? = nil) -> Int? {
        let ordering = kind.map(self.ordering) ?? self.ordering
        var best: Int?
        for row32 in rows {
            let row = Int(row32)
            guard filter?(row) ?? true else { continue }
            if best.map({ ordering.isLater(row, than: $0) }) ?? true { best = row }
        }
        return best
    }

    /// The facts a report names a record by: kind, id, state, creation time, status message.
    func facts(_ row: Int, kind: RecordKind? = nil) -> RecordFacts {
        let table = rows(kind).table
        let message = table.schema.index(path: "StatusMessage").flatMap { table.string($0, at: row) }
        return RecordFacts(kind: table.kind, id: table.id(at: row), state: table.stateValue(at: row),
                           created: table.schema.creationField.flatMap { table.timestamp($0, at: row) }, statusMessage: message)
    }
}

