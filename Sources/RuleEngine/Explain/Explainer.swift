import BackupJobs
import RuleLanguage

/// Says why a subject failed: the clauses of the condition with whether each held and the
/// values seen, the nearest candidate job, the figures of aggregates. Runs only for failures,
/// so its cost follows the number of findings, not of jobs.
struct Explainer {
    let table: RecordTable
    let compiler: RowCompiler
    /// The subject table's compiler with those of the related kinds.
    let groups: GroupCompiler
    let now: Timestamp
    let pool: StringPool
    let ordering: JobOrdering
    static let evidenceLimit = 50

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
        var message: String
        var lines = ["\(rule.subject.displayName) \(id)"]
        switch rule.body {
        case .no(let filter):
            message = "matches \(text(filter))" + observed(filter, row: row).parenthesized
            lines += clauseLines(filter, row: row)
        case .every(let filter, .satisfies(let condition)):
            let failing = failingClauses(condition, row: row)
            message = failing.map(text).joined(separator: "; ") + " does not hold" + observed(.and(failing), row: row).parenthesized
            if let filter { lines.append("in scope: \(text(filter))") }
            lines += clauseLines(condition, row: row)
        case .every:
            message = "does not hold"
        }
        lines.append(describeJob(row))
        return Finding(subject: id, status: .fail, message: message, explanation: lines.joined(separator: "\n"),
                       evidence: [EvidenceRecord(table.kind, id)], waiver: nil)
    }

    // MARK: Groups

    private func groupFinding(_ rule: CompiledRule, scope: GroupScope, id: String) -> Finding {
        let rows = scope.rows
        let kind = rule.subject.displayName
        var lines = ["\(kind) \(id): \(rows.count) job\(rows.count == 1 ? "" : "s")"
            + scope.related.keys.sorted { $0.rawValue < $1.rawValue }.map { ", \(scope.rows($0).count) \(scope.rows($0).count == 1 ? $0.noun : $0.pluralNoun)" }.joined()]
        var message: String
        var evidence: [Row] = []
        let groupCompiler = groups
        let latestJob = latest(rows, filter: nil)
        switch rule.body {
        case .no(let filter):
            message = "matches \(text(filter))" + aggregateFacts(filter, scope: scope, compiler: groupCompiler, evidence: &evidence).parenthesized
            lines += groupClauseLines(filter, scope: scope, compiler: groupCompiler)
        case .every(let filter, let assertion):
            if let filter { lines.append("in scope: \(text(filter))") }
            switch assertion {
            case .satisfies(let condition):
                let failing = failingGroupClauses(condition, scope: scope, compiler: groupCompiler)
                message = failing.map(text).joined(separator: "; ") + " does not hold"
                    + aggregateFacts(.and(failing), scope: scope, compiler: groupCompiler, evidence: &evidence).parenthesized
                lines += groupClauseLines(condition, scope: scope, compiler: groupCompiler)
            case .count(let bound, let records):
                let rowsOfKind = scope.rows(records.kind)
                let keep = groups.filter(records)
                let matching = rowsOfKind.map(Int.init).filter { keep?($0) ?? true }
                evidence = matching.map { (records.kind, $0) }
                let condition = records.filter.map { " where \(text($0))" } ?? ""
                message = Self.countMessage(bound, matching.count, condition, records)
                lines.append("\(matching.count) \(matching.count == 1 ? records.noun : records.pluralNoun)\(condition); \(Self.boundText(bound))")
                if let filter = records.filter, let candidate = latest(rowsOfKind, filter: nil, kind: records.kind) {
                    lines.append("nearest candidate, the latest \(records.noun):")
                    lines += clauseLines(filter, row: candidate, kind: records.kind).map { "  " + $0 }
                }
            case .eachDay(let days, let bound, let records):
                let kindTable = groups.compiler(records.kind).table
                let counter = DayCounter(table: kindTable, now: now, days: days, filter: groups.filter(records))
                let counts = counter.counts(scope.rows(records.kind))
                let missing = counts.indices.filter { !bound.admits(counts[$0]) }
                let dates = missing.map { Timestamp(millisecondsSinceEpoch: counter.dayStart($0)).iso8601.prefix(10) }
                let what = records.filter.map { "\(records.noun) where \(text($0))" } ?? records.noun
                message = (bound == .atLeast(1) ? "no \(what)" : "\(Self.boundText(bound)) \(what)s not met")
                    + " on \(dates.joined(separator: ", ")) (\(missing.count) of the last \(days) days)"
                for (index, count) in counts.enumerated() {
                    lines.append("\(Timestamp(millisecondsSinceEpoch: counter.dayStart(index)).iso8601.prefix(10)): \(count) \(count == 1 ? records.noun : records.pluralNoun)\(bound.admits(count) ? "" : "  ✗")")
                }
                let keep = groups.filter(records)
                let created = kindTable.timestampColumn(kindTable.schema.creationField)
                evidence = scope.rows(records.kind).map(Int.init).filter { row in
                    (keep?(row) ?? true) && (created[row].map { $0 >= counter.start } ?? false)
                }.map { (records.kind, $0) }
            case .latest(let records, let condition):
                let kindCompiler = groups.compiler(records.kind)
                let chosen = LatestJobs(table: kindCompiler.table, filter: groups.filter(records)).rows(scope.rows(records.kind))
                let what = records.filter.map { "\(records.noun) where \(text($0))" } ?? records.noun
                if chosen.isEmpty {
                    message = "no \(what)"
                } else {
                    let failing = chosen.filter { !kindCompiler.predicate(condition)($0) }
                    let row = failing.first ?? chosen[0]
                    message = "latest \(what), \(describeJob(row, short: true, kind: records.kind)), does not satisfy \(text(condition))"
                        + observed(condition, row: row, kind: records.kind).parenthesized
                    for row in chosen {
                        lines.append("latest \(what): \(describeJob(row, kind: records.kind))")
                        lines += clauseLines(condition, row: row, kind: records.kind).map { "  " + $0 }
                    }
                }
                evidence = chosen.map { (records.kind, $0) }
            }
        }
        if let latestJob {
            // For "has job" rules the latest job is the nearest candidate: say what it was.
            switch rule.body {
            case .every(_, .count(_, let records)) where records.kind == table.kind, .every(_, .eachDay(_, _, let records)) where records.kind == table.kind:
                message += "; latest job \(describeJob(latestJob, short: true))"
            default:
                break
            }
            lines.append("latest job: \(describeJob(latestJob))")
            if evidence.isEmpty { evidence = [(table.kind, latestJob)] }
        }
        let sorted = evidence.sorted { a, b in
            a.kind != b.kind ? RecordKind.allCases.firstIndex(of: a.kind)! < RecordKind.allCases.firstIndex(of: b.kind)!
                : ordering(a.kind).isLater(a.row, than: b.row)
        }
        let evidenceRecords = sorted.prefix(Self.evidenceLimit).map { EvidenceRecord($0.kind, recordID($0.row, $0.kind)) }
        if evidence.count > Self.evidenceLimit { lines.append("evidence: the latest \(Self.evidenceLimit) of \(evidence.count) jobs") }
        return Finding(subject: id, status: .fail, message: message, explanation: lines.joined(separator: "\n"),
                       evidence: evidenceRecords, waiver: nil)
    }

    /// The ordering of a kind's records (latest first).
    private func ordering(_ kind: RecordKind) -> JobOrdering {
        kind == table.kind ? ordering : JobOrdering(table: groups.compiler(kind).table)
    }

    private func recordID(_ row: Int, _ kind: RecordKind) -> String {
        let kindTable = groups.compiler(kind).table
        return kindTable.id(at: row)
    }

    static func boundText(_ bound: CountBound) -> String {
        switch bound {
        case .atLeast(let n): "needs at least \(n)"
        case .atMost(let n): "allows at most \(n)"
        case .exactly(let n): "needs exactly \(n)"
        }
    }

    /// `no job where C`, `5 jobs where C; needs at least 7`, `no copy job where C`.
    static func countMessage(_ bound: CountBound, _ count: Int, _ condition: String, _ records: RecordSelection) -> String {
        let jobs = count == 1 ? records.noun : records.pluralNoun
        return switch bound {
        case .atLeast(1): "no \(records.noun)\(condition)"
        case .exactly(0): "\(count) \(jobs)\(condition), none allowed"
        default: "\(count) \(jobs)\(condition); \(boundText(bound))"
        }
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

    /// One line per clause: ✓ or ✗, the text, the values it read.
    func clauseLines(_ condition: Condition, row: Int, depth: Int = 0, kind: RecordKind? = nil) -> [String] {
        let indent = String(repeating: "  ", count: depth)
        let compiler = rows(kind)
        switch condition {
        case .and(let parts), .or(let parts):
            return parts.flatMap { clauseLines($0, row: row, depth: depth, kind: kind) }
        default:
            _ = compiler.faults.take()
            let held = compiler.predicate(condition)(row)
            // A clause the verdict did not need (after a false `and` part) may not be computable.
            if let fault = compiler.faults.take() {
                return ["\(indent)! \(text(condition)): \(fault.expression) overflows" + observed(condition, row: row, kind: kind).parenthesized]
            }
            return ["\(indent)\(held ? "✓" : "✗") \(text(condition))" + observed(condition, row: row, kind: kind).parenthesized]
        }
    }

    private func groupClauseLines(_ condition: Condition, scope: GroupScope, compiler: GroupCompiler) -> [String] {
        switch condition {
        case .and(let parts), .or(let parts):
            return parts.flatMap { groupClauseLines($0, scope: scope, compiler: compiler) }
        default:
            var ignored: [Row] = []
            let held = holds(condition, scope: scope, compiler: compiler)
            return ["\(held ? "✓" : "✗") \(text(condition))" + aggregateFacts(condition, scope: scope, compiler: compiler, evidence: &ignored).parenthesized]
        }
    }

    // MARK: Observed values

    /// `Field = value` for each field a condition on a record reads.
    func observed(_ condition: Condition, row: Int, kind: RecordKind? = nil) -> [String] {
        let compiler = rows(kind)
        var fields: [FieldRef] = []
        collectFields(condition, into: &fields, schema: compiler.table.schema)
        return fields.map { field in
            guard let value = compiler.fieldValue(field)(row) else { return "\(field.path) is missing" }
            return "\(field.path) = \(value.display(pool))" + age(field, value)
        }
    }

    private func age(_ field: FieldRef, _ value: Value) -> String {
        guard case .timestamp(let t) = value else { return "" }
        let difference = now.millisecondsSinceEpoch - t
        return difference >= 0 ? ", \(DurationUnit.readable(difference)) ago" : ", in \(DurationUnit.readable(-difference))"
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
            case .completedWithIssues: [.stored(StoredField(schema.kind, schema.stateField))] + [stored("MessageCategory")].compactMap { $0 }
            case .isRestoreTest: [stored("CreatedBy.RestoreTestingPlanArn")].compactMap { $0 }
            case .crossRegion, .crossAccount: [stored("SourceBackupVaultArn"), stored("DestinationBackupVaultArn")].compactMap { $0 }
            default: [.stored(StoredField(schema.kind, schema.stateField))]
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

    /// The figures of a group condition's aggregates (`13 of 180 jobs = 7.2%`), collecting the
    /// records they counted as evidence.
    func aggregateFacts(_ condition: Condition, scope: GroupScope, compiler: GroupCompiler, evidence: inout [Row]) -> [String] {
        var facts: [String] = []
        var operands: [Operand] = []
        collectAggregates(condition, into: &operands)
        let fresh = { GroupScope(rows: scope.rows, related: scope.related, aggregates: compiler.aggregateCount) }
        for operand in operands {
            switch operand {
            case .aggregate(.count(let records)):
                let keep = groups.filter(records)
                let matching = scope.rows(records.kind).map(Int.init).filter { keep?($0) ?? true }
                evidence += matching.map { (records.kind, $0) }
                facts.append("count = \(matching.count)" + (records.filter.map { " (\(records.pluralNoun) where \(text($0)))" } ?? (records.kind == table.kind ? "" : " (\(records.pluralNoun))")))
            case .aggregate(.share(let records, let of)):
                let keep = groups.filter(records)
                let inScope = scope.rows(records.kind).map(Int.init).filter { keep?($0) ?? true }
                let matching = inScope.filter(groups.compiler(records.kind).predicate(of))
                evidence += matching.map { (records.kind, $0) }
                let share = inScope.isEmpty ? 0 : Double(matching.count) / Double(inScope.count)
                facts.append("share = \(Percentages.describe(share)): \(matching.count) of \(inScope.count) \(records.pluralNoun)\(records.filter.map { " where \(text($0))" } ?? "") satisfy \(text(of))")
            case .aggregate(.ratio(let first, let second)):
                let keepFirst = groups.filter(first), keepSecond = groups.filter(second)
                let a = scope.rows(first.kind).map(Int.init).filter { keepFirst?($0) ?? true }
                let b = scope.rows(second.kind).count { keepSecond?(Int($0)) ?? true }
                evidence += a.map { (first.kind, $0) }
                facts.append("ratio = \(a.count) / \(b)" + (b == 0 ? " (no \(second.pluralNoun) to divide by)" : " = \(Percentages.describe(Double(a.count) / Double(b)))"))
            case .aggregate(.statistic(let statistic, _, _, _, _)):
                _ = self.compiler.faults.take()
                let value = compiler.value(operand)(fresh(), -1)
                if let fault = self.compiler.faults.take() {
                    facts.append("\(fault.expression) overflows")
                } else {
                    facts.append("\(statistic.rawValue) = \(value.map { $0.display(pool) } ?? "none (no values)")")
                }
            case .aggregate(.distinct):
                let value = compiler.value(operand)(fresh(), -1)
                facts.append("distinct = \(value.map { $0.display(pool) } ?? "0")")
            case .pickedJobField(let pick, let field):
                let kind = pick.records.kind
                let chosen = compiler.pick(pick)(fresh())
                if let chosen {
                    evidence.append((kind, chosen))
                    let value = groups.compiler(kind).fieldValue(field)(chosen)
                    facts.append("\(pick.which.rawValue) \(pick.records.noun) \(describeJob(chosen, short: true, kind: kind)): \(field.path) = \(value.map { $0.display(pool) } ?? "missing")")
                } else {
                    facts.append("no \(pick.which.rawValue) \(pick.records.noun)" + (pick.records.filter.map { " where \(text($0))" } ?? ""))
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

    /// `3F2E8A41… FAILED at 2026-11-27T03:10:00.000Z (32h ago): "Access denied…"`; the full
    /// form names the whole id and the status message uncut. A record of another kind than the
    /// subject's is named with its kind (`copy job 7C1E… COMPLETED at …`).
    func describeJob(_ row: Int, short: Bool = false, kind: RecordKind? = nil) -> String {
        let table = rows(kind).table
        let id = table.id(at: row)
        var text = short && id.count > 12 ? String(id.prefix(8)) + "…" : id
        if let kind, kind != self.table.kind { text = "\(kind.noun) " + text }
        if let state = table.stateValue(at: row) { text += " \(state)" }
        if let created = table.timestamp(table.schema.creationField, at: row) {
            text += " at \(created.iso8601)"
            let age = now.millisecondsSinceEpoch - created.millisecondsSinceEpoch
            if age >= 0 { text += " (\(DurationUnit.readable(age)) ago)" }
        }
        if let field = table.schema.index(path: "StatusMessage"), let status = table.string(field, at: row), !status.isEmpty {
            let shown = short && status.count > 60 ? String(status.prefix(60)) + "…" : status
            text += ": " + StringLiteral.quoted(shown)
        }
        return text
    }
}

extension [String] {
    /// ` (a, b)` or nothing.
    var parenthesized: String { isEmpty ? "" : " (" + joined(separator: ", ") + ")" }
}
