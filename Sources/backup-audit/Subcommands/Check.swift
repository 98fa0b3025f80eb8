// Public: Severity and Granularity conform to ExpressibleByArgument here.
public import ArgumentParser
import AWSBackupClient
import BackupJobs
import Foundation
public import Reports
import RuleEngine
public import RuleLanguage

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate rules over backup jobs: the CI gate.",
        discussion: """
            Loads the rules (every .rules file of the directories given, as one rule set) and the \
            jobs, evaluates every rule, writes the reports, and sets the exit status. Nothing is \
            evaluated when the rules, parameters or data are invalid, or when a listing is \
            incomplete.

            Reports: --report FORMAT[=FILE], repeatable; FORMAT is text, junit, json, csv, markdown \
            or sarif; without =FILE (or with =-) the report goes to standard output. Default: text.

            \(ExitStatus.help)
            """
    )

    @Option(name: .customLong("rules"), parsing: .upToNextOption,
            help: ArgumentHelp("Rule files and directories (one rule set).", valueName: "path"))
    var rulePaths: [String]

    @Option(
        name: .customLong("jobs"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Job listings: files, directories of page files, or - for standard input (or --fetch).",
            discussion: "API responses, `aws backup list-backup-jobs` output, concatenated pages, JSON arrays and JSON Lines, optionally gzip-compressed; the format is recognised from the content.",
            valueName: "path"))
    var jobPaths: [String] = []
    @OptionGroup var rules: RuleInputOptions

    @Flag(name: .customLong("fetch"), help: "Fetch the jobs from AWS Backup instead of reading --jobs (needs backup:ListBackupJobs).")
    var fetchesFromAWS = false

    @Option(help: ArgumentHelp("With --fetch: also save the fetched listing here, as `fetch --out` does.", valueName: "file"))
    var saveJobs: String?

    @OptionGroup(title: "Fetching from AWS (with --fetch)") var fetch: FetchOptions

    @Option(help: ArgumentHelp("The time to judge by (ISO 8601, UTC without an offset); default: the clock, once at the start.", valueName: "timestamp"))
    var now: String?

    @Option(name: .customLong("rule"), help: ArgumentHelp("Evaluate only this rule (repeatable).", valueName: "id"))
    var onlyRules: [String] = []

    @Option(help: ArgumentHelp("Evaluate only rules of this severity or higher.", valueName: "severity"))
    var severityAtLeast: Severity?

    @Option(name: .customLong("report"), help: ArgumentHelp("A report to write: FORMAT[=FILE] (repeatable).", valueName: "format[=file]"))
    var reports: [String] = []

    @Option(help: ArgumentHelp("Fail (exit status 1) on failing rules of this severity or higher.", valueName: "severity"))
    var failOn: Severity = .info

    @Flag(help: "A rule with no subject in scope fails instead of passing.")
    var strict = false

    @Flag(help: "List passing subjects and full explanations in the text report.")
    var verbose = false

    @Option(help: "JUnit cases: one per rule (default: stable names, small files), or one per subject.")
    var junitGranularity: JUnitReporter.Granularity = .rule

    @Flag(help: "Print how long each phase took (rules, jobs, evaluation, reports) to standard error.")
    var timings = false

    func validate() throws {
        _ = try requests()
        guard jobPaths.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("Standard input (-) can be read only once.") }
        if fetchesFromAWS == !jobPaths.isEmpty {
            throw ValidationError(fetchesFromAWS ? "--fetch and --jobs exclude each other" : "give the jobs to check: --jobs <path> ..., or --fetch to fetch them from AWS Backup")
        }
        if fetchesFromAWS, fetch.maxItems != nil || fetch.startingToken != nil {
            throw ValidationError("check judges complete listings; --max-items and --starting-token fetch part of one (use `backup-audit fetch` for that)")
        }
        if saveJobs != nil && !fetchesFromAWS { throw ValidationError("--save-jobs saves what --fetch fetched; without --fetch the listing is already a file") }
    }

    /// The reports asked for, with where they go (`nil`: standard output).
    func requests() throws -> [(format: ReportFormat, path: String?)] {
        let parsed = try reports.map { text -> (ReportFormat, String?) in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard let format = ReportFormat(rawValue: parts[0]) else {
                throw ValidationError("unknown report format '\(parts[0])'; formats: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let path = parts.count == 2 && parts[1] != "-" && !parts[1].isEmpty ? parts[1] : nil
            return (format, path)
        }
        let toStandardOutput = parsed.filter { $0.1 == nil }
        guard toStandardOutput.count <= 1 else {
            throw ValidationError("only one report can go to standard output; give the others a file: --report junit=out/backup.xml")
        }
        return parsed.isEmpty ? [(.text, nil)] : parsed
    }

    func run() async throws {
        var phases = PhaseTimer(enabled: timings)
        let requests = try requests()
        let evaluationTime = try now.map(TimeArgument.parse) ?? TimeArgument.current()

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

        let listing = try await jobs()
        for record in listing.inputs {
            if let token = record.unfollowedNextToken {
                Terminal.error("backup-audit: \(record.path): every page ends with a NextToken, so later pages are missing; refusing to judge an incomplete listing (fetch the rest with --starting-token \(token))")
                throw ExitCode(ExitStatus.invalidInput.rawValue)
            }
        }

        phases.lap("jobs", detail: "\(listing.table.count) jobs, \(listing.inputs.reduce(0) { $0 + $1.bytes } / 1_000_000) MB")
        let evaluation = await Evaluator.evaluate(
            program, jobs: listing.table, now: evaluationTime,
            options: EvaluationOptions(recordPasses: verbose || junitGranularity == .subject, strict: strict))
        let context = ReportContext(
            evaluation: evaluation, inputs: listing.inputs, ruleFiles: sources.files.map(\.name),
            parameters: program.parameters, toolVersion: BackupAuditVersion.current, hostname: Host.name)
        phases.lap("evaluation", detail: "\(program.rules.count) rules")
        for request in requests {
            try write(request.format, to: request.path, context)
        }
        phases.lap("reports")
        phases.report()
        let failing = evaluation.results.filter { result in
            result.status == .error || (result.status == .fail && result.rule.severity >= failOn)
        }
        if !failing.isEmpty { throw ExitCode(ExitStatus.ruleFailed.rawValue) }
    }

    /// The listing: read from files, or fetched (and saved, with --save-jobs).
    private func jobs() async throws -> JobListing {
        guard fetchesFromAWS else { return try JobLoader().load(jobPaths) }
        let result = try await LiveFetch(options: fetch).run(now: TimeArgument.current())
        if let saveJobs {
            try ListingFile.write(result, to: saveJobs)
        }
        return result.listing
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

    private func write(_ format: ReportFormat, to path: String?, _ context: ReportContext) throws {
        let reporter: any Reporter = switch format {
        case .text: TextReporter(color: path == nil && Terminal.supportsColor, verbose: verbose)
        case .junit: JUnitReporter(granularity: junitGranularity)
        case .json: JSONReporter()
        case .csv: CSVReporter()
        case .markdown: MarkdownReporter()
        case .sarif: SARIFReporter()
        }
        let bytes = try reporter.render(context)
        guard let path else {
            Terminal.write(String(decoding: bytes, as: UTF8.self))
            return
        }
        do {
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            Terminal.error("backup-audit: cannot write the \(format.rawValue) report to \(path): \(error.localizedDescription)")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
    }
}

// The command line is the only place these are parsed from arguments.
extension Severity: ExpressibleByArgument {}
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
