import BackupJobs
import RuleLanguage

/// Says why a subject failed: the clauses of the condition with whether each held and the
/// values seen, the nearest candidate job, the figures of aggregates. Runs only for failures,
/// so its cost follows the number of findings, not of jobs.
struct Explainer {
    let table: RecordTable
    let compiler: RowCompiler
    let now: Timestamp
    let pool: StringPool
    let ordering: JobOrdering
    static let evidenceLimit = 50

    init(table: RecordTable, compiler: RowCompiler, now: Timestamp) {
        self.table = table
        self.compiler = compiler
        self.now = now
        pool = table.strings
        ordering = JobOrdering(table: table)
    }

    func finding(for rule: CompiledRule, _ failing: RuleRunner.Failing) -> Finding {
        switch failing {
        case .job(let row, let id):
            return jobFinding(rule, row: row, id: id)
        case .group(_, let id, let rows):
            return groupFinding(rule, rows: rows, id: id)
        }
    }

    // MARK: Jobs

    private func jobFinding(_ rule: CompiledRule, row: Int, id: String) -> Finding {
        var message: String
        var lines = ["job \(id)"]
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
                       evidence: [id], waiver: nil)
    }

    // MARK: Groups

    private func groupFinding(_ rule: CompiledRule, rows: ArraySlice<Int32>, id: String) -> Finding {
        let kind = rule.subject.displayName
        var lines = ["\(kind) \(id): \(rows.count) job\(rows.count == 1 ? "" : "s")"]
        var message: String
        var evidence: [Int] = []
        let groupCompiler = GroupCompiler(rows: compiler)
        let latestJob = latest(rows, filter: nil)
        switch rule.body {
        case .no(let filter):
            message = "matches \(text(filter))" + aggregateFacts(filter, rows: rows, compiler: groupCompiler, evidence: &evidence).parenthesized
            lines += groupClauseLines(filter, rows: rows, compiler: groupCompiler)
        case .every(let filter, let assertion):
            if let filter { lines.append("in scope: \(text(filter))") }
            switch assertion {
            case .satisfies(let condition):
                let failing = failingGroupClauses(condition, rows: rows, compiler: groupCompiler)
                message = failing.map(text).joined(separator: "; ") + " does not hold"
                    + aggregateFacts(.and(failing), rows: rows, compiler: groupCompiler, evidence: &evidence).parenthesized
                lines += groupClauseLines(condition, rows: rows, compiler: groupCompiler)
            case .count(let bound, let filter):
                let keep = filter.map(compiler.predicate)
                let matching = rows.map(Int.init).filter { keep?($0) ?? true }
                evidence = matching
                let condition = filter.map { " where \(text($0))" } ?? ""
                message = Self.countMessage(bound, matching.count, condition)
                lines.append("\(matching.count) \(matching.count == 1 ? "job" : "jobs")\(condition); \(Self.boundText(bound))")
                if let filter, let candidate = latestJob {
                    lines.append("nearest candidate, the latest job:")
                    lines += clauseLines(filter, row: candidate).map { "  " + $0 }
                }
            case .eachDay(let days, let bound, let filter):
                let counter = DayCounter(table: table, now: now, days: days, filter: filter.map(compiler.predicate))
                let counts = counter.counts(rows)
                let missing = counts.indices.filter { !bound.admits(counts[$0]) }
                let dates = missing.map { Timestamp(millisecondsSinceEpoch: counter.dayStart($0)).iso8601.prefix(10) }
                let what = filter.map { "job where \(text($0))" } ?? "job"
                message = (bound == .atLeast(1) ? "no \(what)" : "\(Self.boundText(bound)) \(what)s not met")
                    + " on \(dates.joined(separator: ", ")) (\(missing.count) of the last \(days) days)"
                for (index, count) in counts.enumerated() {
                    lines.append("\(Timestamp(millisecondsSinceEpoch: counter.dayStart(index)).iso8601.prefix(10)): \(count) \(count == 1 ? "job" : "jobs")\(bound.admits(count) ? "" : "  ✗")")
                }
                let keep = filter.map(compiler.predicate)
                evidence = rows.map(Int.init).filter { row in
                    (keep?(row) ?? true) && (ordering.created[row].map { $0 >= counter.start } ?? false)
                }
            case .latest(let filter, let condition):
                let chosen = LatestJobs(table: table, filter: filter.map(compiler.predicate)).rows(rows)
                let what = filter.map { "job where \(text($0))" } ?? "job"
                if chosen.isEmpty {
                    message = "no \(what)"
                } else {
                    let failing = chosen.filter { !compiler.predicate(condition)($0) }
                    let row = failing.first ?? chosen[0]
                    message = "latest \(what), \(describeJob(row, short: true)), does not satisfy \(text(condition))"
                        + observed(condition, row: row).parenthesized
                    for row in chosen {
                        lines.append("latest \(what): \(describeJob(row))")
                        lines += clauseLines(condition, row: row).map { "  " + $0 }
                    }
                }
                evidence = chosen
            }
        }
        if let latestJob {
            // For "has job" rules the latest job is the nearest candidate: say what it was.
            switch rule.body {
            case .every(_, .count), .every(_, .eachDay):
                message += "; latest job \(describeJob(latestJob, short: true))"
            default:
                break
            }
            lines.append("latest job: \(describeJob(latestJob))")
            if evidence.isEmpty { evidence = [latestJob] }
        }
        let ids = table.stringColumn(table.schema.idField)
        let evidenceIDs = evidence.sorted { ordering.isLater($0, than: $1) }.prefix(Self.evidenceLimit).map { pool[ids[$0]!] }
        if evidence.count > Self.evidenceLimit { lines.append("evidence: the latest \(Self.evidenceLimit) of \(evidence.count) jobs") }
        return Finding(subject: id, status: .fail, message: message, explanation: lines.joined(separator: "\n"),
                       evidence: evidenceIDs, waiver: nil)
    }

    static func boundText(_ bound: CountBound) -> String {
        switch bound {
        case .atLeast(let n): "needs at least \(n)"
        case .atMost(let n): "allows at most \(n)"
        case .exactly(let n): "needs exactly \(n)"
        }
    }

    /// `no job where C`, `5 jobs where C; needs at least 7`.
    static func countMessage(_ bound: CountBound, _ count: Int, _ condition: String) -> String {
        let jobs = count == 1 ? "job" : "jobs"
        return switch bound {
        case .atLeast(1): "no job\(condition)"
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

    private func failingGroupClauses(_ condition: Condition, rows: ArraySlice<Int32>, compiler: GroupCompiler) -> [Condition] {
        if case .and(let parts) = condition {
            let failing = parts.filter { !holds($0, rows: rows, compiler: compiler) }
            return failing.isEmpty ? [condition] : failing
        }
        return [condition]
    }

    private func holds(_ condition: Condition, rows: ArraySlice<Int32>, compiler: GroupCompiler) -> Bool {
        let test = compiler.groupCondition(condition)
        return test(GroupScope(rows: rows, aggregates: compiler.aggregateCount))
    }

    /// One line per clause: ✓ or ✗, the text, the values it read.
    func clauseLines(_ condition: Condition, row: Int, depth: Int = 0) -> [String] {
        let indent = String(repeating: "  ", count: depth)
        switch condition {
        case .and(let parts), .or(let parts):
            return parts.flatMap { clauseLines($0, row: row, depth: depth) }
        default:
            _ = compiler.faults.take()
            let held = compiler.predicate(condition)(row)
            // A clause the verdict did not need (after a false `and` part) may not be computable.
            if let fault = compiler.faults.take() {
                return ["\(indent)! \(text(condition)): \(fault.expression) overflows" + observed(condition, row: row).parenthesized]
            }
            return ["\(indent)\(held ? "✓" : "✗") \(text(condition))" + observed(condition, row: row).parenthesized]
        }
    }

    private func groupClauseLines(_ condition: Condition, rows: ArraySlice<Int32>, compiler: GroupCompiler) -> [String] {
        switch condition {
        case .and(let parts), .or(let parts):
            return parts.flatMap { groupClauseLines($0, rows: rows, compiler: compiler) }
        default:
            var ignored: [Int] = []
            let held = holds(condition, rows: rows, compiler: compiler)
            return ["\(held ? "✓" : "✗") \(text(condition))" + aggregateFacts(condition, rows: rows, compiler: compiler, evidence: &ignored).parenthesized]
        }
    }

    // MARK: Observed values

    /// `Field = value` for each field a job condition reads.
    func observed(_ condition: Condition, row: Int) -> [String] {
        var fields: [FieldRef] = []
        collectFields(condition, into: &fields)
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

    private func collectFields(_ condition: Condition, into fields: inout [FieldRef]) {
        switch condition {
        case .clause(_, let inner), .not(let inner): collectFields(inner, into: &fields)
        case .constant: break
        case .and(let parts), .or(let parts): for part in parts { collectFields(part, into: &fields) }
        case .isTrue(let o), .presence(let o, _), .text(_, let o, _): collectFields(o, into: &fields)
        case .compare(_, let a, let b):
            collectFields(a, into: &fields)
            collectFields(b, into: &fields)
        }
    }

    private func collectFields(_ operand: Operand, into fields: inout [FieldRef]) {
        switch operand {
        case .field(.derived(let derived)) where derived == .finished || derived == .inFlight || derived == .completedWithIssues:
            // Show what the flag is derived from: the state, not "InFlight = true".
            let sources: [FieldRef] = derived == .completedWithIssues ? [.stored(.state), .stored(.messageCategory)] : [.stored(.state)]
            for source in sources where !fields.contains(source) { fields.append(source) }
        case .field(let field):
            if !fields.contains(field) { fields.append(field) }
        case .arithmetic(_, let a, let b, _, _):
            collectFields(a, into: &fields)
            collectFields(b, into: &fields)
        case .negate(let inner, _): collectFields(inner, into: &fields)
        default: break
        }
    }

    /// The figures of a group condition's aggregates (`13 of 180 jobs = 7.2%`), collecting the
    /// jobs they counted as evidence.
    func aggregateFacts(_ condition: Condition, rows: ArraySlice<Int32>, compiler: GroupCompiler, evidence: inout [Int]) -> [String] {
        var facts: [String] = []
        var operands: [Operand] = []
        collectAggregates(condition, into: &operands)
        for operand in operands {
            switch operand {
            case .aggregate(.count(let filter)):
                let keep = filter.map(self.compiler.predicate)
                let matching = rows.map(Int.init).filter { keep?($0) ?? true }
                evidence += matching
                facts.append("count = \(matching.count)" + (filter.map { " (jobs where \(text($0)))" } ?? ""))
            case .aggregate(.share(let filter, let of)):
                let keep = filter.map(self.compiler.predicate)
                let inScope = rows.map(Int.init).filter { keep?($0) ?? true }
                let matching = inScope.filter(self.compiler.predicate(of))
                evidence += matching
                let share = inScope.isEmpty ? 0 : Double(matching.count) / Double(inScope.count)
                facts.append("share = \(Percentages.describe(share)): \(matching.count) of \(inScope.count) jobs\(filter.map { " where \(text($0))" } ?? "") satisfy \(text(of))")
            case .aggregate(.ratio(let first, let second)):
                let keepFirst = first.map(self.compiler.predicate), keepSecond = second.map(self.compiler.predicate)
                let a = rows.map(Int.init).filter { keepFirst?($0) ?? true }
                let b = rows.count { keepSecond?(Int($0)) ?? true }
                evidence += a
                facts.append("ratio = \(a.count) / \(b)" + (b == 0 ? " (no jobs to divide by)" : " = \(Percentages.describe(Double(a.count) / Double(b)))"))
            case .aggregate(.statistic(let statistic, _, _, _, _)):
                _ = self.compiler.faults.take()
                let value = compiler.value(operand)(GroupScope(rows: rows, aggregates: compiler.aggregateCount), -1)
                if let fault = self.compiler.faults.take() {
                    facts.append("\(fault.expression) overflows")
                } else {
                    facts.append("\(statistic.rawValue) = \(value.map { $0.display(pool) } ?? "none (no values)")")
                }
            case .aggregate(.distinct):
                let value = compiler.value(operand)(GroupScope(rows: rows, aggregates: compiler.aggregateCount), -1)
                facts.append("distinct = \(value.map { $0.display(pool) } ?? "0")")
            case .pickedJobField(let pick, let field):
                let chosen = compiler.pick(pick)(GroupScope(rows: rows, aggregates: compiler.aggregateCount))
                if let chosen {
                    evidence.append(chosen)
                    let value = self.compiler.fieldValue(field)(chosen)
                    facts.append("\(pick.which.rawValue) job \(describeJob(chosen, short: true)): \(field.path) = \(value.map { $0.display(pool) } ?? "missing")")
                } else {
                    facts.append("no \(pick.which.rawValue) job" + (pick.filter.map { " where \(text($0))" } ?? ""))
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

    private func latest(_ rows: ArraySlice<Int32>, filter: RowPredicate?) -> Int? {
        var best: Int?
        for row32 in rows {
            let row = Int(row32)
            guard filter?(row) ?? true else { continue }
            if best.map({ ordering.isLater(row, than: $0) }) ?? true { best = row }
        }
        return best
    }

    /// `3F2E8A41… FAILED at 2026-11-27T03:10:00.000Z (32h ago): "Access denied…"`; the full
    /// form names the whole id and the status message uncut.
    func describeJob(_ row: Int, short: Bool = false) -> String {
        let id = pool[table.stringColumn(table.schema.idField)[row]!]
        var text = short && id.count > 12 ? String(id.prefix(8)) + "…" : id
        if let state = table.stateValue(at: row) { text += " \(state)" }
        if let created = table.timestamp(table.schema.creationField, at: row) {
            text += " at \(created.iso8601)"
            let age = now.millisecondsSinceEpoch - created.millisecondsSinceEpoch
            if age >= 0 { text += " (\(DurationUnit.readable(age)) ago)" }
        }
        if let status = table.string(BackupJobField.statusMessage, at: row), !status.isEmpty {
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
