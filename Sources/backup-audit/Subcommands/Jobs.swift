import ArgumentParser
import BackupJobs

struct Jobs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look at job data before checking it.",
        subcommands: [JobsSummary.self]
    )
}

/// Options that name where jobs come from; shared by every command that reads jobs.
struct JobInputOptions: ParsableArguments {
    @Option(
        name: .customLong("jobs"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Job listings: files, directories of page files, or - for standard input.",
            discussion: "API responses, `aws backup list-backup-jobs` output, concatenated pages, JSON arrays and JSON Lines, optionally gzip-compressed; the format is recognised from the content.",
            valueName: "path"))
    var paths: [String] = []

    @Option(
        name: .customLong("resources"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "Inventories: protected resources, GetResources, AWS Config or terraform output, lists of ARNs or CSV.",
            valueName: "path"))
    var resourcePaths: [String] = []

    func validate() throws {
        guard (paths + resourcePaths).filter({ $0 == "-" }).count <= 1 else { throw ValidationError("Standard input (-) can be read only once.") }
        guard !paths.isEmpty || !resourcePaths.isEmpty else { throw ValidationError("give the data to summarise: --jobs <path> ... and/or --resources <path> ...") }
    }

    func load() throws(ListingInputError) -> Listing {
        try ListingLoader().load(jobs: paths, resources: resourcePaths)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct JobsSummary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Show what a job listing holds.",
        discussion: """
            For each kind of job the inputs hold (backup, copy, restore jobs): counts by state, \
            resource type, account, Region and vault, the time range of CreationDate, distinct \
            resources, and duplicates merged; says whether the listing is complete and which jobs \
            appear in conflicting versions. For each inventory (--resources: protected \
            resources, inventory resources): counts by resource type, account and Region. Exit \
            status 2 when the data cannot be read; the \
            message names the file, line:column, job and field.
            """
    )

    @OptionGroup var input: JobInputOptions

    @Option(help: "Output format: text (an aligned table) or json.")
    var format: OutputFormat = .text

    func run() throws {
        let listing = try input.load()
        // Every kind the inputs held; backup jobs (none) when they held no job at all.
        let summaries = (listing.tables.isEmpty ? [listing.backupJobs] : listing.tables).map(RecordSummary.init)
        switch format {
        case .text:
            Terminal.output(SummaryTextRenderer().render(summaries, listing: listing))
        case .json:
            Terminal.outputExactly(try SummaryJSON(summaries: summaries, listing: listing).encoded())
        }
        for gap in listing.completeness.gaps { Terminal.error("backup-audit: warning: " + JobSourceOptions.describe(gap)) }
    }
}
