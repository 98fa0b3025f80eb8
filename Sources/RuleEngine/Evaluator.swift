public import BackupJobs
public import RuleLanguage

public struct EvaluationOptions: Sendable {
    /// Record the ids of passing subjects (for per-subject JUnit cases and verbose text).
    public var recordPasses = false
    /// A rule whose scope is empty fails instead of being reported `empty`.
    public var strict = false
    /// Kinds of records the user allows to be absent: a rule reading one without input is still
    /// not judged, but it does not fail a gate (`RuleResult.blocksGate`).
    public var absentKindsAllowed: Set<RecordKind> = []

    public init(recordPasses: Bool = false, strict: Bool = false, absentKindsAllowed: Set<RecordKind> = []) {
        self.recordPasses = recordPasses
        self.strict = strict
        self.absentKindsAllowed = absentKindsAllowed
    }
}

/// Evaluates a compiled rule set over a listing: each record rule over its kind's table, each
/// group rule over the groups of backup jobs and the records of other kinds related to them.
/// A rule reading a kind the inputs did not hold is not judged.
///
/// Rules are independent and run concurrently; results come back in the program's rule order,
/// and within a rule subjects are ordered by id, so the outcome never depends on scheduling.
public enum Evaluator {
    public static func evaluate(
        _ program: RuleProgram, listing: Listing, now: Timestamp, options: EvaluationOptions = .init()
    ) async -> Evaluation {
        let judged = program.rules.filter { rule in Self.kindsRead(by: rule).allSatisfy { listing[$0] != nil } }
        // Values compared with fields are looked for in the data while the rules run.
        async let warnings = LiteralCoverage.warnings(for: judged, in: listing)
        // Group indexes are shared by the rules that need them: build each once, up front, with
        // the rows of every related kind a rule of that key reads.
        var keys: [GroupKey] = []
        var related: [GroupKey: [RecordKind: FieldIndex]] = [:]
        for rule in judged {
            guard case .group(let key) = rule.subject else { continue }
            if !keys.contains(key) { keys.append(key) }
            for (kind, field) in rule.relations { related[key, default: [:]][kind] = field.index }
        }
        let groupTable = listing[.backupJob]
        let indexes = await withTaskGroup(of: (GroupKey, RelatedGroups).self) { group in
            for key in keys {
                guard let groupTable else { continue }
                let relations = related[key] ?? [:]
                group.addTask {
                    let index = GroupIndex.build(groupTable, by: key, now: now)
                    var byKind: [RecordKind: GroupIndex] = [:]
                    for (kind, field) in relations {
                        if let table = listing[kind] { byKind[kind] = index.related(table, by: field) }
                    }
                    return (key, RelatedGroups(groups: index, byKind: byKind))
                }
            }
            var built: [GroupKey: RelatedGroups] = [:]
            for await (key, index) in group { built[key] = index }
            return built
        }
        let results = await withTaskGroup(of: (Int, RuleResult).self) { group in
            for (position, rule) in program.rules.enumerated() {
                let waivers = program.waivers.filter { $0.rule == rule.id }
                let missing = Self.kindsRead(by: rule).filter { listing[$0] == nil }
                guard missing.isEmpty, let table = listing[rule.subject.recordKind] else {
                    group.addTask { (position, Self.notJudged(rule, missing: missing, options: options)) }
                    continue
                }
                // A kind given as an empty listing (`{"CopyJobs": []}`): what the rule finds
                // on nothing of it may fail, but never passes (`RuleRunner.emptyKinds`).
                let empty = Self.kindsRead(by: rule).filter { listing[$0]?.count == 0 }
                let index: RelatedGroups? = if case .group(let key) = rule.subject { indexes[key] } else { nil }
                var tables: [RecordKind: RecordTable] = [:]
                for kind in rule.kinds where kind != table.kind { tables[kind] = listing[kind] }
                group.addTask {
                    let runner = RuleRunner(rule: rule, table: table, related: tables, now: now, groups: index, waivers: waivers, options: options, emptyKinds: empty)
                    return (position, runner.run())
                }
            }
            var collected: [(Int, RuleResult)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var counts: [RecordKind: Int] = [:]
        for table in listing.tables { counts[table.kind] = table.count }
        return Evaluation(now: now, results: results, jobCount: listing.jobCount, recordCounts: counts, warnings: await warnings)
    }

    /// The kinds a rule reads: those the checker found, and always its subject's. A rule whose
    /// `kinds` left out the subject's kind (its default is empty) was not judged without it, yet
    /// with no kind missing, so "every missing kind allowed" held and it did not block the gate.
    static func kindsRead(by rule: CompiledRule) -> [RecordKind] {
        RecordKind.allCases.filter { $0 == rule.subject.recordKind || rule.kinds.contains($0) }
    }

    /// A rule reading kinds the inputs did not hold: not run, so neither passed nor failed.
    static func notJudged(_ rule: CompiledRule, missing: [RecordKind], options: EvaluationOptions) -> RuleResult {
        RuleResult(rule: rule, status: .notJudged, evaluated: 0, findings: [], passedSubjects: nil, fault: nil,
                   missingKinds: missing, missingKindsAllowed: missing.allSatisfy(options.absentKindsAllowed.contains),
                   staleWaivers: [])
    }
}

/// Evaluates one rule.
struct RuleRunner {
    let rule: CompiledRule
    /// The table of the rule's subject kind (backup jobs for groups).
    let table: RecordTable
    /// The tables of the other kinds the rule reads.
    let related: [RecordKind: RecordTable]
    let now: Timestamp
    let groups: RelatedGroups?
    let waivers: [CompiledWaiver]
    let options: EvaluationOptions
    /// Kinds the rule reads that the inputs held without a record: a rule that would pass is
    /// `empty` instead (`fail` when strict), judged on nothing of them; failures stand.
    var emptyKinds: [RecordKind] = []

    func run() -> RuleResult {
        let clock = ContinuousClock()
        let started = clock.now
        var result = evaluate()
        let elapsed = clock.now - started
        result.duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return result
    }

    /// A group compiler over the subject table and the related tables, sharing `faults`.
    func groupCompiler(_ rows: RowCompiler, memoizesText: Bool = true) -> GroupCompiler {
        GroupCompiler(rows: rows, related: related.mapValues { RowCompiler(table: $0, now: now, memoizesText: memoizesText, faults: rows.faults) })
    }

    private func evaluate() -> RuleResult {
        // Shared by the rule's conditions and its waivers' conditions: an overflow in either
        // leaves the rule unjudged.
        let faults = FaultRecorder()
        let compiler = RowCompiler(table: table, now: now, faults: faults)
        var outcome: Outcome
        switch rule.subject {
        case .job: outcome = runJobs(compiler)
        case .group: outcome = runGroups(compiler)
        }
        if let fault = outcome.fault { return unjudged(fault, evaluated: outcome.evaluated) }
        let explainer = Explainer(groups: groupCompiler(RowCompiler(table: table, now: now, memoizesText: false), memoizesText: false), now: now)
        var findings: [Finding] = []
        var usedWaivers = Set<Int>()
        var unrelatedKinds = Set<RecordKind>()
        let waiverMatchers = waivers.map { matcher(for: $0, compiler, unrelatedKinds: &unrelatedKinds) }
        if let kind = RecordKind.allCases.first(where: unrelatedKinds.contains) {
            return unjudged(defect(.unrelatedKind(kind)), evaluated: outcome.evaluated)
        }
        for failing in outcome.failing {
            var finding = explainer.finding(for: rule, failing)
            for (index, waiver) in waivers.enumerated() {
                let matches = waiverMatchers[index](failing)
                if let fault = faults.take() {
                    return unjudged(faultValue(fault, subject: failing.id), evaluated: outcome.evaluated)
                }
                guard matches else { continue }
                usedWaivers.insert(index)
                let expired = waiver.expires <= now
                let applied = AppliedWaiver(until: waiver.untilText, expires: waiver.expires, reason: waiver.reason, expired: expired, location: waiver.location)
                if !expired {
                    finding.status = .waived
                    finding.waiver = applied
                    break
                }
                if finding.waiver == nil { finding.waiver = applied }
            }
            findings.append(finding)
        }
        let failures = findings.count { $0.status == .fail }
        let status: RuleResult.Status =
            if failures > 0 { .fail }
            else if !findings.isEmpty { .waived }
            else if outcome.evaluated == 0 || !emptyKinds.isEmpty { options.strict ? .fail : .empty }
            else { .pass }
        return RuleResult(
            rule: rule, status: status, evaluated: outcome.evaluated, findings: findings,
            passedSubjects: options.recordPasses ? outcome.passed : nil, fault: nil,
            missingKinds: [], emptyKinds: emptyKinds, missingKindsAllowed: false, staleWaivers: waivers.indices.filter { !usedWaivers.contains($0) }.map { waivers[$0] })
    }

    /// A rule that could not be judged: an error, whatever the subjects before had shown.
    private func unjudged(_ fault: EvaluationFault, evaluated: Int) -> RuleResult {
        RuleResult(rule: rule, status: .error, evaluated: evaluated, findings: [], passedSubjects: nil,
                   fault: fault, missingKinds: [], missingKindsAllowed: false, staleWaivers: [])
    }

    /// The fault met while judging subject `id`; for a group, with the record it read, by the
    /// table of that record's kind (a related kind's row is no row of the group's table).
    private func faultValue(_ fault: FaultRecorder.Fault, subject id: String) -> EvaluationFault {
        fault.value(subject: rule.subject, id: id) { kind, row in (kind == table.kind ? table : related[kind])?.id(at: row) }
    }

    /// A defect of the engine found before any subject was judged: the rule is not judged.
    private func defect(_ cause: EvaluationFault.Cause) -> EvaluationFault {
        EvaluationFault(subjectName: rule.subject.displayName, subject: nil, cause: cause)
    }

    /// Subjects in scope and those that failed, before waivers.
    struct Outcome {
        var evaluated = 0
        var failing: [Failing] = []
        var passed: [String] = []
        /// Why judging stopped: the first value that overflowed, and where.
        var fault: EvaluationFault?
    }

    /// A subject that failed: a record's row, or a group (its rows, and its related rows by kind).
    enum Failing {
        case job(row: Int, id: String)
        case group(index: Int, id: String, rows: ArraySlice<Int32>, related: [RecordKind: ArraySlice<Int32>])

        var id: String {
            switch self {
            case .job(_, let id), .group(_, let id, _, _): id
            }
        }
    }

    // MARK: Jobs

    private func runJobs(_ compiler: RowCompiler) -> Outcome {
        var outcome = Outcome()
        let ids = table.stringColumn(table.schema.idField)
        let pool = table.strings
        var failingRows: [Int] = []
        var passedRows: [Int] = []
        let faults = compiler.faults
        switch rule.body {
        case .every(let filter, .satisfies(let condition)):
            let keep = filter.map(compiler.predicate), holds = compiler.predicate(condition)
            for row in 0..<table.count {
                let inScope = keep?(row) ?? true
                let fails = inScope && !holds(row)
                if faults.hasFault, let fault = faults.take() {
                    outcome.fault = faultValue(fault, subject: pool[ids[row]!])
                    break
                }
                guard inScope else { continue }
                outcome.evaluated += 1
                if fails { failingRows.append(row) } else if options.recordPasses { passedRows.append(row) }
            }
        case .no(let filter):
            let matches = compiler.predicate(filter)
            for row in 0..<table.count {
                let fails = matches(row)
                if faults.hasFault, let fault = faults.take() {
                    outcome.fault = faultValue(fault, subject: pool[ids[row]!])
                    break
                }
                outcome.evaluated += 1
                if fails { failingRows.append(row) } else if options.recordPasses { passedRows.append(row) }
            }
        case .every:
            // The checker admits only `satisfies` for job rules.
            break
        }
        outcome.failing = failingRows.map { Failing.job(row: $0, id: pool[ids[$0]!]) }.sorted { $0.id < $1.id }
        outcome.passed = passedRows.map { pool[ids[$0]!] }.sorted()
        return outcome
    }

    // MARK: Groups

    private func runGroups(_ compiler: RowCompiler) -> Outcome {
        // Programming errors, never judged around: no groups to judge, or a kind read whose
        // records are not related to the groups (the checker admits no such rule).
        guard let related = groups else { return Outcome(fault: defect(.noGroupIndex)) }
        if let kind = RecordKind.allCases.first(where: { self.related[$0] != nil && related.byKind[$0] == nil }) {
            return Outcome(fault: defect(.unrelatedKind(kind)))
        }
        let groups = related.groups
        let groupCompiler = self.groupCompiler(compiler)
        let inScope: ((GroupScope) -> Bool)?
        let fails: (GroupScope) -> Bool
        switch rule.body {
        case .no(let filter):
            inScope = nil
            let matches = groupCompiler.groupCondition(filter)
            fails = matches
        case .every(let filter, let assertion):
            inScope = filter.map(groupCompiler.groupCondition)
            let holds = self.assertion(assertion, groupCompiler)
            fails = { !holds($0) }
        }
        if let kind = RecordKind.allCases.first(where: groupCompiler.unrelatedKinds.contains) {
            return Outcome(fault: defect(.unrelatedKind(kind)))
        }
        var outcome = Outcome()
        let slots = groupCompiler.aggregateCount
        let faults = compiler.faults
        for index in 0..<groups.count {
            let scope = GroupScope(rows: groups.rows(of: index), related: related.scopeRows(index), aggregates: slots)
            let judged = inScope?(scope) ?? true
            let failed = judged && fails(scope)
            if faults.hasFault, let fault = faults.take() {
                outcome.fault = faultValue(fault, subject: groups.keys[index])
                break
            }
            guard judged else { continue }
            outcome.evaluated += 1
            if failed {
                outcome.failing.append(.group(index: index, id: groups.keys[index], rows: scope.rows, related: scope.related))
            } else if options.recordPasses {
                outcome.passed.append(groups.keys[index])
            }
        }
        return outcome
    }

    private func assertion(_ assertion: CompiledAssertion, _ compiler: GroupCompiler) -> (GroupScope) -> Bool {
        switch assertion {
        case .satisfies(let condition):
            return compiler.groupCondition(condition)
        case .count(let bound, let records):
            let keep = compiler.filter(records)
            return { bound.admits(GroupCompiler.count($0.rows(records.kind), keep)) }
        case .eachDay(let days, let bound, let records):
            let counter = DayCounter(table: compiler.compiler(records.kind).table, now: now, days: days, filter: compiler.filter(records))
            return { scope in counter.counts(scope.rows(records.kind)).allSatisfy(bound.admits) }
        case .latest(let records, let condition):
            let latest = LatestJobs(table: compiler.compiler(records.kind).table, filter: compiler.filter(records))
            let holds = compiler.compiler(records.kind).predicate(condition)
            return { scope in
                let chosen = latest.rows(scope.rows(records.kind))
                return !chosen.isEmpty && chosen.allSatisfy(holds)
            }
        }
    }

    // MARK: Waivers

    /// A waiver's test of a failing subject; kinds its condition read that are not related to
    /// the rule's groups go to `unrelatedKinds` (the rule is then not judged).
    private func matcher(for waiver: CompiledWaiver, _ compiler: RowCompiler, unrelatedKinds: inout Set<RecordKind>) -> (Failing) -> Bool {
        switch waiver.target {
        case .subjects(let ids):
            let set = Set(ids)
            return { set.contains($0.id) }
        case .matching(let condition):
            switch rule.subject {
            case .job:
                let matches = compiler.predicate(condition)
                return { if case .job(let row, _) = $0 { matches(row) } else { false } }
            case .group:
                let groupCompiler = self.groupCompiler(compiler)
                let matches = groupCompiler.groupCondition(condition)
                let slots = groupCompiler.aggregateCount
                unrelatedKinds.formUnion(groupCompiler.unrelatedKinds)
                return { failing in
                    guard case .group(_, _, let rows, let related) = failing else { return false }
                    return matches(GroupScope(rows: rows, related: related, aggregates: slots))
                }
            }
        }
    }
}

/// Jobs per UTC calendar day for `in each of the last N days`: the N days before the day of
/// `now`, counted by CreationDate.
struct DayCounter {
    static let day = DurationUnit.day.milliseconds
    let created: RecordTable.Column<Int64>
    let filter: RowPredicate?
    /// Midnight UTC starting the first counted day, and the number of days.
    let start: Int64
    let days: Int

    init(table: RecordTable, now: Timestamp, days: Int, filter: RowPredicate?) {
        created = table.timestampColumn(table.schema.creationField)
        self.filter = filter
        self.days = days
        // `now` lies in the years 0001–9999 and the checker bounds `days` (3660): no overflow.
        let today = now.millisecondsSinceEpoch.floorDividedByDay() * Self.day
        start = today - Int64(days) * Self.day
    }

    /// The first day counted, as midnight UTC.
    func dayStart(_ index: Int) -> Int64 { start + Int64(index) * Self.day }

    func counts(_ rows: ArraySlice<Int32>) -> [Int] {
        var counts = [Int](repeating: 0, count: days)
        for row32 in rows {
            let row = Int(row32)
            guard let t = created[row], t >= start, filter?(row) ?? true else { continue }
            let index = Int((t - start) / Self.day)
            if index < days { counts[index] += 1 }
        }
        return counts
    }
}

extension Int64 {
    /// Days since the epoch, rounding toward the past.
    func floorDividedByDay() -> Int64 {
        let (q, r) = quotientAndRemainder(dividingBy: DayCounter.day)
        return r < 0 ? q - 1 : q
    }
}

/// The jobs sharing the latest CreationDate among those matching a filter.
struct LatestJobs {
    let created: RecordTable.Column<Int64>
    let filter: RowPredicate?

    init(table: RecordTable, filter: RowPredicate?) {
        created = table.timestampColumn(table.schema.creationField)
        self.filter = filter
    }

    func rows(_ rows: ArraySlice<Int32>) -> [Int] {
        var latest = Int64.min
        var chosen: [Int] = []
        for row32 in rows {
            let row = Int(row32)
            guard let t = created[row], filter?(row) ?? true else { continue }
            if t > latest {
                latest = t
                chosen = [row]
            } else if t == latest {
                chosen.append(row)
            }
        }
        return chosen
    }
}
