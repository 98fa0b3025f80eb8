public import BackupJobs

/// A rule file parsed, ready to check.
public struct ParsedRuleFile: Sendable {
    public let source: SourceFile
    public let syntax: RuleFile
    public let diagnostics: [Diagnostic]

    public init(_ source: SourceFile) {
        self.source = source
        (syntax, diagnostics) = Parser.parse(source)
    }

    init(source: SourceFile, syntax: RuleFile, diagnostics: [Diagnostic]) {
        self.source = source
        self.syntax = syntax
        self.diagnostics = diagnostics
    }
}

/// A parameter's value given from outside the rule files (by the caller, or by a test's `param`);
/// it is parsed like a literal in a rule file.
public struct ParameterOverride: Sendable {
    public let name: String
    /// The value's text, the source its diagnostics point into. It is named `parameter rpo`
    /// unless the caller names it as its users write it: the library does not know how (the
    /// command line names it after its flag).
    public let value: SourceFile

    public init(name: String, value: String, sourceName: String? = nil) {
        self.name = name
        self.value = SourceFile(name: sourceName ?? Self.defaultSourceName(name), text: value)
    }

    /// `parameter rpo`: the source name of an override whose caller gave none.
    public static func defaultSourceName(_ name: String) -> String {
        "parameter \(name)"
    }
}

/// Parses and checks a rule set (the files of a directory, or several files) as one unit.
public enum RuleSet {
    /// Checks rule files against an environment (the kinds of records, their fields, subjects,
    /// group keys and relations) and compiles them. The program is `nil` when any error was
    /// found; warnings come with a program.
    ///
    /// - Parameters:
    ///   - now: the time the rules will be evaluated at, for the expired-waiver warning.
    ///   - environment: what rules may name; by default the generated schemas of every kind.
    public static func compile(
        _ files: [ParsedRuleFile], overrides: [ParameterOverride] = [], now: Timestamp? = nil,
        environment: RuleEnvironment = .standard
    ) -> (program: RuleProgram?, diagnostics: [Diagnostic]) {
        var checker = RuleSetChecker(files: files, now: now, environment: environment)
        let program = checker.run(overrides: overrides)
        let diagnostics = files.flatMap(\.diagnostics) + checker.diagnostics
        return (diagnostics.hasErrors ? nil : program, diagnostics.sorted(by: Self.order))
    }

    public static func compile(
        _ sources: [SourceFile], overrides: [ParameterOverride] = [], now: Timestamp? = nil,
        environment: RuleEnvironment = .standard
    ) -> (program: RuleProgram?, diagnostics: [Diagnostic]) {
        compile(sources.map(ParsedRuleFile.init), overrides: overrides, now: now, environment: environment)
    }

    /// An ad-hoc rule (`backup-audit eval`): a body without the `rule` around it, checked and
    /// compiled as a rule with the id `id` and the body as its title, at severity `severity`.
    /// Diagnostics point into `body` itself. The lint for a missing title does not apply.
    public static func compile(
        body source: SourceFile, id: String = "eval", severity: RuleSeverity = .high, now: Timestamp? = nil,
        environment: RuleEnvironment = .standard
    ) -> (program: RuleProgram?, diagnostics: [Diagnostic]) {
        let (body, parseDiagnostics) = Parser.parseBody(source)
        guard let body else { return (nil, parseDiagnostics) }
        let severityWord = Expr(.name(severity.rawValue), SourceRange(0, 0))
        let rule = RuleDecl(
            id: Name(text: id, range: SourceRange(0, 0)),
            metadata: [Metadata(kind: .severity, values: [severityWord], range: SourceRange(0, 0))],
            body: body, range: body.range)
        let file = ParsedRuleFile(source: source, syntax: RuleFile(items: [.rule(rule)], comments: []), diagnostics: parseDiagnostics)
        var (program, diagnostics) = compile([file], now: now, environment: environment)
        diagnostics.removeAll { $0.code == DiagnosticCode.missingTitle }
        let title = source.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if program != nil { program!.rules[0].title = title }
        return (diagnostics.hasErrors ? nil : program, diagnostics)
    }

    /// File order as given, then position, then errors before warnings.
    static func order(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.file, a.range.start, b.severity) < (b.file, b.range.start, a.severity)
    }
}
