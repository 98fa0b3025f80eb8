import ArgumentParser
import AWSBackupClient
import BackupJobs

/// Where a command's jobs come from: listings on disk (`--jobs`) or AWS Backup (`--fetch`).
struct JobSourceOptions: ParsableArguments {
    @Option(
        name: .customLong("jobs"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Job listings: files, directories of page files, or - for standard input (or --fetch).",
            discussion: "API responses, `aws backup list-backup-jobs` output, concatenated pages, JSON arrays and JSON Lines, optionally gzip-compressed; the format is recognised from the content.",
            valueName: "path"))
    var jobPaths: [String] = []

    @Flag(name: .customLong("fetch"), help: "Fetch the jobs from AWS Backup instead of reading --jobs (needs backup:ListBackupJobs).")
    var fetchesFromAWS = false

    @Option(help: ArgumentHelp("With --fetch: also save the fetched listing here, as `fetch --out` does.", valueName: "file"))
    var saveJobs: String?

    @OptionGroup(title: "Fetching from AWS (with --fetch)") var fetch: FetchOptions

    func validate() throws {
        guard jobPaths.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("Standard input (-) can be read only once.") }
        if fetchesFromAWS == !jobPaths.isEmpty {
            throw ValidationError(fetchesFromAWS ? "--fetch and --jobs exclude each other" : "give the jobs to check: --jobs <path> ..., or --fetch to fetch them from AWS Backup")
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

    /// The listing, complete: read from files, or fetched (and saved, with --save-jobs). A listing
    /// whose last page is missing is refused with exit status 2.
    func load() async throws -> JobListing {
        let listing: JobListing
        if fetchesFromAWS {
            let result = try await LiveFetch(options: fetch).run(now: TimeArgument.current())
            if let saveJobs { try ListingFile.write(result, to: saveJobs) }
            listing = result.listing
        } else {
            listing = try JobLoader().load(jobPaths)
        }
        for record in listing.inputs {
            if let token = record.unfollowedNextToken {
                Terminal.error("backup-audit: \(record.path): every page ends with a NextToken, so later pages are missing; refusing to judge an incomplete listing (fetch the rest with --starting-token \(token))")
                throw ExitCode(ExitStatus.invalidInput.rawValue)
            }
        }
        return listing
    }
}
