import ArgumentParser
import BackupJobs
import Foundation
import Gate
import Reports
import RuleEngine
import RuleLanguage

/// How a gate judges and reports: the time, the reports, what fails the run. Shared by `check`
/// and `eval`, so an ad-hoc rule is judged exactly as a rule from a file.
struct GateOptions: ParsableArguments {
    @OptionGroup var clock: ClockOptions

    @Option(name: .customLong("report"), help: ArgumentHelp("A report to write: FORMAT[=FILE] (repeatable); FORMAT: \(ReportFormat.all.map(\.name).joined(separator: ", ")).", valueName: "format[=file]"))
    var reports: [String] = []

    @Option(help: ArgumentHelp("Fail (exit status 1) on failing rules of this severity or higher.", valueName: "severity"))
    var failOn: RuleSeverity = .info

    @Flag(help: "A rule with no subject in scope fails instead of being reported empty.")
    var strict = false

    @Flag(help: "Judge inputs that hold no jobs (every rule is then empty, and every report says the data was empty).")
    var allowEmpty = false

    @Option(name: .customLong("allow-missing-kind"),
            help: ArgumentHelp("A kind of record the inputs may lack (backup, copy or restore; repeatable): rules reading it are reported not judged without failing the run.", valueName: "kind"))
    var allowMissingKinds: [FetchKind] = []

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
            guard let format = ReportFormat.named(parts[0]) else {
                throw ValidationError("unknown report format '\(parts[0])'; formats: \(ReportFormat.all.map(\.name).joined(separator: ", "))")
            }
            let path = parts.count == 2 && !OutputTarget.standardOutputNames.contains(parts[1]) && !parts[1].isEmpty ? parts[1] : nil
            return (format, path)
        }
        let toStandardOutput = parsed.filter { $0.1 == nil }
        guard toStandardOutput.count <= 1 else {
            throw ValidationError("only one report can go to standard output; give the others a file: --report junit=out/backup.xml")
        }
        return parsed.isEmpty ? [(ReportFormat.text, nil)] : parsed
    }

    /// The reports asked for, resolved and checked before any work, together with the run's
    /// other files (`--save-jobs`), so that no two lead to one file. A report that could not be
    /// written stops the run here, with exit status 2, before rules, jobs or a fetch.
    func plannedReports(besides others: [(what: String, path: String)] = []) throws -> [PlannedReport] {
        let requests = try requests()
        do {
            let outputs = try OutputPlan.check(requests.map { ("\($0.format.name) report", $0.path) } + others.map { ($0.what, $0.path) })
            return zip(requests, outputs).map { PlannedReport(format: $0.format, output: $1) }
        } catch {
            Terminal.error("backup-audit: cannot write \(error); nothing was evaluated")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }

    /// The gate these options describe; `incompleteAllowed` is the source's --allow-incomplete.
    func libraryGate(incompleteAllowed: Bool) -> Gate {
        Gate(options: Gate.Options(failOn: failOn, strict: strict, allowsEmptyData: allowEmpty, allowsIncompleteData: incompleteAllowed,
                                   recordsPasses: verbose || junitGranularity == .subject, absentKindsAllowed: Set(allowMissingKinds.map(\.kind))))
    }

    /// Judges the program over the listing (Gate), writes the reports (all of them, or no file),
    /// and throws exit status 2 when the data cannot be judged or a rule could not be evaluated
    /// (the reports say which and why), else 1 when a rule fails at or above `--fail-on`.
    func judge(
        _ program: RuleProgram, ruleFiles: [String], listing: Listing, at time: Timestamp, reports: [PlannedReport],
        command: String = "check", incompleteAllowed: Bool, phases: inout PhaseTimer
    ) async throws {
        let gate = libraryGate(incompleteAllowed: incompleteAllowed)
        phases.lap("jobs", detail: "\(listing.jobCount) jobs, \(listing.inputs.reduce(0) { $0 + $1.bytes } / 1_000_000) MB")
        let verdict: Gate.Verdict
        do {
            verdict = try await gate.evaluate(
                program, listing: listing, at: time,
                provenance: Gate.Provenance(ruleFiles: ruleFiles, toolVersion: BackupAuditVersion.current, hostname: Host.name))
        } catch .noJobs {
            // Nothing the rules read: a fetch with a wrong Region, account or filter finds none.
            let read = Gate.kindsRead(by: program)
            let others = listing.tables.filter { !$0.isEmpty }.map(\.kind.pluralNoun)
            let held = others.isEmpty ? "no jobs"
                : "no \(read.map(\.pluralNoun).joined(separator: " or ")), which the rules read (only \(others.joined(separator: " and ")))"
            Terminal.error("backup-audit: the inputs hold \(held); nothing can be judged on them (a fetch with a wrong Region, account or filter finds none); --allow-empty judges them anyway, with every rule reported empty")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        } catch .emptyKinds(let kinds) {
            // An empty listing of a kind the rules read, beside records of others: a fetch of it
            // with a wrong Region, account or filter finds none.
            for empty in kinds {
                Terminal.error("backup-audit: the inputs hold no \(empty.kind.pluralNoun) (an empty listing), which \(empty.rules.count == 1 ? "rule" : "rules") \(empty.rules.joined(separator: ", ")) \(empty.rules.count == 1 ? "reads" : "read"); they would be judged on nothing; --allow-empty judges them anyway, reported empty")
            }
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        } catch .incomplete {
            // The source refused it already (JobSourceOptions.load names the gaps); not reached.
            Terminal.error("backup-audit: refusing to judge incomplete data, which could pass a rule that should fail")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        phases.lap("evaluation", detail: "\(program.rules.count) rules")
        do {
            let rendered = try gate.render(verdict, as: reports.map { ($0.format, reportOptions(to: $0.output.target, command: command)) })
            try OutputWriter.write(Array(zip(reports.map(\.output), rendered)))
        } catch {
            Terminal.error("backup-audit: the rules were evaluated, but the reports were not written: cannot write \(error)")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        phases.lap("reports")
        phases.report()
        switch verdict.decision {
        case .passed:
            return
        case .failed:
            throw ExitCode(ExitStatus.ruleFailed.rawValue)
        case .notJudged(let rules):
            for rule in rules {
                switch rule.cause {
                case .fault(let fault):
                    Terminal.error("backup-audit: rule \(rule.id) could not be evaluated: \(FaultText.message(fault))")
                case .missingKinds(let kinds):
                    // A rule reading a kind the inputs lack: give them, or say that kind may be absent.
                    let flags = kinds.map { kind in "--allow-missing-kind \(FetchKind.allCases.first { $0.kind == kind }?.rawValue ?? kind.rawValue)" }
                        .joined(separator: " ")
                    Terminal.error("backup-audit: rule \(rule.id) was not judged: \(NotJudgedText.missing(kinds, reader: "it")); give them (--jobs), or \(flags) to accept that")
                }
            }
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }

    private func reportOptions(to target: OutputTarget, command: String) -> ReportOptions {
        ReportOptions(
            color: target == .standardOutput && Terminal.supportsColor, verbose: verbose, junitGranularity: junitGranularity,
            command: command, moreFindingsHint: "--verbose, or --report json")
    }
}

/// A report of a run: its format and where it goes, checked before the run.
struct PlannedReport {
    let format: ReportFormat
    let output: PlannedOutput
}

