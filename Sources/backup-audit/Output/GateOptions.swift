import ArgumentParser
import BackupJobs
import Foundation
import Reports
import RuleEngine
import RuleLanguage

/// How a gate judges and reports: the time, the reports, what fails the run. Shared by `check`
/// and `eval`, so an ad-hoc rule is judged exactly as a rule from a file.
struct GateOptions: ParsableArguments {
    @OptionGroup var clock: ClockOptions

    @Option(name: .customLong("report"), help: ArgumentHelp("A report to write: FORMAT[=FILE] (repeatable).", valueName: "format[=file]"))
    var reports: [String] = []

    @Option(help: ArgumentHelp("Fail (exit status 1) on failing rules of this severity or higher.", valueName: "severity"))
    var failOn: RuleSeverity = .info

    @Flag(help: "A rule with no subject in scope fails instead of being reported empty.")
    var strict = false

    @Flag(help: "Judge inputs that hold no jobs (every rule is then empty, and every report says the data was empty).")
    var allowEmpty = false

    @Flag(help: "List passing subjects and full explanations in the text report.")
    var verbose = false

    @Option(help: "JUnit cases: one per rule (default: stable names, small files), or one per subject.")
    var junitGranularity: JUnitReporter.Granularity = .rule

    @Flag(help: "Print how long each phase took (rules, jobs, evaluation, reports) to standard error.")
    var timings = false

    func validate() throws {
        _ = try requests()
    }

    /// The reports asked for, with where they go (`nil`: standard output).
    func requests() throws -> [(format: ReportFormat, path: String?)] {
        let parsed = try reports.map { text -> (ReportFormat, String?) in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let format = ReportFormat(rawValue: parts[0]) else {
                throw ValidationError("unknown report format '\(parts[0])'; formats: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let path = parts.count == 2 && !OutputTarget.standardOutputNames.contains(parts[1]) && !parts[1].isEmpty ? parts[1] : nil
            return (format, path)
        }
        let toStandardOutput = parsed.filter { $0.1 == nil }
        guard toStandardOutput.count <= 1 else {
            throw ValidationError("only one report can go to standard output; give the others a file: --report junit=out/backup.xml")
        }
        return parsed.isEmpty ? [(.text, nil)] : parsed
    }

    /// The reports asked for, resolved and checked before any work, together with the run's
    /// other files (`--save-jobs`), so that no two lead to one file. A report that could not be
    /// written stops the run here, with exit status 2, before rules, jobs or a fetch.
    func plannedReports(besides others: [(what: String, path: String)] = []) throws -> [PlannedReport] {
        let requests = try requests()
        do {
            let outputs = try OutputPlan.check(requests.map { ("\($0.format.rawValue) report", $0.path) } + others.map { ($0.what, $0.path) })
            return zip(requests, outputs).map { PlannedReport(format: $0.format, output: $1) }
        } catch {
            Terminal.error("backup-audit: cannot write \(error); nothing was evaluated")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }

    /// Evaluates the program over the listing, writes the reports (all of them, or no file), and
    /// throws exit status 2 when a rule could not be evaluated (the reports say which and why),
    /// else 1 when a rule fails at or above `--fail-on`.
    func judge(
        _ program: RuleProgram, ruleFiles: [String], listing: JobListing, at time: Timestamp, reports: [PlannedReport],
        command: String = "check", phases: inout PhaseTimer
    ) async throws {
        guard !listing.table.isEmpty || allowEmpty else {
            Terminal.error("backup-audit: the inputs hold no jobs; nothing can be judged on them (a fetch with a wrong Region, account or filter finds none); --allow-empty judges them anyway, with every rule reported empty")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        phases.lap("jobs", detail: "\(listing.table.count) jobs, \(listing.inputs.reduce(0) { $0 + $1.bytes } / 1_000_000) MB")
        let evaluation = await Evaluator.evaluate(
            program, jobs: listing.table, now: time,
            options: EvaluationOptions(recordPasses: verbose || junitGranularity == .subject, strict: strict))
        let context = ReportContext(
            evaluation: evaluation, inputs: listing.inputs, ruleFiles: ruleFiles,
            parameters: program.parameters, toolVersion: BackupAuditVersion.current, hostname: Host.name,
            completeness: listing.completeness, conflicts: listing.conflicts)
        phases.lap("evaluation", detail: "\(program.rules.count) rules")
        do {
            let rendered = try reports.map { report in
                (report.output, try reporter(report.format, to: report.output.target, command: command).render(context))
            }
            try OutputWriter.write(rendered)
        } catch {
            Terminal.error("backup-audit: the rules were evaluated, but the reports were not written: cannot write \(error)")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        phases.lap("reports")
        phases.report()
        // A rule that could not be evaluated is not judged, so the gate is not either: not a
        // pass, and not a plain failure a severity threshold could wave through.
        let unjudged = evaluation.results.filter { $0.status == .error }
        for result in unjudged {
            Terminal.error("backup-audit: rule \(result.rule.id) could not be evaluated: \(result.errorMessage ?? "unknown error")")
        }
        if !unjudged.isEmpty { throw ExitCode(ExitStatus.invalidInput.rawValue) }
        let failing = evaluation.results.filter { $0.status == .fail && $0.rule.severity >= failOn }
        if !failing.isEmpty { throw ExitCode(ExitStatus.ruleFailed.rawValue) }
    }

    private func reporter(_ format: ReportFormat, to target: OutputTarget, command: String) -> any Reporter {
        switch format {
        case .text: TextReporter(color: target == .standardOutput && Terminal.supportsColor, verbose: verbose, command: command)
        case .junit: JUnitReporter(granularity: junitGranularity)
        case .json: JSONReporter()
        case .csv: CSVReporter()
        case .markdown: MarkdownReporter()
        case .sarif: SARIFReporter()
        }
    }
}

/// A report of a run: its format and where it goes, checked before the run.
struct PlannedReport {
    let format: ReportFormat
    let output: PlannedOutput
}
