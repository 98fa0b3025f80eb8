import BackupJobs

/// Checks a whole rule set: parameters and overrides, rule ids, every rule's body, waivers, and
/// the warnings that need the whole set (unused parameters).
struct RuleSetChecker {
    let files: [ParsedRuleFile]
    let now: Timestamp?
    let environment: RuleEnvironment
    var diagnostics: [Diagnostic] = []
    private(set) var parameters: [String: Constant] = [:]
    private var parameterDecls: [String: (decl: ParameterDecl, file: SourceFile)] = [:]
    private var usedParameters: Set<String> = []

    init(files: [ParsedRuleFile], now: Timestamp?, environment: RuleEnvironment) {
        self.files = files
        self.now = now
        self.environment = environment
    }

    func expressionChecker(_ source: SourceFile, parameters: [String: Constant]) -> ExpressionChecker {
        ExpressionChecker(source: source, parameters: parameters, environment: environment)
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, in source: SourceFile, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(code, message, file: source.name, at: range, notes: notes))
    }

    mutating func run(overrides: [ParameterOverride]) -> RuleProgram {
        declareParameters()
        applyOverrides(overrides)
        var rules: [CompiledRule] = []
        var firstRule: [String: (RuleDecl, SourceFile)] = [:]
        var subjects: [String: SubjectKind] = [:]
        for file in files {
            for case .rule(let rule) in file.syntax.items {
                if let (first, firstFile) = firstRule[rule.id.text] {
                    report(.duplicateRule, "rule id '\(rule.id.text)' is already used", in: file.source, at: rule.id.range,
                           notes: [.init("first used in \(firstFile.name) at \(firstFile.position(of: first.id.range.start))")])
                    continue
                }
                firstRule[rule.id.text] = (rule, file.source)
                if let compiled = compileRule(rule, in: file.source) {
                    rules.append(compiled)
                    subjects[compiled.id] = compiled.subject
                }
            }
        }
        var waivers: [CompiledWaiver] = []
        for file in files {
            for case .waiver(let waiver) in file.syntax.items {
                if firstRule[waiver.rule.text] == nil {
                    report(.unknownRule, "there is no rule '\(waiver.rule.text)' to waive", in: file.source, at: waiver.rule.range,
                           notes: Suggestions.note(for: waiver.rule.text, among: firstRule.keys.sorted()))
                }
                // Without a compiled rule the target cannot be checked; the date and reason can.
                if let compiled = compileWaiver(waiver, subject: subjects[waiver.rule.text], in: file.source) {
                    waivers.append(compiled)
                    // A waiver's condition may read related records too: its rule needs them.
                    if case .matching(let condition) = compiled.target, let position = rules.firstIndex(where: { $0.id == compiled.rule }) {
                        let read = Self.aggregates(in: condition).flatMap { $0.map(\.kind) }
                        let kinds = RecordKind.allCases.filter { rules[position].kinds.contains($0) || read.contains($0) }
                        rules[position].kinds = kinds
                        rules[position].relations = relations(rules[position].subject, kinds)
                    }
                }
            }
        }
        for (name, (decl, file)) in parameterDecls.sorted(by: { $0.key < $1.key }) where !usedParameters.contains(name) {
            report(.unusedParameter, "parameter '\(name)' is not used by any rule", in: file, at: decl.name.range)
        }
        for file in files { diagnostics += Lints.conditions(in: file.syntax, source: file.source) }
        let tests = compileTests(rules: Dictionary(rules.map { ($0.id, $0.subject) }, uniquingKeysWith: { first, _ in first }),
                                 ruleIDs: firstRule.keys.sorted())
        return RuleProgram(rules: rules, waivers: waivers, parameters: parameters, tests: tests)
    }

    // MARK: Parameters

    private mutating func declareParameters() {
        for file in files {
            for case .parameter(let decl) in file.syntax.items {
                let name = decl.name.text
                if let (first, firstFile) = parameterDecls[name] {
                    report(.duplicateParameter, "parameter '\(name)' is already declared", in: file.source, at: decl.name.range,
                           notes: [.init("first declared in \(firstFile.name) at \(firstFile.position(of: first.name.range.start))")])
                    continue
                }
                if environment.kinds.contains(where: { $0.schema.descriptor(path: name) != nil }) || DerivedField(rawValue: name) != nil
                    || Parser.keywords.contains(name) {
                    report(.parameterShadowsName, "parameter '\(name)' has the name of a field or keyword; choose another name",
                           in: file.source, at: decl.name.range)
                    continue
                }
                guard let value = literal(decl.value, in: file.source, what: "a parameter's value") else { continue }
                parameterDecls[name] = (decl, file.source)
                parameters[name] = value
            }
        }
    }

    /// A literal written out: a string, number, duration, size, percentage, timestamp, boolean or list.
    mutating func literal(_ expr: Expr, in source: SourceFile, what: String) -> Constant? {
        var checker = expressionChecker(source, parameters: [:])
        let typed = checker.check(expr, in: .job(environment.groupKind))
        diagnostics += checker.diagnostics
        guard let typed else { return nil }
        guard case .value(.constant(let constant)) = typed.lowered else {
            if checker.diagnostics.isEmpty {
                report(.invalidParameterValue, "\(what) must be a literal (24h, 5%, \"text\", 2027-01-31, [\"a\", \"b\"])", in: source, at: expr.range)
            }
            return nil
        }
        return constant
    }

    private mutating func applyOverrides(_ overrides: [ParameterOverride]) {
        for override in overrides {
            guard let declared = parameters[override.name] else {
                report(.unknownParameter, "the rules declare no parameter '\(override.name)'", in: override.value,
                       at: SourceRange(0, override.value.utf8.count),
                       notes: Suggestions.note(for: override.name, among: parameters.keys.sorted())
                           + (parameters.isEmpty ? [] : [.init("parameters: \(parameters.keys.sorted().joined(separator: ", "))")]))
                continue
            }
            let (expr, parseDiagnostics) = Parser.parseExpression(override.value)
            diagnostics += parseDiagnostics
            guard let expr, let value = literal(expr, in: override.value, what: "the value of parameter '\(override.name)'") else { continue }
            guard value.type == declared.type else {
                report(.invalidParameterValue, "parameter '\(override.name)' is \(declared.type.withArticle); '\(override.value.text)' is \(value.type.withArticle)",
                       in: override.value, at: expr.range)
                continue
            }
            parameters[override.name] = value
        }
    }

    // MARK: Rules

    private mutating func compileRule(_ rule: RuleDecl, in source: SourceFile) -> CompiledRule? {
        var severity = RuleSeverity.medium
        var title: String?, description: String?, remediation: String?
        var controls: [String] = []
        for item in rule.metadata {
            let texts = item.values.compactMap { if case .string(let text) = $0.kind { text } else { nil } }
            switch item.kind {
            case .title: title = texts.first
            case .description: description = texts.first
            case .remediation: remediation = texts.first
            case .controls: controls = texts
            case .severity:
                guard case .name(let word) = item.values[0].kind, let level = RuleSeverity(rawValue: word) else {
                    report(.invalidSeverity, "severity must be info, low, medium, high or critical", in: source, at: item.values[0].range,
                           notes: Suggestions.note(for: source.text(item.values[0].range), among: RuleSeverity.allCases.map(\.rawValue)))
                    continue
                }
                severity = level
            }
        }
        if title == nil {
            report(.missingTitle, "rule \(rule.id.text) has no title; reports show the title to people who did not write the rule",
                   in: source, at: rule.id.range)
        }
        guard let body = rule.body else { return nil }
        var checker = expressionChecker(source, parameters: parameters)
        let compiled = compileBody(body, with: &checker)
        diagnostics += checker.diagnostics
        usedParameters.formUnion(checker.usedParameters)
        guard let (subject, compiledBody) = compiled, !checker.diagnostics.hasErrors else { return nil }
        let position = source.position(of: rule.range.start)
        return CompiledRule(
            id: rule.id.text, title: title, description: description, severity: severity, controls: controls,
            remediation: remediation,
            location: SourceLocation(file: source.name, range: rule.range, line: position.line, column: position.column),
            bodyText: Formatter.format(body), subject: subject, body: compiledBody, literals: checker.literals,
            kinds: Self.kinds(read: subject, compiledBody), relations: relations(subject, Self.kinds(read: subject, compiledBody)))
    }

    /// For a group rule, the field of each other kind it reads that names its groups.
    func relations(_ subject: SubjectKind, _ kinds: [RecordKind]) -> [RecordKind: StoredField] {
        guard case .group(let key) = subject else { return [:] }
        var relations: [RecordKind: StoredField] = [:]
        for kind in kinds where kind != environment.groupKind { relations[kind] = environment.relation(key, to: kind) }
        return relations
    }

    /// The kinds a rule reads: its subject's, and those its group conditions relate to.
    static func kinds(read subject: SubjectKind, _ body: CompiledBody) -> [RecordKind] {
        var kinds: Set<RecordKind> = [subject.recordKind]
        func selections(_ condition: Condition?) {
            guard let condition else { return }
            for aggregate in Self.aggregates(in: condition) { kinds.formUnion(aggregate.map(\.kind)) }
        }
        switch body {
        case .no(let filter): selections(filter)
        case .every(let filter, let assertion):
            selections(filter)
            switch assertion {
            case .satisfies(let condition): selections(condition)
            case .count(_, let records), .eachDay(_, _, let records), .latest(let records, _): kinds.insert(records.kind)
            }
        }
        return RecordKind.allCases.filter(kinds.contains)
    }

    /// The record selections of a group condition's aggregates and picked records.
    static func aggregates(in condition: Condition) -> [[RecordSelection]] {
        var found: [[RecordSelection]] = []
        func visit(_ operand: Operand) {
            switch operand {
            case .aggregate(let aggregate): found.append(aggregate.selections)
            case .pickedJobField(let pick, _): found.append([pick.records])
            case .arithmetic(_, let a, let b, _, _): visit(a); visit(b)
            case .negate(let inner, _): visit(inner)
            case .constant, .field, .now: break
            }
        }
        func visit(_ condition: Condition) {
            switch condition {
            case .clause(_, let inner), .not(let inner): visit(inner)
            case .constant: break
            case .and(let parts), .or(let parts): parts.forEach(visit)
            case .isTrue(let o), .presence(let o, _), .text(_, let o, _): visit(o)
            case .compare(_, let a, let b): visit(a); visit(b)
            }
        }
        visit(condition)
        return found
    }

    static func context(for subject: SubjectKind) -> EvaluationContext {
        switch subject {
        case .job(let kind): .job(kind)
        case .group(let key): .group(key)
        }
    }

    static func compileSubject(_ subject: Subject, with checker: inout ExpressionChecker) -> SubjectKind? {
        switch subject.kind {
        case .job(let word):
            return checker.recordKind(named: word).map(SubjectKind.job)
        case .resource: return .group(.resource)
        case .account: return .group(.account)
        case .vault: return .group(.vault)
        case .plan: return .group(.plan)
        case .resourceType: return .group(.resourceType)
        case .group(let by):
            if reportsGroupOfOtherKind(by, with: &checker) { return nil }
            guard let typed = checker.check(by, in: .job(checker.environment.groupKind)) else { return nil }
            guard case .value(.field(let field)) = typed.lowered, typed.type.isScalar else {
                checker.report(.mismatch, "group by needs a field of the jobs (group by CreatedBy.BackupRuleId), found \(typed.type.withArticle)", at: by.range)
                return nil
            }
            return .group(.field(field))
        }
    }

    /// `group by DestinationBackupVaultArn`: groups are formed from the group kind's records
    /// (backup jobs) alone, so a field only another kind has groups nothing. Said as such, rather
    /// than as an unknown field, since the user meant the other kind's records. Forming groups of
    /// another kind would need their own attributes and relations back to backup jobs, which the
    /// environment does not describe.
    static func reportsGroupOfOtherKind(_ by: Expr, with checker: inout ExpressionChecker) -> Bool {
        var members: [String] = []
        var base = by
        while case .member(let inner, let member) = base.kind {
            members.insert(member.text, at: 0)
            base = inner
        }
        let groupKind = checker.environment.groupKind
        guard case .name(let root) = base.kind else { return false }
        let path = ([root] + members).joined(separator: ".")
        guard !checker.isField(path, of: groupKind) else { return false }
        // `CreatedBy.RestoreTestingPlanArn` by its whole path; `DestinationBackupVaultArn.Region` by
        // its field (the Region is a part of it). A root the group kind has is no other kind's field.
        let candidates = checker.isField(root, of: groupKind) ? [path] : [path, root]
        func owners(_ name: String) -> [RuleEnvironment.Kind] {
            checker.environment.kinds.filter { $0.kind != groupKind && checker.isField(name, of: $0.kind) }
        }
        guard let name = candidates.first(where: { !owners($0).isEmpty }) else { return false }
        let others = owners(name), other = others[0]
        checker.report(
            .groupOfOtherKind,
            "groups are formed from \(groupKind.pluralNoun); \(name) is a field of \(others.map(\.kind.pluralNoun).joined(separator: " and ")), which form no groups",
            at: by.range,
            notes: [
                .init("to judge each \(other.kind.noun), write 'every \(other.word) job [where ...] satisfies ...'"),
                .init("to count a group's \(other.kind.pluralNoun), group by a field \(groupKind.pluralNoun) have: a group has the \(other.kind.pluralNoun) whose field of the same path holds its key (every group by ResourceType has \(other.word) job where ...)"),
            ])
        return true
    }

    private func compileBody(_ body: Body, with checker: inout ExpressionChecker) -> (SubjectKind, CompiledBody)? {
        guard let subject = Self.compileSubject(body.subject, with: &checker) else { return nil }
        let context = Self.context(for: subject)
        switch body {
        case .no(_, let filterExpr, _):
            guard let filter = checker.condition(filterExpr, in: context) else { return nil }
            return (subject, .no(filter: filter))
        case .every(_, let filterExpr, let assertion, _):
            var filter: Condition?
            if let filterExpr {
                // The scope: a value here that matches no job silently narrows what the rule judges.
                checker.recordsLiterals = true
                let checked = checker.condition(filterExpr, in: context)
                checker.recordsLiterals = false
                guard let checked else {
                    _ = compileAssertion(assertion, subject: subject, with: &checker)  // report its errors too
                    return nil
                }
                filter = checked
            }
            guard let compiled = compileAssertion(assertion, subject: subject, with: &checker) else { return nil }
            return (subject, .every(filter: filter, compiled))
        }
    }

    private func compileAssertion(_ assertion: Assertion, subject: SubjectKind, with checker: inout ExpressionChecker) -> CompiledAssertion? {
        let context = Self.context(for: subject)
        switch assertion {
        case .satisfies(let expr, _):
            return checker.condition(expr, in: context).map(CompiledAssertion.satisfies)
        case .has(let quantity, let kindWord, let filterExpr, let daysExpr, let range):
            guard !subject.isRecord else {
                checker.report(.mismatch, "'has ... job' counts the jobs of a group; a job rule states what each job satisfies",
                               at: range, notes: [.init("write 'every job [where ...] satisfies ...', or quantify over resource, account, vault or plan")])
                return nil
            }
            guard let records = checker.selection(kindWord, filterExpr, range: range, in: context) else { return nil }
            let bound: CountBound
            switch quantity {
            case .some: bound = .atLeast(1)
            case .none: bound = .exactly(0)
            case .atLeast(let n): guard let n = count(n, minimum: 0, with: &checker, what: "jobs") else { return nil }; bound = .atLeast(n)
            case .atMost(let n): guard let n = count(n, minimum: 0, with: &checker, what: "jobs") else { return nil }; bound = .atMost(n)
            case .exactly(let n): guard let n = count(n, minimum: 0, with: &checker, what: "jobs") else { return nil }; bound = .exactly(n)
            }
            if let daysExpr {
                guard let days = count(daysExpr, minimum: 1, maximum: Self.maximumDays, with: &checker, what: "days") else { return nil }
                if days > 30 {
                    checker.diagnostics.append(Diagnostic(
                        .windowBeyondRetention, "\(days) days is longer than the 30 days of jobs AWS Backup lists",
                        file: checker.source.name, at: daysExpr.range,
                        notes: [.init("days older than 30 have no jobs in ListBackupJobs, so they always fail")]))
                }
                return .eachDay(days: days, bound, records)
            }
            return .count(bound, records)
        case .latest(let kindWord, let filterExpr, let conditionExpr, let range):
            guard !subject.isRecord else {
                checker.report(.mismatch, "'latest job' picks among a group's jobs; a job rule states what each job satisfies", at: range)
                return nil
            }
            guard let records = checker.selection(kindWord, filterExpr, range: range, in: context) else { return nil }
            guard let condition = checker.condition(conditionExpr, in: .job(records.kind)) else { return nil }
            return .latest(records, condition)
        }
    }

    /// The most days `in each of the last N days` counts: ten years. Each group's count keeps one
    /// counter per day and an explanation lists every day, so N bounds memory and report size.
    static let maximumDays = 3660

    /// A whole number of jobs or days, written out or from a parameter.
    private func count(_ expr: Expr, minimum: Int, maximum: Int = 999_999_999, with checker: inout ExpressionChecker, what: String) -> Int? {
        guard let typed = checker.check(expr, in: .job(checker.environment.groupKind)) else { return nil }
        // The bounds make `Int(value)` exact and safe.
        guard case .value(.constant(.number(let value))) = typed.lowered, value == value.rounded(),
              value >= Double(minimum), value <= Double(maximum) else {
            let upTo = maximum < 999_999_999 ? " to \(maximum)" : ""
            checker.report(.invalidCount, "the number of \(what) must be a whole number from \(minimum)\(upTo), found \(checker.source.text(expr.range))", at: expr.range)
            return nil
        }
        return Int(value)
    }

    // MARK: Waivers

    private mutating func compileWaiver(_ waiver: WaiverDecl, subject: SubjectKind?, in source: SourceFile) -> CompiledWaiver? {
        var checker = expressionChecker(source, parameters: parameters)
        defer {
            diagnostics += checker.diagnostics
            usedParameters.formUnion(checker.usedParameters)
        }
        guard case .string(let reason) = waiver.reason.kind else { return nil }
        if reason.allSatisfy(\.isWhitespace) {
            checker.report(.emptyWaiverReason, "a waiver must say why: the because text is empty", at: waiver.reason.range)
        }
        guard case .timestamp(let until, let written) = waiver.until.kind else {
            checker.report(.invalidWaiverDate, "until needs a date or timestamp (until 2027-01-31), found \(source.text(waiver.until.range))",
                           at: waiver.until.range)
            return nil
        }
        // A date waives through the end of that day, UTC. A written date lies in 0001–9999, so
        // the day after it is far inside Int64.
        let expires = written.count == 10 ? Timestamp(millisecondsSinceEpoch: until.millisecondsSinceEpoch + DurationUnit.day.milliseconds) : until
        // A date that does not exist (2027-02-30) is the lexer's error; it has not expired.
        if let now, expires <= now, Timestamp(written: written) != nil {
            checker.report(.expiredWaiver, "this waiver expired on \(written); it no longer applies", at: waiver.until.range)
        }
        guard let subject else { return nil }
        let target: CompiledWaiver.Target
        switch waiver.target {
        case .subjects(let ids):
            var texts: [String] = []
            for id in ids {
                guard case .string(let text) = id.kind else { continue }
                if let problem = Self.subjectFormatProblem(text, subject) {
                    checker.report(.unmatchedWaiverTarget, problem, at: id.range)
                }
                texts.append(text)
            }
            target = .subjects(texts)
        case .matching(let expr):
            guard let condition = checker.condition(expr, in: Self.context(for: subject)) else { return nil }
            target = .matching(condition)
        }
        guard !checker.diagnostics.hasErrors else { return nil }
        let position = source.position(of: waiver.range.start)
        return CompiledWaiver(
            rule: waiver.rule.text, target: target, expires: expires, untilText: written, reason: reason,
            location: SourceLocation(file: source.name, range: waiver.range, line: position.line, column: position.column))
    }

    /// Why an id cannot name a subject of this kind (an ARN for a job rule, a job id for a
    /// resource rule), or `nil`.
    static func subjectFormatProblem(_ id: String, _ subject: SubjectKind) -> String? {
        switch subject {
        case .job(let kind) where id.hasPrefix("arn:"):
            "\(withArticle(subject.displayName)) rule's subjects are \(kind.schema[kind.schema.idField].path)s; '\(id.prefix(40))' is an ARN, so this waiver matches nothing"
        case .group(.resource) where !id.hasPrefix("arn:"), .group(.vault) where !id.hasPrefix("arn:"):
            "\(withArticle(subject.displayName)) rule's subjects are ARNs; '\(id.prefix(40))' is not one, so this waiver matches nothing"
        case .group(.account) where !(id.count == 12 && id.allSatisfy(\.isNumber)):
            "an account rule's subjects are 12-digit account ids; '\(id.prefix(40))' is not one, so this waiver matches nothing"
        default: nil
        }
    }
}
