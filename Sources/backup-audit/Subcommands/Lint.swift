import ArgumentParser
import BackupJobs
import Foundation
import RuleLanguage

/// Options naming a rule set; shared by every command that reads rules.
struct RuleInputOptions: ParsableArguments {
    @Option(name: .customLong("param"), help: ArgumentHelp("Override a rule parameter: NAME=VALUE, the value written as in a rule file (48h, 10%, \"text\").", valueName: "name=value"))
    var parameters: [String] = []

    func overrides() throws -> [ParameterOverride] {
        try parameters.map { assignment in
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--param takes NAME=VALUE, for example --param rpo=48h; got '\(assignment)'")
            }
            let name = String(assignment[..<equals])
            // Diagnostics point into the value as the user gave it: `--param rpo:1:1: error...`.
            return ParameterOverride(name: name, value: String(assignment[assignment.index(after: equals)...]), sourceName: "--param \(name)")
        }
    }
}

enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rule files without running them.",
        discussion: """
            Parses and type-checks the rules against the AWS Backup job schema, as one rule set: \
            the files given and every .rules file of the directories given. Exit status 0 when \
            there is no error (warnings too, with --strict), 2 otherwise.
            """
    )

    @Argument(help: ArgumentHelp("Rule files and directories; - reads standard input.", valueName: "path"))
    var paths: [String]

    @OptionGroup var rules: RuleInputOptions

    @Option(help: "Output: text (for people), json, or github (workflow annotations).")
    var format: DiagnosticFormat = .text

    @Flag(help: "Treat warnings as errors (exit status 2).")
    var strict = false

    @Option(help: ArgumentHelp("The time to judge waiver expiry by (ISO 8601); default: now.", valueName: "timestamp"))
    var now: String?

    func run() throws {
        let sources = RuleSources(paths: paths)
        let overrides = try rules.overrides()
        let evaluationTime = try TimeArgument.instant(now)
        let (_, checked) = RuleSet.compile(sources.files, overrides: overrides, now: evaluationTime)
        let diagnostics = sources.problems + checked
        var registry = sources.byName
        for override in overrides { registry[override.value.name] = override.value }
        let rendered = DiagnosticOutput.render(diagnostics, format: format, sources: registry, fileCount: sources.files.count)
        if format == .text { Terminal.output(rendered) } else { Terminal.outputExactly(rendered) }
        if diagnostics.hasErrors || (strict && !diagnostics.warnings.isEmpty) {
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }
}
