import ArgumentParser
import RuleLanguage

struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate one rule written on the command line.",
        discussion: """
            The rule is a body without the `rule` around it, exactly as in a rule file: \
            'every resource where ResourceType == "EBS" has job where State == COMPLETED and \
            CompletionDate within 24h'. It is checked, evaluated and reported as `check` would \
            (same diagnostics, reports and exit status), under the id `eval`.

            \(ExitStatus.help)
            """
    )

    @Argument(help: ArgumentHelp("The rule body: every ... or no ...", valueName: "body"))
    var body: String

    @OptionGroup var source: JobSourceOptions
    @OptionGroup var gate: GateOptions

    func run() async throws {
        var phases = PhaseTimer(enabled: gate.timings)
        let evaluationTime = try gate.clock.instant()
        let reports = try gate.plannedReports(besides: source.outputs)
        let file = SourceFile(name: "<eval>", text: body)
        let (compiled, diagnostics) = RuleSet.compile(body: file, now: evaluationTime)
        if !diagnostics.isEmpty { Terminal.error(DiagnosticRenderer.render(diagnostics, sources: [file.name: file])) }
        guard let program = compiled else {
            Terminal.error("backup-audit: the rule has errors; nothing was evaluated")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        phases.lap("rules")
        let listing = try await source.load(now: evaluationTime)
        try await gate.judge(program, ruleFiles: [], listing: listing, at: evaluationTime, reports: reports, command: "eval", incompleteAllowed: source.allowIncomplete, phases: &phases)
    }
}
