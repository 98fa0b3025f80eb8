public import BackupJobs

/// A query checked against the job schema: what `backup-audit query` lists.
public struct CompiledQuery: Sendable {
    public var subject: SubjectKind
    /// Which subjects are listed; all of them when nil.
    public var filter: Condition?
    public var columns: [Column]
    /// Values of the condition that a job must match, for the runner to look for in the data.
    public var literals: [LiteralComparison] = []
    /// The kinds of records the query reads (its subject's, and those related to its groups).
    public var kinds: [RecordKind] = []
    /// For a group query, the field of each other kind it reads that names its groups.
    public var relations: [RecordKind: StoredField] = [:]

    /// One column: a field of the job (for jobs), or a figure or attribute of the group.
    public struct Column: Sendable {
        /// As written (`count(jobs)`, `latest(jobs).State`).
        public var name: String
        public var value: Value
        public var type: ValueType

        public enum Value: Sendable {
            case operand(Operand)
            /// A condition shown as true or false.
            case condition(Condition)
        }

        /// The column as a condition, for finding what it reads.
        var condition: Condition {
            switch value {
            case .operand(let operand): .isTrue(operand)
            case .condition(let condition): condition
            }
        }
    }
}

/// Checks and compiles queries: `SUBJECT [where CONDITION]` and the columns to show, with the same
/// checker and diagnostics as rules.
public enum QueryCompiler {
    /// What is shown when no columns are asked for.
    public static func defaultColumns(for subject: SubjectKind) -> [String] {
        switch subject {
        case .job(let kind):
            // The id, the state, what it is about and when: every kind has these.
            [kind.schema.idField, kind.schema.stateField, kind.schema.index(path: "ResourceType"), kind.schema.resourceField,
             kind.schema.creationField, kind.schema.completionField].compactMap { $0.map { kind.schema[$0].path } }
        case .group: ["count(jobs)", "count(jobs where State == FAILED)", "latest(jobs).State", "latest(jobs).CreationDate"]
        }
    }

    /// - Parameters:
    ///   - columns: column expressions, each its own source (named for diagnostics); nil for the
    ///     subject's default columns.
    public static func compile(
        _ source: SourceFile, columns: [SourceFile]? = nil, environment: RuleEnvironment = .standard
    ) -> (query: CompiledQuery?, diagnostics: [Diagnostic]) {
        let (parsed, parseDiagnostics) = Parser.parseQuery(source)
        guard let parsed else { return (nil, parseDiagnostics) }
        var diagnostics = parseDiagnostics
        var checker = ExpressionChecker(source: source, parameters: [:], environment: environment)
        guard let subject = RuleSetChecker.compileSubject(parsed.subject, with: &checker) else {
            return (nil, diagnostics + checker.diagnostics)
        }
        let context = RuleSetChecker.context(for: subject)
        var filter: Condition?
        checker.recordsLiterals = true
        if let expr = parsed.filter { filter = checker.condition(expr, in: context) }
        checker.recordsLiterals = false
        diagnostics += checker.diagnostics
        let columnSources = columns ?? defaultColumns(for: subject).enumerated().map { SourceFile(name: "column \($0.offset + 1)", text: $0.element) }
        var compiled: [CompiledQuery.Column] = []
        for column in columnSources {
            let (expr, columnParse) = Parser.parseExpression(column)
            diagnostics += columnParse
            guard let expr else { continue }
            var columnChecker = ExpressionChecker(source: column, parameters: [:], environment: environment)
            defer { diagnostics += columnChecker.diagnostics }
            guard let typed = columnChecker.check(expr, in: context) else { continue }
            let name = column.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            switch typed.lowered {
            case .value(let operand):
                compiled.append(.init(name: name, value: .operand(operand), type: typed.type))
            case .condition(let condition):
                compiled.append(.init(name: name, value: .condition(condition), type: .boolean))
            case .enumName(let word, let nameKind):
                columnChecker.reportUnknownName(word, at: expr.range, kind: nameKind)
            case .structure, .jobs, .job:
                columnChecker.report(
                    .mismatch, "a column shows one value: a field (CreatedBy.BackupPlanId), a figure (count(jobs)) or a field of one job (latest(jobs).State)",
                    at: expr.range)
            }
        }
        guard !diagnostics.hasErrors, parsed.filter == nil || filter != nil else { return (nil, diagnostics) }
        var read: Set<RecordKind> = [subject.recordKind]
        for condition in [filter].compactMap({ $0 }) + compiled.map(\.condition) {
            read.formUnion(RuleSetChecker.aggregates(in: condition).flatMap { $0.map(\.kind) })
        }
        let kinds = RecordKind.allCases.filter(read.contains)
        var relations: [RecordKind: StoredField] = [:]
        if case .group(let key) = subject {
            for kind in kinds where kind != environment.groupKind { relations[kind] = environment.relation(key, to: kind) }
        }
        return (CompiledQuery(subject: subject, filter: filter, columns: compiled, literals: checker.literals, kinds: kinds, relations: relations),
                diagnostics)
    }
}
