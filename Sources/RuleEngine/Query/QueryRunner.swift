public import BackupJobs
public import RuleLanguage

/// What a query found: one row per matching subject, one cell per column (nil when the value is
/// missing for that subject).
public struct QueryResult: Sendable {
    public var columns: [String]
    public var rows: [[Constant?]]
    /// Subjects matching, before `limit`.
    public var matched: Int
    /// Subjects the query looked at.
    public var examined: Int
    /// Values the query compares fields with that match no job.
    public var warnings: [EvaluationWarning] = []
    /// Why the query could not be answered: a value overflowed (which, for which subject), or
    /// the inputs hold none of these kinds it reads. The rows are then empty.
    public var fault: EvaluationFault?
    public var missingKinds: [RecordKind] = []

    /// Whether the query could be answered.
    public var isAnswered: Bool { fault == nil && missingKinds.isEmpty }
}

/// How to order and cut a query's rows.
public struct QueryOrder: Sendable {
    /// Column indexes to sort by, in order of precedence.
    public var keys: [(column: Int, descending: Bool)]
    public var limit: Int?

    public init(keys: [(column: Int, descending: Bool)] = [], limit: Int? = nil) {
        self.keys = keys
        self.limit = limit
    }
}

/// Runs compiled queries over a job table, with the evaluator's compilers: a query's condition
/// means exactly what it means in a rule.
public enum QueryRunner {
    /// The column names a query shows: for groups, the group's key first.
    public static func columnNames(_ query: CompiledQuery) -> [String] {
        switch query.subject {
        case .job: query.columns.map(\.name)
        case .group(let key): [keyColumnName(key)] + query.columns.map(\.name)
        }
    }

    static func keyColumnName(_ key: GroupKey) -> String {
        switch key {
        case .field(let field): field.path
        default: key.displayName
        }
    }

