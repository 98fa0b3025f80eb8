public import BackupJobs

/// One List operation of AWS Backup, as the service model describes it: what the pager, the
/// signer, the time slices, the emulator and the command line need to know, so an operation is
/// added by describing it here (its path, its filters, its kind) and nothing else is copied.
///
/// The descriptions agree with the vendored model (`model/aws-backup/`): the test suite checks
/// every path, query name, member name and enum against it.
public struct ListOperation: Sendable, Hashable, CustomStringConvertible {
    /// `ListCopyJobs`.
    public let name: String
    /// `GET` path, with the model's trailing slash: `/copy-jobs/`.
    public let path: String
    /// The records it lists; their member in the response is `kind.member` (`CopyJobs`).
    public let kind: RecordKind
    /// The filters, in the model's member order (paging parameters left out).
    public let parameters: [Parameter]
    /// The members time slices narrow: created after / before.
    public let createdAfter: String
    public let createdBefore: String

    public var description: String { name }
    /// The member of a response that holds the records (`CopyJobs`).
    public var member: String { kind.member }

    /// One filter of the operation.
    public struct Parameter: Sendable, Hashable {
        /// The model's member name (`ByDestinationVaultArn`).
        public let member: String
        /// The query-string name on the wire (`destinationVaultArn`).
        public let query: String
        public let value: Value
        /// The record field the service compares it with (`DestinationBackupVaultArn`); a
        /// timestamp parameter bounds it (after: inclusive, before: exclusive, in the emulator).
        public let field: String
        /// Values that select every record instead of filtering (`*` for every account of an
        /// organization).
        public let wildcards: [String]

        init(_ member: String, _ query: String, _ value: Value, field: String, wildcards: [String] = []) {
            self.member = member
            self.query = query
            self.value = value
            self.field = field
            self.wildcards = wildcards
        }

        /// How messages about it name it (`byDestinationVaultArn`); the command line words it as
        /// the AWS CLI's option (`--by-destination-vault-arn`).
        public var requestParameter: RequestParameter { .filter(member) }

        public var isTimestamp: Bool { value == .timestamp }
    }

    /// What a parameter's value must be (checked before anything is sent, and by the emulator).
    public enum Value: Sendable, Hashable {
        /// Any non-empty text.
        case text
        /// A point in time (ISO 8601 on the wire, as botocore writes it).
        case timestamp
        /// One of the kind's states (the model's enum: BackupJobState, CopyJobState, RestoreJobStatus).
        case state
        /// `^[a-zA-Z0-9\-\_]{2,50}$`.
        case vaultName
        /// `^[a-zA-Z0-9\-\_\.]{1,50}$`; the emulator also takes spaces, which the model's own
        /// documentation uses (`Storage Gateway`).
        case resourceType
        /// `^[0-9]{12}$` (or a wildcard).
        case accountId
    }

    public func parameter(_ member: String) -> Parameter? {
        parameters.first { $0.member == member }
    }

    public func parameter(query: String) -> Parameter? {
        parameters.first { $0.query == query }
    }

    /// The operation listing records of `kind`; `nil` for the kinds of inventories, which are
    /// read from files and not fetched (yet).
    public static func listing(_ kind: RecordKind) -> ListOperation? {
        switch kind {
        case .backupJob: .listBackupJobs
        case .copyJob: .listCopyJobs
        case .restoreJob: .listRestoreJobs
        case .protectedResource, .inventoryResource: nil
        }
    }

    public static let all: [ListOperation] = [.listBackupJobs, .listCopyJobs, .listRestoreJobs]

    // Filters several operations share, with the same query names.
    private static func created() -> [Parameter] {
        [Parameter("ByCreatedBefore", "createdBefore", .timestamp, field: "CreationDate"),
         Parameter("ByCreatedAfter", "createdAfter", .timestamp, field: "CreationDate")]
    }
    private static let resourceArn = Parameter("ByResourceArn", "resourceArn", .text, field: "ResourceArn")
    private static let resourceType = Parameter("ByResourceType", "resourceType", .resourceType, field: "ResourceType")
    // The model documents `*` (every account of an organization, from its management account) for
    // ListBackupJobs alone: ListCopyJobs' and ListRestoreJobs' ByAccountId say "Returns only copy
    // (restore) jobs associated with the specified account ID", pattern ^[0-9]{12}$, in botocore's
    // model and the API reference alike. An undocumented `*` could be refused, or read as one
    // account, by the service; a fetch that silently narrowed to the caller's account would judge
    // an organization's backups against one account's copies, so it is not sent.
    private static let accountId = Parameter("ByAccountId", "accountId", .accountId, field: "AccountId")
    private static let everyAccountId = Parameter("ByAccountId", "accountId", .accountId, field: "AccountId", wildcards: ["*"])
    private static let completeBefore = Parameter("ByCompleteBefore", "completeBefore", .timestamp, field: "CompletionDate")
    private static let completeAfter = Parameter("ByCompleteAfter", "completeAfter", .timestamp, field: "CompletionDate")
    private static let parentJobId = Parameter("ByParentJobId", "parentJobId", .text, field: "ParentJobId")
    private static func messageCategory(_ wildcards: [String]) -> Parameter {
        Parameter("ByMessageCategory", "messageCategory", .text, field: "MessageCategory", wildcards: wildcards)
    }

    /// `GET /backup-jobs/`.
    public static let listBackupJobs = ListOperation(
        name: "ListBackupJobs", path: "/backup-jobs/", kind: .backupJob,
        parameters: [
            resourceArn,
            Parameter("ByState", "state", .state, field: "State"),
            Parameter("ByBackupVaultName", "backupVaultName", .vaultName, field: "BackupVaultName"),
        ] + created() + [
            resourceType, everyAccountId, completeAfter, completeBefore, parentJobId,
            // "The wildcard () returns count of all message categories" (the `*` lost to HTML).
            messageCategory(["*", "AGGREGATE_ALL"]),
        ],
        createdAfter: "ByCreatedAfter", createdBefore: "ByCreatedBefore")

    /// `GET /copy-jobs/`.
    public static let listCopyJobs = ListOperation(
        name: "ListCopyJobs", path: "/copy-jobs/", kind: .copyJob,
        parameters: [
            resourceArn,
            Parameter("ByState", "state", .state, field: "State"),
        ] + created() + [
            resourceType,
            Parameter("ByDestinationVaultArn", "destinationVaultArn", .text, field: "DestinationBackupVaultArn"),
            accountId, completeBefore, completeAfter, parentJobId,
            // "The value ANY returns count of all message categories."
            messageCategory(["*", "ANY", "AGGREGATE_ALL"]),
            Parameter("BySourceRecoveryPointArn", "sourceRecoveryPointArn", .text, field: "SourceRecoveryPointArn"),
        ],
        createdAfter: "ByCreatedAfter", createdBefore: "ByCreatedBefore")

    /// `GET /restore-jobs/`.
    public static let listRestoreJobs = ListOperation(
        name: "ListRestoreJobs", path: "/restore-jobs/", kind: .restoreJob,
        parameters: [accountId, resourceType] + created() + [
            Parameter("ByStatus", "status", .state, field: "Status"),
            completeBefore, completeAfter,
            Parameter("ByRestoreTestingPlanArn", "restoreTestingPlanArn", .text, field: "CreatedBy.RestoreTestingPlanArn"),
            parentJobId,
        ],
        createdAfter: "ByCreatedAfter", createdBefore: "ByCreatedBefore")
}
