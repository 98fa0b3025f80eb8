/// Parses rule files. It reports every error it can and recovers at the next line that starts a
/// rule, parameter, waiver, metadata line or body, so one typo does not hide the rest.
public enum Parser {
    /// Parses one file. The result holds every item that could be read, even when there are errors.
    public static func parse(_ source: SourceFile) -> (file: RuleFile, diagnostics: [Diagnostic]) {
        let (tokens, comments, lexerDiagnostics) = Lexer.tokenize(source)
        var state = ParserState(source: source, tokens: tokens)
        let items = state.parseFile()
        return (RuleFile(items: items, comments: comments), state.kept(lexerDiagnostics) + state.diagnostics)
    }

    /// Parses one expression (a `--param` value, an ad-hoc condition).
    public static func parseExpression(_ source: SourceFile) -> (expr: Expr?, diagnostics: [Diagnostic]) {
        let (tokens, _, lexerDiagnostics) = Lexer.tokenize(source)
        var state = ParserState(source: source, tokens: tokens)
        let expr = try? state.parseExpressionToEnd()
        return (expr, state.kept(lexerDiagnostics) + state.diagnostics)
    }

    /// Parses a rule body without the `rule` around it: `every job satisfies ...`.
    public static func parseBody(_ source: SourceFile) -> (body: Body?, diagnostics: [Diagnostic]) {
        let (tokens, _, lexerDiagnostics) = Lexer.tokenize(source)
        var state = ParserState(source: source, tokens: tokens)
        let body = try? state.parseBodyToEnd()
        return (body, state.kept(lexerDiagnostics) + state.diagnostics)
    }

    /// Parses a query: `SUBJECT [where CONDITION]` (`job where State == FAILED`,
    /// `resource where count(jobs where Finished) == 0`).
    public static func parseQuery(_ source: SourceFile) -> (query: Query?, diagnostics: [Diagnostic]) {
        let (tokens, _, lexerDiagnostics) = Lexer.tokenize(source)
        var state = ParserState(source: source, tokens: tokens)
        let query = try? state.parseQueryToEnd()
        return (query, state.kept(lexerDiagnostics) + state.diagnostics)
    }

    /// Words that cannot name a field or parameter.
    public static let keywords: Set<String> = [
        "and", "or", "not", "in", "contains", "starts", "ends", "with", "matches", "like", "exists", "is", "missing",
        "within", "older", "than", "before", "after", "where", "satisfies", "has", "every", "no", "rule",
        "param", "waive", "until", "because", "for", "true", "false", "ignoring", "case", "latest", "job", "jobs",
        "at", "least", "most", "exactly", "each", "of", "the", "last", "days", "day", "now",
    ]

    /// How deep expressions may nest before the parser stops (no stack overflow on any input).
    public static let maximumDepth = 64
    /// How tall an expression's tree may grow (long `+` chains); `and`/`or` chains are balanced,
    /// so they stay short however long.
    public static let maximumHeight = 200
}

/// Stops parsing the current item after a diagnostic has been recorded.
struct ParseAbort: Error {}

struct ParserState {
    let source: SourceFile
    let tokens: [Token]
    var index = 0
    var diagnostics: [Diagnostic] = []
    var depth = 0
    /// Tokens the lexer read without context and the parser read differently: `9abc` in a rule
    /// id is no invalid duration. The lexer's diagnostics for them are dropped.
    var reinterpreted: [SourceRange] = []

