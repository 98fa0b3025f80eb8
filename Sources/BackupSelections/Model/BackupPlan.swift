public import BackupJobs

/// A backup plan as `aws backup get-backup-plan` (GetBackupPlan) gives it, or as a
/// `create-backup-plan --cli-input-json` file holds it (then without id, ARN and version).
public struct BackupPlan: Equatable, Sendable {
    public var planID: String?
    public var planArn: String?
    public var versionID: String?
    public var name: String
    public var rules: [BackupRule]
    public var creationDate: Timestamp?
    public var deletionDate: Timestamp?
    public var lastExecutionDate: Timestamp?
    /// Where the plan was read.
    public var origin: DocumentOrigin

    public init(
        planID: String?, planArn: String? = nil, versionID: String? = nil, name: String, rules: [BackupRule],
        creationDate: Timestamp? = nil, deletionDate: Timestamp? = nil, lastExecutionDate: Timestamp? = nil,
        origin: DocumentOrigin
    ) {
        self.planID = planID
        self.planArn = planArn
        self.versionID = versionID
        self.name = name
        self.rules = rules
        self.creationDate = creationDate
        self.deletionDate = deletionDate
        self.lastExecutionDate = lastExecutionDate
        self.origin = origin
    }
}

/// One rule of a plan: when it backs up (its schedule), where to, and how long backups live.
/// Every rule of a plan applies to every selection of the plan.
public struct BackupRule: Equatable, Sendable {
    public var name: String
    public var ruleID: String?
    public var targetVaultName: String
    /// As written; `nil` when the rule has none (AWS then uses `cron(0 5 ? * * *)`).
    public var scheduleExpression: String?
    /// An IANA zone (`Europe/Paris`); `nil` means UTC.
    public var scheduleTimezone: String?
    public var startWindowMinutes: Int64?
    public var completionWindowMinutes: Int64?
    public var lifecycle: Lifecycle?
    public var copyActions: [CopyAction]
    public var enableContinuousBackup: Bool?
    public var recoveryPointTags: [String: String]

    public init(
        name: String, ruleID: String? = nil, targetVaultName: String, scheduleExpression: String?,
        scheduleTimezone: String? = nil, startWindowMinutes: Int64? = nil, completionWindowMinutes: Int64? = nil,
        lifecycle: Lifecycle? = nil, copyActions: [CopyAction] = [], enableContinuousBackup: Bool? = nil,
        recoveryPointTags: [String: String] = [:]
    ) {
        self.name = name
        self.ruleID = ruleID
        self.targetVaultName = targetVaultName
        self.scheduleExpression = scheduleExpression
        self.scheduleTimezone = scheduleTimezone
        self.startWindowMinutes = startWindowMinutes
        self.completionWindowMinutes = completionWindowMinutes
        self.lifecycle = lifecycle
        self.copyActions = copyActions
        self.enableContinuousBackup = enableContinuousBackup
        self.recoveryPointTags = recoveryPointTags
    }
}

/// When recovery points move to cold storage and when they are deleted.
public struct Lifecycle: Equatable, Sendable {
    public var moveToColdStorageAfterDays: Int64?
    public var deleteAfterDays: Int64?
    public var optInToArchiveForSupportedResources: Bool?
    /// `DELETE_AFTER_COPY`.
    public var deleteAfterEvent: String?

    public init(
        moveToColdStorageAfterDays: Int64? = nil, deleteAfterDays: Int64? = nil,
        optInToArchiveForSupportedResources: Bool? = nil, deleteAfterEvent: String? = nil
    ) {
        self.moveToColdStorageAfterDays = moveToColdStorageAfterDays
        self.deleteAfterDays = deleteAfterDays
        self.optInToArchiveForSupportedResources = optInToArchiveForSupportedResources
        self.deleteAfterEvent = deleteAfterEvent
    }
}

/// A copy of each recovery point the rule makes, to another vault (often another Region or account).
public struct CopyAction: Equatable, Sendable {
    public var destinationVaultArn: String
    public var lifecycle: Lifecycle?

    public init(destinationVaultArn: String, lifecycle: Lifecycle? = nil) {
        self.destinationVaultArn = destinationVaultArn
        self.lifecycle = lifecycle
    }
}

/// One entry of `aws backup list-backup-plans` (ListBackupPlans): a plan without its rules.
public struct BackupPlanSummary: Equatable, Sendable {
    public var planID: String
    public var planArn: String?
    public var name: String?
    public var versionID: String?
    public var creationDate: Timestamp?
    public var deletionDate: Timestamp?
    public var lastExecutionDate: Timestamp?
    public var origin: DocumentOrigin

    public init(
        planID: String, planArn: String? = nil, name: String? = nil, versionID: String? = nil,
        creationDate: Timestamp? = nil, deletionDate: Timestamp? = nil, lastExecutionDate: Timestamp? = nil,
        origin: DocumentOrigin
    ) {
        self.planID = planID
        self.planArn = planArn
        self.name = name
        self.versionID = versionID
        self.creationDate = creationDate
        self.deletionDate = deletionDate
        self.lastExecutionDate = lastExecutionDate
        self.origin = origin
    }
}

/// Where a plan or selection was read: the file, which document of it (1-based), and the member.
public struct DocumentOrigin: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var source: String
    public var document: Int
    /// `BackupSelection`, `BackupPlansList[2]`.
    public var path: String

    public init(source: String, document: Int, path: String) {
        self.source = source
        self.document = document
        self.path = path
    }

    /// `selections.json: document 2: BackupSelection`
    public var description: String { "\(source): document \(document): \(path)" }
}
