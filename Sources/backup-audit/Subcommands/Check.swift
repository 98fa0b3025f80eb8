// Public: RuleSeverity and Granularity conform to ExpressibleByArgument here.
public import ArgumentParser
import AWSBackupClient
import BackupJobs
import Foundation
import Gate
public import Reports
import RuleEngine
public import RuleLanguage

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate rules over backup jobs: the CI gate.",
        discussion: """
            Loads the rules (every .rules file of the directories given, as one rule set) and the \
            jobs, evaluates every rule, writes the reports, and sets the exit status. Nothing is \
            evaluated when the rules, parameters or data are invalid, when the listing is \
            incomplete (unless --allow-incomplete) or holds no job (unless --allow-empty), or when \
            versions of a job conflict with --on-conflict fail.

            Reports: --report FORMAT[=FILE], repeatable; FORMAT is one of \
            \(ReportFormat.all.map(\.name).joined(separator: ", ")); without =FILE (or with =-) the \
            report goes to standard output. Default: text.

            \(ExitStatus.help)
            """
    )

    @Option(name: .customLong("rules"), parsing: .upToNextOption,
            help: ArgumentHelp("Rule files and directories (one rule set).", valueName: "path"))
    var rulePaths: [String]

    @OptionGroup var source: JobSourceOptions
    @OptionGroup var rules: RuleInputOptions

    @Option(name: .customLong("rule"), help: ArgumentHelp("Evaluate only this rule (repeatable).", valueName: "id"))
    var onlyRules: [String] = []

    @Option(help: ArgumentHelp("Evaluate only rules of this severity or higher.", valueName: "severity"))
    var severityAtLeast: RuleSeverity?

    @OptionGroup var gate: GateOptions

    func run() async throws {
        var phases = PhaseTimer(enabled: gate.timings)
        let evaluationTime = try gate.clock.instant()
        let reports = try gate.plannedReports(besides: source.outputs)

        // Rules first: a broken rule set is reported before any data is read.
        let sources = RuleSources(paths: rulePaths)
        let overrides = try rules.overrides()
        let (compiled, diagnostics) = RuleSet.compile(sources.files, overrides: overrides, now: evaluationTime)
        var registry = sources.byName
        for override in overrides { registry[override.value.name] = override.value }
        let problems = sources.problems + diagnostics
        if !problems.isEmpty { Terminal.error(DiagnosticRenderer.render(problems, sources: registry)) }
        guard var program = compiled, !problems.hasErrors else {
            Terminal.error("backup-audit: the rules have errors; nothing was evaluated")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        program.rules = try selected(program.rules)
        phases.lap("rules")

        let listing = try await source.load(now: evaluationTime, reading: program.kindsRead)
        try await gate.judge(program, ruleFiles: sources.files.map(\.name), listing: listing, at: evaluationTime, reports: reports, incompleteAllowed: source.allowIncomplete, phases: &phases)
    }

    private func selected(_ all: [CompiledRule]) throws -> [CompiledRule] {
        let ids = Set(all.map(\.id))
        for id in onlyRules where !ids.contains(id) {
            let suggestion = Spelling.closest(to: id, among: Array(ids), limit: 1).first.map { "; did you mean '\($0)'?" } ?? ""
            throw ValidationError("there is no rule '\(id)'\(suggestion)")
        }
        let chosen = all.filter { rule in
            (onlyRules.isEmpty || onlyRules.contains(rule.id)) && rule.severity >= (severityAtLeast ?? .info)
        }
        guard !chosen.isEmpty else {
            throw ValidationError(all.isEmpty ? "the rule files hold no rule" : "no rule is left to check after --rule and --severity-at-least")
        }
        return chosen
    }
}

extension RuleProgram {
    /// The kinds of records the rules read, which `--fetch` fetches: each rule's subject kind
    /// (backup jobs for groups) and the kinds its groups are related to.
    var kindsRead: Set<RecordKind> {
        Set(Gate.kindsRead(by: self))
    }
}

// The command line is the only place these are parsed from arguments.
extension RuleSeverity: ExpressibleByArgument {}
extension JUnitReporter.Granularity: ExpressibleByArgument {}

enum Host {
    static var name: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// `--timings`: how long each phase of a run took.
struct PhaseTimer {
    let enabled: Bool
    private let clock = ContinuousClock()
    private var last: ContinuousClock.Instant
    private var laps: [String] = []

    init(enabled: Bool) {
        self.enabled = enabled
        last = clock.now
    }

    mutating func lap(_ phase: String, detail: String? = nil) {
        guard enabled else { return }
        let now = clock.now
        let elapsed = now - last
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        laps.append("\(phase) \(String(format: "%.3f", seconds)) s" + (detail.map { " (\($0))" } ?? ""))
    }

    func report() {
        guard enabled else { return }
        Terminal.error("timings: " + laps.joined(separator: ", "))
    }
}
