import BackupJobs

/// Checks `test` blocks against the rule set: the rules they name, the parameters they set, the
/// jobs they write, and the subjects they expect.
extension RuleSetChecker {
    mutating func compileTests(rules: [String: SubjectKind], ruleIDs: [String]) -> [CompiledTest] {
        var tests: [CompiledTest] = []
        var names: [String: (TestDecl, SourceFile)] = [:]
        for file in files {
            for case .test(let test) in file.syntax.items {
                guard case .string(let name) = test.name.kind else { continue }
                if let (first, firstFile) = names[name] {
                    report(.duplicateTestName, "a test named \"\(name)\" already exists", in: file.source, at: test.name.range,
                           notes: [.init("first named in \(firstFile.name) at \(firstFile.position(of: first.name.range.start))")])
                    continue
                }
                names[name] = (test, file.source)
                if let compiled = compileTest(test, name: name, in: file.source, rules: rules, ruleIDs: ruleIDs) {
                    tests.append(compiled)
                }
            }
        }
        return tests
    }

    private mutating func compileTest(
        _ test: TestDecl, name: String, in source: SourceFile, rules: [String: SubjectKind], ruleIDs: [String]
    ) -> CompiledTest? {
        let errorsBefore = diagnostics.filter { $0.severity == .error }.count
        var now: Timestamp?
        var overrides: [ParameterOverride] = []
        var fixtures: [String] = []
        var records: [Record] = []
        var recordIDs: [RecordKind: [String: SourceRange]] = [:]
        var expectations: [TestExpectation] = []
        for statement in test.statements {
            switch statement {
            case .now(let expr, let range):
                guard case .timestamp(let time, _) = expr.kind else { continue }
                if now != nil {
                    report(.duplicateTestTime, "the test already has a now", in: source, at: range)
                }
                now = time
            case .parameter(let decl):
                guard let declared = parameters[decl.name.text] else {
                    report(.unknownParameter, "the rules declare no parameter '\(decl.name.text)'", in: source, at: decl.name.range,
                           notes: Suggestions.note(for: decl.name.text, among: parameters.keys.sorted()))
                    continue
                }
                guard let value = literal(decl.value, in: source, what: "a test's parameter value") else { continue }
                guard value.type == declared.type else {
                    report(.invalidParameterValue, "parameter '\(decl.name.text)' is \(declared.type.withArticle); this value is \(value.type.withArticle)",
                           in: source, at: decl.value.range)
                    continue
                }
                overrides.append(ParameterOverride(name: decl.name.text, value: source.text(decl.value.range)))
            case .fixture(let path, _):
                if case .string(let text) = path.kind { fixtures.append(text) }
            case .job(let inline):
                var checker = expressionChecker(source, parameters: [:])
                let kind = checker.recordKind(named: inline.kind)
                diagnostics += checker.diagnostics
                guard let kind else { continue }
                let prefix = kind == environment.groupKind ? "job" : "\(environment[kind].word)-job"
                var record = Record(kind, id: "\(prefix)-\(records.count { $0.kind == kind } + 1)")
                for member in inline.members { set(member, on: &record, in: source) }
                let idField = kind.schema[kind.schema.idField].path
                if let first = recordIDs[kind]?[record.id] {
                    report(.duplicateJobID, "another \(kind == environment.groupKind ? "job" : kind.noun) of this test has \(idField) \"\(record.id)\"; they would merge into one",
                           in: source, at: inline.range, notes: [.init("the other \(kind == environment.groupKind ? "job" : kind.noun)", at: first)])
                }
                recordIDs[kind, default: [:]][record.id] = inline.range
                records.append(record)
            case .expectation(let expectation):
                let rule = expectation.rule.text
                guard let subject = rules[rule] else {
                    // A rule that exists but did not compile has its own errors.
                    if !ruleIDs.contains(rule) {
                        report(.unknownRule, "there is no rule '\(rule)' to test", in: source, at: expectation.rule.range,
                               notes: Suggestions.note(for: rule, among: ruleIDs))
                    }
                    continue
                }
                var subjectID: String?
                if let expr = expectation.subject, case .string(let id) = expr.kind {
                    if let problem = Self.subjectFormatProblem(id, subject) {
                        report(.testSubjectFormat, problem.replacing("so this waiver matches nothing", with: "so the rule never judges it"),
                               in: source, at: expr.range)
                    }
                    subjectID = id
                }
                let position = source.position(of: expectation.range.start)
                expectations.append(TestExpectation(
                    rule: rule, passes: expectation.passes, subject: subjectID,
                    location: SourceLocation(file: source.name, range: expectation.range, line: position.line, column: position.column)))
            }
        }
        if now == nil {
            report(.missingTestTime, "test \"\(name)\" has no now: add the time to judge at (now 2026-11-28T12:00:00Z)", in: source, at: test.name.range)
        }
        if !test.statements.contains(where: { if case .expectation = $0 { true } else { false } }) {
            report(.noExpectation, "test \"\(name)\" expects nothing, so it could never fail: add expect RULE passes|fails", in: source, at: test.name.range)
        }
        guard let now, diagnostics.filter({ $0.severity == .error }).count == errorsBefore else { return nil }
        let position = source.position(of: test.range.start)
        return CompiledTest(
            name: name, location: SourceLocation(file: source.name, range: test.range, line: position.line, column: position.column),
            now: now, overrides: overrides, fixtures: fixtures, records: records, expectations: expectations)
    }