    /// Without sort keys, records come newest first (then by id), groups by their key. A query
    /// of a kind the listing does not hold, or relating its groups to one, has nothing to
    /// answer from: `missingKinds` says which.
    public static func run(_ query: CompiledQuery, listing: Listing, now: Timestamp, order: QueryOrder = .init()) -> QueryResult {
        let names = columnNames(query)
        // The subject's kind always, whatever `kinds` says.
        let missing = RecordKind.allCases.filter { ($0 == query.subject.recordKind || query.kinds.contains($0)) && listing[$0] == nil }
        guard missing.isEmpty, let table = listing[query.subject.recordKind] else {
            return QueryResult(columns: names, rows: [], matched: 0, examined: 0, missingKinds: missing)
        }
        let faults = FaultRecorder()
        let compiler = RowCompiler(table: table, now: now, faults: faults)
        var rows: [[Constant?]] = []
        var examined = 0
        func unanswered(_ fault: FaultRecorder.Fault, subject: String) -> QueryResult {
            QueryResult(columns: names, rows: [], matched: 0, examined: examined,
                        fault: fault.value(subject: query.subject, id: subject) { kind, row in listing[kind]?.id(at: row) })
        }
        switch query.subject {
        case .job:
            let keep = query.filter.map(compiler.predicate)
            let cells = query.columns.map { column -> (Int) -> Constant? in
                switch column.value {
                case .operand(let operand):
                    let value = compiler.value(operand)
                    return { value($0).map { $0.constant(table.strings) } }
                case .condition(let condition):
                    let holds = compiler.predicate(condition)
                    return { .boolean(holds($0)) }
                }
            }
            examined = table.count
            let ids = table.stringColumn(table.schema.idField)
            var matching: [Int] = []
            for row in 0..<table.count {
                let kept = keep?(row) ?? true
                if faults.hasFault, let fault = faults.take() { return unanswered(fault, subject: table.strings[ids[row]!]) }
                if kept { matching.append(row) }
            }
            if order.keys.isEmpty {
                let created = table.schema.creationField.map { compiler.value(.field(.stored(StoredField(table.kind, $0)))) }
                matching.sort { a, b in
                    let x = created?(a)?.exactInteger ?? .min, y = created?(b)?.exactInteger ?? .min
                    return x != y ? x > y : table.strings[ids[a]!] < table.strings[ids[b]!]
                }
            }
            for row in matching {
                rows.append(cells.map { $0(row) })
                if faults.hasFault, let fault = faults.take() { return unanswered(fault, subject: table.strings[ids[row]!]) }
            }
        case .group(let key):
            let index = GroupIndex.build(table, by: key, now: now)
            var relatedIndexes: [RecordKind: GroupIndex] = [:]
            var relatedCompilers: [RecordKind: RowCompiler] = [:]
            for (kind, field) in query.relations {
                guard let relatedTable = listing[kind] else { continue }
                relatedIndexes[kind] = index.related(relatedTable, by: field.index)
                relatedCompilers[kind] = RowCompiler(table: relatedTable, now: now, faults: faults)
            }
            let related = RelatedGroups(groups: index, byKind: relatedIndexes)
            let groups = GroupCompiler(rows: compiler, related: relatedCompilers)
            let keep = query.filter.map(groups.groupCondition)
            let cells = query.columns.map { column -> (GroupScope) -> Constant? in
                switch column.value {
                case .operand(let operand):
                    let value = groups.value(operand)
                    // A field of the group (its ResourceType) is read from its first job.
                    return { scope in value(scope, Int(scope.rows.first ?? -1)).map { $0.constant(table.strings) } }
                case .condition(let condition):
                    let holds = groups.groupCondition(condition)
                    return { .boolean(holds($0)) }
                }
            }
            if let kind = RecordKind.allCases.first(where: groups.unrelatedKinds.contains) {
                // A programming error (the checker relates every kind a query reads): no answer
                // rather than one read from the wrong records.
                return QueryResult(columns: names, rows: [], matched: 0, examined: 0,
                                   fault: EvaluationFault(subjectName: query.subject.displayName, subject: nil, cause: .unrelatedKind(kind)))
            }
            examined = index.count
            for group in 0..<index.count {
                let scope = GroupScope(rows: index.rows(of: group), related: related.scopeRows(group), aggregates: groups.aggregateCount)
                let kept = keep?(scope) ?? true
                let row = kept ? [.string(index.keys[group])] + cells.map { $0(scope) } : []
                if faults.hasFault, let fault = faults.take() { return unanswered(fault, subject: index.keys[group]) }
                if kept { rows.append(row) }
            }
        }
        let matched = rows.count
        if !order.keys.isEmpty { rows.sort { Self.precedes($0, $1, order.keys) } }
        if let limit = order.limit { rows = Array(rows.prefix(limit)) }
        return QueryResult(
            columns: names, rows: rows, matched: matched, examined: examined,
            warnings: LiteralCoverage.warnings(query.literals.map { (rule: nil, literal: $0) }, in: listing))
    }

    /// Missing values sort last, in either direction.
    static func precedes(_ a: [Constant?], _ b: [Constant?], _ keys: [(column: Int, descending: Bool)]) -> Bool {
        for (column, descending) in keys {
            switch (a[column], b[column]) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                let order = compare(x, y)
                if order != 0 { return descending ? order > 0 : order < 0 }
            }
        }
        return false
    }

    static func compare(_ a: Constant, _ b: Constant) -> Int {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        switch (a, b) {
        case (.string(let x), .string(let y)): return sign(x, y)
        case (.number(let x), .number(let y)), (.percent(let x), .percent(let y)): return sign(x, y)
        case (.timestamp(let x), .timestamp(let y)): return sign(x, y)
        case (.duration(let x), .duration(let y)), (.size(let x), .size(let y)): return sign(x, y)
        case (.boolean(let x), .boolean(let y)): return sign(x ? 1 : 0, y ? 1 : 0)
        default: return sign("\(a)", "\(b)")
        }
    }
}
