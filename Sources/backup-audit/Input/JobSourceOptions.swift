import ArgumentParser
import AWSBackupClient
import BackupJobs
import Reports

/// Where a command's jobs come from: listings on disk (`--jobs`) or AWS Backup (`--fetch`).
struct JobSourceOptions: ParsableArguments {
    @Option(
        name: .customLong("jobs"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Job listings: files, directories of page files, or - for standard input (or --fetch).",
            discussion: "API responses, `aws backup list-backup-jobs` output, concatenated pages, JSON arrays and JSON Lines, optionally gzip-compressed; the format is recognised from the content.",
            valueName: "path"))
    var jobPaths: [String] = []

    @Option(
        name: .customLong("resources"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Inventories: the resources that should be protected, or that AWS Backup protected (files, directories, or -).",
            discussion: "`aws backup list-protected-resources`, `aws resourcegroupstaggingapi get-resources`, `aws configservice select-resource-config` output, `terraform show -json`, a list of ARNs (one a line) or CSV with an arn column; recognised from the content. Read into the same listing as the jobs; rules do not judge them yet.",
            valueName: "path"))
    var resourcePaths: [String] = []

    @Flag(name: .customLong("fetch"), help: "Fetch the jobs from AWS Backup instead of reading --jobs: backup jobs, and the copy and restore jobs the rules read (needs backup:ListBackupJobs, and backup:ListCopyJobs, backup:ListRestoreJobs for those).")
    var fetchesFromAWS = false

    @Option(help: ArgumentHelp("With --fetch: also save the fetched listing here, as `fetch --out` does.", valueName: "file"))
    var saveJobs: String?

    @Flag(help: "Judge data known to be incomplete (a NextToken nothing continues, a missing part); every report then says so.")
    var allowIncomplete = false

    @Option(help: ArgumentHelp("A job read in versions that contradict each other: resolve them (keep the later state, then the later CompletionDate) or fail (exit status 2).", valueName: "policy"))
    var onConflict: ConflictPolicy = .resolve

    @OptionGroup(title: "Fetching from AWS (with --fetch)") var fetch: FetchOptions

    func validate() throws {
        guard (jobPaths + resourcePaths).filter({ $0 == "-" }).count <= 1 else { throw ValidationError("Standard input (-) can be read only once.") }
        if fetchesFromAWS && !jobPaths.isEmpty { throw ValidationError("--fetch and --jobs exclude each other") }
        if !fetchesFromAWS && jobPaths.isEmpty && resourcePaths.isEmpty {
            throw ValidationError("give the jobs to check: --jobs <path> ..., or --fetch to fetch them from AWS Backup")
        }
        if fetchesFromAWS && !resourcePaths.isEmpty {
            // A fetched listing has a string pool of its own; reading files into it comes with
            // fetching inventories (issue 11).
            throw ValidationError("--resources with --fetch is not supported yet: save the jobs with `backup-audit fetch --out FILE`, then give --jobs FILE --resources ...")
        }
        if fetchesFromAWS, fetch.maxItems != nil || fetch.startingToken != nil {
            throw ValidationError("rules judge complete listings; --max-items and --starting-token fetch part of one (use `backup-audit fetch` for that)")
        }
        if saveJobs != nil && !fetchesFromAWS { throw ValidationError("--save-jobs saves what --fetch fetched; without --fetch the listing is already a file") }
    }

    /// The files this source writes (`--save-jobs`), checked with the run's reports before any work.
    var outputs: [(what: String, path: String)] {
        saveJobs.map { [("saved listing", $0)] } ?? []
    }

    /// The listing: read from files, or fetched (and saved, with --save-jobs). Incomplete data is
    /// refused with exit status 2 unless --allow-incomplete, and so are conflicting versions of a
    /// job with --on-conflict fail. `now` is the run's one instant (`--now`, or the clock read once
    /// at the start): relative times of a fetch (`--by-created-after 7d`) count back from it, so
    /// the data fetched and the rules judging it agree on when "7d ago" was.
    ///
    /// - Parameter kinds: the kinds of records the command reads besides backup jobs (the rules'
    ///   copy and restore jobs): `--fetch` fetches each through its operation, all or nothing.
    func load(now: Timestamp, reading kinds: Set<RecordKind> = []) async throws -> Listing {
        let listing: Listing
        if fetchesFromAWS {
            let result = try await LiveFetch(options: fetch, kinds: Self.fetched(reading: kinds)).run(now: now)
            if let saveJobs { try ListingFile.write(result, to: saveJobs) }
            listing = result.listing
        } else {
            listing = try ListingLoader().load(jobs: jobPaths, resources: resourcePaths)
        }
        let gaps = listing.completeness.gaps
        for gap in gaps { Terminal.error("backup-audit: \(allowIncomplete ? "warning: " : "")" + Self.describe(gap)) }
        if !gaps.isEmpty && !allowIncomplete {
            Terminal.error("backup-audit: refusing to judge incomplete data, which could pass a rule that should fail; --allow-incomplete judges it anyway, and every report then says it was incomplete")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        if onConflict == .fail && !listing.conflicts.isEmpty {
            Terminal.error("backup-audit: \(Self.describe(listing.conflicts)); refusing to choose between them (--on-conflict fail)")
            throw ExitCode(ExitStatus.invalidInput.rawValue)
        }
        return listing
    }

    /// What `--fetch` fetches for a command reading `kinds`: backup jobs always (every command
    /// judges or lists them), and each other kind read, in `RecordKind` order.
    static func fetched(reading kinds: Set<RecordKind>) -> [RecordKind] {
        RecordKind.jobKinds.filter { $0 == .backupJob || kinds.contains($0) }
    }

    /// A gap, with what to do about it.
    static func describe(_ gap: ListingGap) -> String {
        guard gap.recordKind.family == .job else {
            // Inventories are exported with the AWS CLI or terraform, not fetched by this tool.
            let hint = gap.resumeToken.map { "export the pages after \(gap.tokenMember) \($0) too, or the whole inventory again" }
                ?? "export the whole inventory again"
            return "the data is incomplete: \(gap) (\(hint))"
        }
        let hint = switch (gap.kind, gap.resumeToken) {
        case (.missingPart, let token?): "fetch the missing pages with --starting-token \(token)"
        case (_, let token?): "fetch the rest with --starting-token \(token)"
        case (.missingPart(_, let start), nil): "give the part that ends with NextToken \(start) before it"
        case (_, nil): "fetch the listing again"
        }
        return "the data is incomplete: \(gap) (\(hint))"
    }

    /// `2 jobs appear in conflicting versions: A (a.json, b.json), B (...)`: the first 20.
    static func describe(_ conflicts: [DuplicateConflict]) -> String {
        let shown = conflicts.prefix(20).map { "\($0.jobId) (\($0.inputs.joined(separator: ", ")))" }
        return "\(ReportText.count(conflicts.count, "job")) \(conflicts.count == 1 ? "appears" : "appear") in conflicting versions: "
            + shown.joined(separator: ", ") + (conflicts.count > 20 ? ", and \(conflicts.count - 20) more" : "")
    }
}

/// `--on-conflict`: what to do with a job read in versions that contradict each other.
enum ConflictPolicy: String, ExpressibleByArgument, CaseIterable {
    /// Keep one, chosen by the records alone (docs/inputs.md), and report the conflict.
    case resolve
    /// Refuse the data (exit status 2).
    case fail
}
