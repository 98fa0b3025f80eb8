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
}

/// A `--param NAME=VALUE` override; its value is parsed like a literal in a rule file.
public struct ParameterOverride: Sendable {
    public let name: String
    /// The value's text, named for diagnostics (`--param rpo`).
    public let value: SourceFile

    public init(name: String, value: String) {
        self.name = name
        self.value = SourceFile(name: "--param \(name)", text: value)
    }
}

/// Parses and checks a rule set (the files of a directory, or several files) as one unit.
public enum RuleSet {
    /// Checks rule files against the job schema and compiles them. The program is `nil` when any
    /// error was found; warnings come with a program.
    ///
    /// - Parameters:
    ///   - now: the time the rules will be evaluated at, for the expired-waiver warning.
    public static func compile(
        _ files: [ParsedRuleFile], overrides: [ParameterOverride] = [], now: Timestamp? = nil
    ) -> (program: RuleProgram?, diagnostics: [Diagnostic]) {
        var checker = RuleSetChecker(files: files, now: now)
        let program = checker.run(overrides: overrides)
        let diagnostics = files.flatMap(\.diagnostics) + checker.diagnostics
        return (diagnostics.hasErrors ? nil : program, diagnostics.sorted(by: Self.order))
    }

    public static func compile(
        _ sources: [SourceFile], overrides: [ParameterOverride] = [], now: Timestamp? = nil
    ) -> (program: RuleProgram?, diagnostics: [Diagnostic]) {
        compile(sources.map(ParsedRuleFile.init), overrides: overrides, now: now)
    }

    /// File order as given, then position, then errors before warnings.
    static func order(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        (a.file, a.range.start, b.severity) < (b.file, b.range.start, a.severity)
    }
}
