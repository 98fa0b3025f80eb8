import ArgumentParser
import AWSBackupClient
import BackupJobs

/// The flags of a live fetch, named like `aws backup list-backup-jobs`'s, `list-copy-jobs`'s and
/// `list-restore-jobs`'s so a command line moves over unchanged; times also take relative forms
/// (`--by-created-after 7d`). Each filter flag is the AWS CLI's option of a member of the
/// operations (`ByDestinationVaultArn`: `--by-destination-vault-arn`); a flag applies to the
/// operations that have that member.
struct FetchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("An AWS Region to fetch from (repeatable); default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region.", valueName: "region"))
    var region: [String] = []

    @Flag(help: "Fetch from every commercial Region; opt-in Regions the account has not enabled are skipped with a warning.")
    var allRegions = false

    @Option(help: ArgumentHelp("A named profile of ~/.aws/config and ~/.aws/credentials; default: AWS_PROFILE, or 'default'.", valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("Send requests here instead of the Region's endpoint (also AWS_ENDPOINT_URL_BACKUP, AWS_ENDPOINT_URL).", valueName: "url"))
    var endpointUrl: String?

    @Option(help: ArgumentHelp("Only jobs of this resource (backup, copy).", valueName: "arn")) var byResourceArn: String?
    @Option(help: ArgumentHelp("Only jobs in this state (backup, copy).", valueName: "state")) var byState: String?
    @Option(help: ArgumentHelp("Only restore jobs with this status (restore).", valueName: "status")) var byStatus: String?
    @Option(help: ArgumentHelp("Only backup jobs stored into this vault (backup).", valueName: "name")) var byBackupVaultName: String?
    @Option(help: ArgumentHelp("Only copies to this vault (copy).", valueName: "arn")) var byDestinationVaultArn: String?
    @Option(help: ArgumentHelp("Only copies of this recovery point (copy).", valueName: "arn")) var bySourceRecoveryPointArn: String?
    @Option(help: ArgumentHelp("Only restore tests of this restore testing plan (restore).", valueName: "arn")) var byRestoreTestingPlanArn: String?
    @Option(help: ArgumentHelp("Only jobs created before this time (ISO 8601, or a duration ago: 30m, 12h, 7d, 2w).", valueName: "time"))
    var byCreatedBefore: String?
    @Option(help: ArgumentHelp("Only jobs created after this time (ISO 8601, or a duration ago).", valueName: "time"))
    var byCreatedAfter: String?
    @Option(help: ArgumentHelp("Only jobs of this resource type (EBS, RDS, EC2, ...).", valueName: "type")) var byResourceType: String?
    @Option(help: ArgumentHelp("Only jobs of this account (backup jobs: * for every account of an organization, from its management account).", valueName: "id"))
    var byAccountId: String?
    @Option(help: ArgumentHelp("Only jobs completed before this time.", valueName: "time")) var byCompleteBefore: String?
    @Option(help: ArgumentHelp("Only jobs completed after this time.", valueName: "time")) var byCompleteAfter: String?
    @Option(help: ArgumentHelp("Only the child jobs of this parent job.", valueName: "id")) var byParentJobId: String?
    @Option(help: ArgumentHelp("Only jobs with this message category (SUCCESS, ACCESS_DENIED, AGGREGATE_ALL, ...) (backup, copy).", valueName: "category"))
    var byMessageCategory: String?

    @Option(help: ArgumentHelp("Jobs per request (1-1000).", valueName: "n")) var pageSize: Int?
    @Option(help: ArgumentHelp("Stop after this many jobs and print a token to resume from.", valueName: "n")) var maxItems: Int?
    @Option(help: ArgumentHelp("Resume where a --max-items fetch stopped.", valueName: "token")) var startingToken: String?

    @Option(help: ArgumentHelp("Requests in flight at once (1-64); above 1 the creation window is cut into slices fetched side by side.", valueName: "n"))
    var parallel = 1

    @Option(help: ArgumentHelp("Attempts per request, the first included; default: AWS_MAX_ATTEMPTS, the profile's max_attempts, or 3.", valueName: "n"))
    var maxAttempts: Int?

    @Option(help: ArgumentHelp("Seconds allowed for one attempt of a request.", valueName: "seconds"))
    var requestTimeout = 60

    @Flag(help: "No progress line on standard error.")
    var quiet = false

    @Flag(help: "Log every request and response to standard error (signatures and keys redacted).")
    var debug = false

    /// The filter flags given, with their values (times as typed).
    private var filterFlags: [(flag: String, value: String)] {
        let all: [(String, String?)] = [
            ("--by-resource-arn", byResourceArn), ("--by-state", byState), ("--by-status", byStatus),
            ("--by-backup-vault-name", byBackupVaultName), ("--by-destination-vault-arn", byDestinationVaultArn),
            ("--by-source-recovery-point-arn", bySourceRecoveryPointArn), ("--by-restore-testing-plan-arn", byRestoreTestingPlanArn),
            ("--by-created-before", byCreatedBefore), ("--by-created-after", byCreatedAfter), ("--by-resource-type", byResourceType),
            ("--by-account-id", byAccountId), ("--by-complete-before", byCompleteBefore), ("--by-complete-after", byCompleteAfter),
            ("--by-parent-job-id", byParentJobId), ("--by-message-category", byMessageCategory),
        ]
        return all.compactMap { flag, value in value.map { (flag, $0) } }
    }

    /// The flag of an operation's filter: the AWS CLI's option for its member
    /// (`ByDestinationVaultArn`: `--by-destination-vault-arn`).
    static func flag(_ parameter: ListOperation.Parameter) -> String {
        flag(parameter.requestParameter)
    }

    /// The request of one kind the flags describe (Regions are resolved later, from the profile
    /// too). A filter flag the kind's operation does not have is a usage error naming the kind.
    func request(_ kind: RecordKind = .backupJob, now: Timestamp) throws -> FetchRequest {
        try requests([kind], now: now)[0]
    }

    /// One request per kind, each with the filter flags its operation has. Every flag must
    /// apply to at least one of them: with one kind, a flag of another operation is a usage
    /// error naming the kind; with several (`check --fetch`), a flag applies to the kinds whose
    /// operation has it.
    func requests(_ kinds: [RecordKind], now: Timestamp) throws -> [FetchRequest] {
        let operations = kinds.compactMap(ListOperation.listing)
        var requests = operations.map { operation in
            var request = FetchRequest(regions: allRegions ? Endpoints.allRegions : region, operation: operation)
            request.pageSize = pageSize
            request.maxItems = maxItems
            request.startingToken = startingToken
            request.parallel = parallel
            request.skipsDisabledOptInRegions = allRegions
            return request
        }
        for (flag, value) in filterFlags {
            var applied = false
            for index in requests.indices {
                guard let parameter = operations[index].parameters.first(where: { Self.flag($0) == flag }) else { continue }
                do {
                    if parameter.isTimestamp {
                        try requests[index].filter.set(parameter.member, try Self.time(value, flag: flag, now: now))
                    } else {
                        try requests[index].filter.set(parameter.member, value)
                    }
                } catch let error as FilterError {
                    throw ValidationError(error.description(naming: Self.flag))
                }
                applied = true
            }
            guard applied else {
                let owners = ListOperation.all.filter { $0.parameters.contains { Self.flag($0) == flag } }
                let fetched = operations.map(\.kind.pluralNoun).joined(separator: " and ")
                let kindFlags = owners.map { "--kind \(Self.kindName($0.kind))" }.joined(separator: " or ")
                throw ValidationError(
                    "\(flag) filters \(owners.map(\.kind.pluralNoun).joined(separator: " and ")), not \(fetched)"
                        + (operations.count == 1 ? " (\(operations[0].name) has no such filter); drop it or fetch \(kindFlags)" : ""))
            }
        }
        return requests
    }

    /// `backup`, `copy`, `restore`: how `--kind` names a kind.
    static func kindName(_ kind: RecordKind) -> String {
        FetchKind.allCases.first { $0.kind == kind }?.rawValue ?? kind.rawValue
    }

    func validate() throws {
        if allRegions && !region.isEmpty { throw ValidationError("--all-regions and --region exclude each other") }
        if requestTimeout < 1 { throw ValidationError("--request-timeout must be at least 1 second") }
        if let maxAttempts, maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
    }

    /// The flag that sets a request parameter (`byBackupVaultName`: `--by-backup-vault-name`), for
    /// the library's messages about it.
    static func flag(_ parameter: RequestParameter) -> String {
        "--" + parameter.rawValue.map { $0.isUppercase ? "-" + $0.lowercased() : String($0) }.joined()
    }

    /// ISO 8601, or a duration before `now` in a unit rule files use: `90s`, `30m`, `12h`, `7d`, `2w`.
    static func time(_ text: String, flag: String, now: Timestamp) throws -> Timestamp {
        if let match = text.wholeMatch(of: /([0-9]{1,6})([a-z]{1,2})/), let unit = DurationUnit(symbol: String(match.output.2)),
           let count = Int64(match.output.1) {
            // At most six digits (the pattern) times a week: far inside Int64, as is `now`.
            return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - count * unit.milliseconds)
        }
        if let timestamp = TimeArgument.timestamp(text) { return timestamp }
        throw ValidationError("\(flag) '\(text)' is not a time; write ISO 8601 (2026-11-28T12:00:00Z, 2026-11-28) or a duration ago (30m, 12h, 7d, 2w)")
    }
}

/// A kind of record on the command line: `fetch --kind` (which List operation to call),
/// `check --allow-missing-kind`.
enum FetchKind: String, ExpressibleByArgument, CaseIterable {
    case backup, copy, restore

    var kind: RecordKind {
        switch self {
        case .backup: .backupJob
        case .copy: .copyJob
        case .restore: .restoreJob
        }
    }
}
