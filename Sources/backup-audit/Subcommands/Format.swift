import ArgumentParser
import Foundation
import RuleLanguage

struct Format: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite rule files in the canonical layout.",
        discussion: """
            Formats every file given and every .rules file of the directories given, in place, \
            keeping comments. - formats standard input to standard output. A file with syntax \
            errors is left alone and its errors are shown (exit status 2). With --check or --diff \
            nothing is written and the exit status is 1 if any file would change, as for diff; \
            --diff also shows the changes.
            """
    )

    @Argument(help: ArgumentHelp("Rule files and directories; - reads standard input.", valueName: "path"))
    var paths: [String]

    @Flag(help: "Change nothing; exit with status 1 if a file is not formatted.")
    var check = false

    @Flag(help: "Change nothing; print a unified diff of what would change; exit with status 1 if there is one.")
    var diff = false

    func run() throws {
        let sources = RuleSources(paths: paths)
        var failed = !sources.problems.isEmpty
        var unformatted: [String] = []
        if !sources.problems.isEmpty {
            Terminal.error(DiagnosticRenderer.render(sources.problems, sources: [:]))
        }
        for source in sources.files {
            let (syntax, diagnostics) = Parser.parse(source)
            guard !diagnostics.hasErrors else {
                Terminal.error(DiagnosticRenderer.render(diagnostics.errors, sources: [source.name: source]))
                failed = true
                continue
            }
            let formatted = Formatter.format(syntax, source: source)
            if source.name == "<stdin>" && !check && !diff {
                Terminal.write(formatted)
                continue
            }
            guard formatted != source.text else { continue }
            unformatted.append(source.name)
            if diff {
                Terminal.output(UnifiedDiff.render(old: source.text, new: formatted, oldName: source.name, newName: source.name))
            } else if check {
                Terminal.output("would reformat \(source.name)")
            } else {
                // Replaced whole, through the links to it, keeping its permissions.
                do {
                    try FileOutput.replace(source.name) { try FileOutput.writeAll(Array(formatted.utf8), to: $0, name: source.name) }
                    Terminal.error("reformatted \(source.name)")
                } catch {
                    Terminal.error("backup-audit: cannot write \(error)")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(ExitStatus.invalidInput.rawValue) }
        if (check || diff) && !unformatted.isEmpty { throw ExitCode(ExitStatus.ruleFailed.rawValue) }
    }
}