    /// Sets one field of a test's record from a literal of the field's type.
    private mutating func set(_ member: JobMember, on record: inout Record, in source: SourceFile) {
        var checker = expressionChecker(source, parameters: [:])
        let typedField = checker.check(member.field, in: .job(record.kind))
        diagnostics += checker.diagnostics
        guard let typedField else { return }
        let fieldText = source.text(member.field.range)
        let field: StoredField
        switch typedField.lowered {
        case .value(.field(.stored(let stored))):
            field = stored
        case .value(.field(.backupOption(let key))):
            guard case .string(let text)? = literalValue(member, type: .string, in: source) else { return }
            let options = BackupJobField.backupOptions.index
            var map: [String: String] = if case .stringMap(let held)? = record[options] { held } else { [:] }
            map[key] = text
            record[options] = .stringMap(map)
            return
        case .value(.field(.derived(let derived))):
            report(.invalidJobField, "\(derived.rawValue) is derived from other fields; set those instead (State, CreationDate, CompletionDate...)",
                   in: source, at: member.field.range)
            return
        case .enumName(let word, let nameKind):
            // A bare name that is no field: say so, with the nearest field.
            checker.diagnostics = []
            checker.reportUnknownName(word, at: member.field.range, kind: nameKind)
            diagnostics += checker.diagnostics
            return
        default:
            report(.invalidJobField, "'\(fieldText)' is not a field a job can be given a value for", in: source, at: member.field.range)
            return
        }
        let type = field.descriptor.type
        if case .structure = type {
            let first = field.kind.schema.members(of: field.index).first.map { String($0.name) } ?? "X"
            report(.invalidJobField, "\(fieldText) is a structure; set its members (\(fieldText).\(first))",
                   in: source, at: member.field.range)
            return
        }
        guard let value = literalValue(member, type: ValueType.of(field), in: source) else { return }
        record[field.index] = value
    }

    /// The member's value as the field stores it, or nil after reporting why it does not fit.
    private mutating func literalValue(_ member: JobMember, type: ValueType, in source: SourceFile) -> FieldValue? {
        if case .enumeration(_, let values) = type, case .name(let word) = member.value.kind {
            guard values.contains(word) else {
                report(.unknownEnumValue, "'\(word)' is not one of \(values.joined(separator: ", "))", in: source, at: member.value.range,
                       notes: Suggestions.note(for: word, among: values))
                return nil
            }
            return .string(word)
        }
        guard let constant = literal(member.value, in: source, what: "a job's field value") else { return nil }
        switch (type, constant) {
        case (.string, .string(let text)), (.enumeration, .string(let text)): return .string(text)
        case (.timestamp, .timestamp(let time)):
            // A job's times are what data can hold (`2027-01-01 + 99999999d` is a time, not one
            // AWS Backup records), so durations between them never overflow.
            guard time >= Timestamp.earliestSupported, time <= Timestamp.latestSupported else {
                report(.outOfRange, "\(source.text(member.value.range)) is not a time a job can have: jobs' times lie in the years 0001 to 9999",
                       in: source, at: member.value.range)
                return nil
            }
            return .timestamp(time)
        case (.boolean, .boolean(let flag)): return .boolean(flag)
        case (.size, .size(let bytes)): return .integer(bytes)
        case (.size, .number(let n)), (.number, .number(let n)):
            // Whole and below 2^53 in magnitude: exact in a Double, so `Int64(n)` cannot trap.
            guard n == n.rounded(), abs(n) < 9e15 else { break }
            return .integer(Int64(n))
        default: break
        }
        report(.invalidJobField, "\(source.text(member.field.range)) holds \(type.withArticle); \(source.text(member.value.range)) is \(constant.type.withArticle)",
               in: source, at: member.value.range)
        return nil
    }
}