    init(source: SourceFile, tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    /// The lexer's diagnostics, without those about tokens the parser read differently.
    func kept(_ lexerDiagnostics: [Diagnostic]) -> [Diagnostic] {
        lexerDiagnostics.filter { diagnostic in
            !reinterpreted.contains { $0.start <= diagnostic.range.start && diagnostic.range.end <= $0.end }
        }
    }

    // MARK: Tokens

    var current: Token { tokens[index] }
    var previous: Token { tokens[max(0, index - 1)] }
    var atEnd: Bool { if case .endOfFile = current.kind { true } else { false } }

    func peek(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }

    mutating func advance() -> Token {
        let token = current
        if !atEnd { index += 1 }
        return token
    }

    mutating func accept(_ word: String) -> Bool {
        guard current.isIdentifier(word) else { return false }
        index += 1
        return true
    }

    mutating func acceptPunctuation(_ symbol: String) -> Bool {
        guard current.isPunctuation(symbol) else { return false }
        index += 1
        return true
    }

    @discardableResult
    mutating func expect(_ word: String, _ context: String) throws(ParseAbort) -> Token {
        guard current.isIdentifier(word) else { throw unexpected("'\(word)' \(context)") }
        return advance()
    }

    @discardableResult
    mutating func expectPunctuation(_ symbol: String, _ context: String) throws(ParseAbort) -> Token {
        guard current.isPunctuation(symbol) else { throw unexpected("'\(symbol)' \(context)") }
        return advance()
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, at range: SourceRange, notes: [Diagnostic.Note] = []) {
        diagnostics.append(Diagnostic(code, message, file: source.name, at: range, notes: notes))
    }

    /// Records "expected X, found Y" at the current token and returns the abort to throw.
    mutating func unexpected(_ expected: String, notes: [Diagnostic.Note] = []) -> ParseAbort {
        report(.unexpectedToken, "expected \(expected), found \(current.displayName)", at: current.range, notes: notes)
        return ParseAbort()
    }

    /// Skips to the next token that starts a line and satisfies `isResumePoint`. The token the
    /// failed construct started at is always skipped, so recovery makes progress; the token the
    /// error was found at is kept when it is a resume point (a `}` that closed too early).
    mutating func recover(from start: Int, _ isResumePoint: (Token) -> Bool) {
        if index == start && !atEnd { index += 1 }
        while !atEnd && !(current.startsLine && isResumePoint(current)) { index += 1 }
    }

    static let itemKeywords: Set<String> = ["rule", "param", "waive", "test"]

    // MARK: Items

    mutating func parseFile() -> [Item] {
        var items: [Item] = []
        while !atEnd {
            let start = index
            do throws(ParseAbort) {
                if current.isIdentifier("rule") {
                    items.append(.rule(try parseRule()))
                } else if current.isIdentifier("param") {
                    items.append(.parameter(try parseParameter()))
                } else if current.isIdentifier("waive") {
                    items.append(.waiver(try parseWaiver()))
                } else if current.isIdentifier("test") {
                    items.append(.test(try parseTest()))
                } else {
                    throw unexpected("'rule', 'param', 'waive' or 'test'")
                }
            } catch {
                recover(from: start) { $0.identifier.map(Self.itemKeywords.contains) ?? false }
            }
        }
        return items
    }

    mutating func parseParameter() throws(ParseAbort) -> ParameterDecl {
        let start = advance().range
        let name = try parseName("a parameter name after 'param'")
        try expectPunctuation("=", "after the parameter's name")
        let value = try parseExpression()
        return ParameterDecl(name: name, value: value, range: start.union(value.range))
    }

    mutating func parseName(_ what: String) throws(ParseAbort) -> Name {
        guard let text = current.identifier, !Parser.keywords.contains(text) else { throw unexpected(what) }
        return Name(text: text, range: advance().range)
    }

    /// A rule id: letters, digits, `-` and `_`, written without spaces (`ebs-daily`).
    mutating func parseRuleID() throws(ParseAbort) -> Name {
        guard let first = current.identifier else {
            switch current.kind {
            case .number, .duration, .size, .percent:
                reinterpreted.append(current.range)
                report(.invalidRuleID, "a rule id must start with a letter, found '\(source.text(current.range))'", at: current.range)
                throw ParseAbort()
            default:
                throw unexpected("a rule id (letters, digits, '-' and '_')")
            }
        }
        var text = first
        var range = advance().range
        while current.range.start == range.end {
            if current.isPunctuation("-") {
                index += 1
                text += "-"
                range = range.union(previous.range)
            } else if let word = current.identifier {
                text += word
                range = range.union(advance().range)
            } else if case .number(let digits) = current.kind {
                text += digits
                range = range.union(advance().range)
            } else if case .duration = current.kind {
                // `r-24h`, `r-9abc`: the lexer read "24h" as a duration, "9abc" as an invalid one.
                reinterpreted.append(current.range)
                text += source.text(current.range)
                range = range.union(advance().range)
            } else {
                break
            }
        }
        if text.hasSuffix("-") {
            report(.invalidRuleID, "a rule id cannot end with '-'", at: range)
        }
        return Name(text: text, range: range)
    }

    mutating func parseRule() throws(ParseAbort) -> RuleDecl {
        let start = advance().range
        let id = try parseRuleID()
        try expectPunctuation("{", "to open the rule")
        var metadata: [Metadata] = []
        var body: Body?
        var bodyAttempted = false
        while !current.isPunctuation("}") && !atEnd {
            // A rule keyword at the start of a line means this rule lost its closing brace.
            if current.startsLine, let word = current.identifier, Self.itemKeywords.contains(word) { break }
            let start = index
            do throws(ParseAbort) {
                if let word = current.identifier, let kind = Metadata.Kind(rawValue: word) {
                    let item = try parseMetadata(kind)
                    if let first = metadata.first(where: { $0.kind == kind }) {
                        report(.duplicateMetadata, "the rule already has a \(kind.rawValue)", at: item.range,
                               notes: [.init("first \(kind.rawValue) here", at: first.range)])
                    }
                    metadata.append(item)
                } else if current.isIdentifier("every") || current.isIdentifier("no") {
                    bodyAttempted = true
                    let parsed = try parseBody()
                    if let body {
                        report(.duplicateBody, "a rule has exactly one body; this is a second one", at: parsed.range,
                               notes: [.init("the first body", at: body.range)])
                    } else {
                        body = parsed
                    }
                } else if let word = current.identifier {
                    let known = Metadata.Kind.allCases.map(\.rawValue) + ["every", "no"]
                    let suggestion = Suggestions.closest(to: word, among: known)
                    report(.unknownMetadata, "'\(word)' is not a metadata keyword or a body",
                           at: current.range,
                           notes: suggestion.map { [.init("did you mean '\($0)'?")] }
                               ?? [.init("a rule holds title, description, severity, controls, remediation, and one every/no body")])
                    throw ParseAbort()
                } else {
                    throw unexpected("metadata (title, severity, ...) or a body (every ..., no ...)")
                }
            } catch {
                recover(from: start) { token in
                    token.isPunctuation("}") || token.identifier.map {
                        Metadata.Kind(rawValue: $0) != nil || $0 == "every" || $0 == "no" || Self.itemKeywords.contains($0)
                    } ?? false
                }
            }
        }
        let end = current.range
        if !acceptPunctuation("}") {
            report(.unexpectedToken, "expected '}' to close rule \(id.text), found \(current.displayName)", at: current.range)
        }
        // A body that failed to parse has its own error; "no body" would only repeat it.
        if body == nil && !bodyAttempted {
            report(.missingBody, "rule \(id.text) has no body: add 'every ...' or 'no ...'", at: id.range)
        }
        return RuleDecl(id: id, metadata: metadata, body: body, range: start.union(end))
    }

    mutating func parseMetadata(_ kind: Metadata.Kind) throws(ParseAbort) -> Metadata {
        let start = advance().range
        var values: [Expr] = []
        switch kind {
        case .severity:
            guard let word = current.identifier else { throw unexpected("a severity (info, low, medium, high, critical)") }
            values.append(Expr(.name(word), advance().range))
        case .controls:
            repeat { values.append(try parseStringLiteral("a control (a string, like \"SOC2 CC7.4\")")) } while acceptPunctuation(",")
        case .title, .description, .remediation:
            values.append(try parseStringLiteral("the \(kind.rawValue) as a string"))
        }
        return Metadata(kind: kind, values: values, range: start.union(values.last!.range))
    }

    mutating func parseStringLiteral(_ what: String) throws(ParseAbort) -> Expr {
        guard case .string(let value) = current.kind else { throw unexpected(what) }
        return Expr(.string(value), advance().range)
    }

    // MARK: Tests

    static let testStatementWords = ["now", "param", "jobs", "job", "expect"]

    mutating func parseTest() throws(ParseAbort) -> TestDecl {
        let start = advance().range
        let name = try parseStringLiteral("the test's name as a string (test \"stale volumes fail\" {)")
        try expectPunctuation("{", "to open the test")
        var statements: [TestStatement] = []
        while !current.isPunctuation("}") && !atEnd {
            if current.startsLine, let word = current.identifier, Self.itemKeywords.contains(word), word != "param" { break }
            let statementStart = index
            do throws(ParseAbort) {
                statements.append(try parseTestStatement())
            } catch {
                recover(from: statementStart) { token in
                    token.isPunctuation("}") || token.identifier.map { Self.testStatementWords.contains($0) || Self.itemKeywords.contains($0) } ?? false
                }
            }
        }
        let end = current.range
        if !acceptPunctuation("}") {
            report(.unexpectedToken, "expected '}' to close the test, found \(current.displayName)", at: current.range)
        }
        return TestDecl(name: name, statements: statements, range: start.union(end))
    }

    mutating func parseTestStatement() throws(ParseAbort) -> TestStatement {
        let start = current.range
        if accept("now") {
            guard case .timestamp = current.kind else { throw unexpected("the time to judge at (now 2026-11-28T12:00:00Z)") }
            let time = try parsePrimary()
            return .now(time, range: start.union(time.range))
        }
        if current.isIdentifier("param") {
            return .parameter(try parseParameter())
        }
        if accept("jobs") {
            let path = try parseStringLiteral("a listing file as a string (jobs \"fixtures/stale.json\")")
            return .fixture(path, range: start.union(path.range))
        }
        let kindWord = kindQualifier(before: "job")
        if accept("job") {
            try expectPunctuation("{", "to open the job (job { BackupJobId = \"j1\", State = FAILED })")
            var members: [JobMember] = []
            while !current.isPunctuation("}") {
                let field = try parsePostfix()
                try expectPunctuation("=", "after the field, then its value (State = FAILED)")
                let value = try parseExpression()
                members.append(JobMember(field: field, value: value, range: field.range.union(value.range)))
                guard acceptPunctuation(",") else { break }
            }
            let end = try expectPunctuation("}", "to close the job").range
            return .job(InlineJob(kind: kindWord, members: members, range: start.union(end)))
        }
        if accept("expect") {
            let rule = try parseRuleID()
            let passes: Bool
            if accept("passes") {
                passes = true
            } else if accept("fails") {
                passes = false
            } else {
                throw unexpected("'passes' or 'fails' after the rule id")
            }
            let subject = accept("for") ? try parseStringLiteral("the subject's id as a string") : nil
            return .expectation(Expectation(rule: rule, passes: passes, subject: subject, range: start.union(previous.range)))
        }
        let word = current.identifier ?? ""
        let suggestion = Suggestions.closest(to: word, among: Self.testStatementWords)
        report(.unexpectedToken, "expected a test statement (now, param, jobs, job, expect), found \(current.displayName)", at: current.range,
               notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [])
        throw ParseAbort()
    }

    mutating func parseWaiver() throws(ParseAbort) -> WaiverDecl {
        let start = advance().range
        let rule = try parseRuleID()
        let target: WaiverDecl.Target
        if accept("for") {
            var subjects: [Expr] = []
            repeat { subjects.append(try parseStringLiteral("the id of a subject to waive, as a string")) } while acceptPunctuation(",")
            target = .subjects(subjects)
        } else if accept("where") {
            target = .matching(try parseExpression())
        } else {
            throw unexpected("'for \"SUBJECT-ID\"' or 'where CONDITION' after the rule id")
        }
        try expect("until", "and a date: every waiver expires (until 2027-01-31)")
        let until = try parsePrimary()
        try expect("because", "and a reason: every waiver says why (because \"...\")")
        let reason = try parseStringLiteral("the reason as a string")
        return WaiverDecl(rule: rule, target: target, until: until, reason: reason, range: start.union(reason.range))
    }

    // MARK: Bodies

    mutating func parseQueryToEnd() throws(ParseAbort) -> Query {
        let start = current.range
        _ = accept("every")  // `every job where ...` reads the same
        let subject = try parseSubject()
        let filter = accept("where") ? try parseExpression() : nil
        guard atEnd else { throw unexpected(filter == nil ? "'where' and a condition, or the end of the query" : "the end of the query") }
        return Query(subject: subject, filter: filter, range: start.union(filter?.range ?? subject.range))
    }

    mutating func parseBodyToEnd() throws(ParseAbort) -> Body {
        let body = try parseBody()
        guard atEnd else { throw unexpected("the end of the rule body") }
        return body
    }

    mutating func parseBody() throws(ParseAbort) -> Body {
        let start = current.range
        if accept("no") {
            let subject = try parseSubject()
            try expect("where", "after the subject: 'no SUBJECT where CONDITION'")
            let filter = try parseExpression()
            return .no(subject, filter: filter, range: start.union(filter.range))
        }
        try expect("every", "to start a body")
        let subject = try parseSubject()
        let filter = accept("where") ? try parseExpression() : nil
        let assertion = try parseAssertion()
        return .every(subject, filter: filter, assertion, range: start.union(assertion.range))
    }

    static let subjectWords = ["job", "resource", "account", "vault", "plan", "resource type", "group by"]

    /// A word naming a kind of record before `job` or `jobs` (`copy` in `copy job`), consumed;
    /// nil, consuming nothing, when the next tokens are not such a pair. The checker resolves
    /// the word against its environment.
    mutating func kindQualifier(before nouns: String...) -> Name? {
        guard let word = current.identifier, !Parser.keywords.contains(word), word.first?.isLowercase == true,
              nouns.contains(where: { peek().isIdentifier($0) }) else { return nil }
        return Name(text: word, range: advance().range)
    }

    mutating func parseSubject() throws(ParseAbort) -> Subject {
        let start = current.range
        let kind: Subject.Kind
        let kindWord = kindQualifier(before: "job")
        if accept("job") {
            kind = .job(kindWord)
        } else if accept("resource") {
            kind = accept("type") ? .resourceType : .resource
        } else if accept("account") {
            kind = .account
        } else if accept("vault") {
            kind = .vault
        } else if accept("plan") {
            kind = .plan
        } else if accept("group") {
            try expect("by", "in 'group by FIELD'")
            kind = .group(by: try parsePostfix())
        } else {
            let word = current.identifier ?? ""
            let suggestion = Suggestions.closest(to: word, among: Self.subjectWords + ["jobs", "resources", "accounts", "vaults", "plans"])
                .map { $0.hasSuffix("s") && $0 != "resource type" ? String($0.dropLast()) : $0 }
            report(.unknownSubject, "expected a subject (job, resource, account, vault, plan, resource type, group by FIELD), found \(current.displayName)",
                   at: current.range, notes: suggestion.map { [.init("did you mean '\($0)'?")] } ?? [])
            throw ParseAbort()
        }
        return Subject(kind: kind, range: start.union(previous.range))
    }

    mutating func parseAssertion() throws(ParseAbort) -> Assertion {
        let start = current.range
        if accept("satisfies") {
            let condition = try parseExpression()
            return .satisfies(condition, range: start.union(condition.range))
        }
        if accept("latest") {
            let kindWord = kindQualifier(before: "job")
            try expect("job", "in 'latest job [where ...] satisfies ...'")
            let filter = accept("where") ? try parseExpression() : nil
            try expect("satisfies", "after 'latest job': 'latest job [where ...] satisfies CONDITION'")
            let condition = try parseExpression()
            return .latest(kind: kindWord, filter: filter, condition: condition, range: start.union(condition.range))
        }
        guard accept("has") else { throw unexpected("an assertion: 'satisfies ...', 'has ... job ...' or 'latest job ...'") }
        let quantity: Quantity
        if accept("at") {
            if accept("least") {
                quantity = .atLeast(try parsePrimary())
            } else {
                try expect("most", "in 'at least N' or 'at most N'")
                quantity = .atMost(try parsePrimary())
            }
        } else if accept("exactly") {
            quantity = .exactly(try parsePrimary())
        } else if accept("no") {
            quantity = .none
        } else {
            quantity = .some
        }
        let kindWord = kindQualifier(before: "job", "jobs")
        guard accept("job") || accept("jobs") else { throw unexpected("'job' or 'jobs'") }
        var end = previous.range
        let filter = accept("where") ? try parseExpression() : nil
        if let filter { end = filter.range }
        var days: Expr?
        if current.isIdentifier("in") && peek().isIdentifier("each") {
            index += 2
            try expect("of", "in 'in each of the last N days'")
            try expect("the", "in 'in each of the last N days'")
            try expect("last", "in 'in each of the last N days'")
            days = try parsePrimary()
            guard accept("days") || accept("day") else { throw unexpected("'days' in 'in each of the last N days'") }
            end = previous.range
        }
        return .has(quantity, kind: kindWord, filter: filter, eachOfLastDays: days, range: start.union(end))
    }
}
