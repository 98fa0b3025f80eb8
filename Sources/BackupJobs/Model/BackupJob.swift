/// One AWS Backup job, every member of the service model's `BackupJob` shape typed.
///
/// Listings are stored compactly in a `RecordTable`; a `BackupJob` is the typed view of one backup
/// job's `Record` (tests, fixtures, rule tests). Absent and `null` members are `nil`.
public struct BackupJob: Hashable, Sendable {
    public var accountId: String?
    public var backupJobId: String
    public var backupVaultName: String?
    public var backupVaultArn: String?
    public var vaultType: String?
    public var vaultLockState: String?
    public var recoveryPointArn: String?
    public var recoveryPointLifecycle: Lifecycle?
    public var encryptionKeyArn: String?
    public var isEncrypted: Bool?
    public var resourceArn: String?
    public var creationDate: Timestamp?
    public var completionDate: Timestamp?
    public var state: BackupJobState?
    public var statusMessage: String?
    public var percentDone: String?
    public var backupSizeInBytes: Int64?
    public var iamRoleArn: String?
    public var createdBy: RecoveryPointCreator?
    public var expectedCompletionDate: Timestamp?
    public var startBy: Timestamp?
    public var resourceType: String?
    public var bytesTransferred: Int64?
    public var backupOptions: [String: String]?
    public var backupType: String?
    public var parentJobId: String?
    public var isParent: Bool?
    public var resourceName: String?
    public var initiationDate: Timestamp?
    public var messageCategory: String?
    /// Members the schema does not know (fields AWS added after the model), by dotted path
    /// (`NewField`, `CreatedBy.NewField`), each as the JSON text of its value.
    public var additionalFields: [String: String]

    public init(backupJobId: String) {
        self.backupJobId = backupJobId
        self.additionalFields = [:]
    }

    /// The recovery point's lifecycle (the model's `Lifecycle` shape).
    public struct Lifecycle: Hashable, Sendable {
        public var moveToColdStorageAfterDays: Int64?
        public var deleteAfterDays: Int64?
        public var optInToArchiveForSupportedResources: Bool?
        public var deleteAfterEvent: String?
        public init() {}
    }

    /// The plan and rule that created the job (the model's `RecoveryPointCreator`).
    public struct RecoveryPointCreator: Hashable, Sendable {
        public var backupPlanId: String?
        public var backupPlanArn: String?
        public var backupPlanName: String?
        public var backupPlanVersion: String?
        public var backupRuleId: String?
        public var backupRuleName: String?
        public var backupRuleCron: String?
        public var backupRuleTimezone: String?
        public init() {}
    }

    /// The Region the job ran in: from the vault's ARN, else the resource's (S3 ARNs have none).
    public var region: String? {
        ARN.region(of: backupVaultArn) ?? ARN.region(of: resourceArn)
    }
}

extension BackupJob {
    /// A field's value by its schema identity; `nil` when absent. Structures read as `nil`: test
    /// `createdBy`/`recoveryPointLifecycle` directly for their presence.
    public subscript(field: BackupJobField) -> FieldValue? {
        get {
            switch field {
            case .accountId: accountId.map(FieldValue.string)
            case .backupJobId: .string(backupJobId)
            case .backupVaultName: backupVaultName.map(FieldValue.string)
            case .backupVaultArn: backupVaultArn.map(FieldValue.string)
            case .vaultType: vaultType.map(FieldValue.string)
            case .vaultLockState: vaultLockState.map(FieldValue.string)
            case .recoveryPointArn: recoveryPointArn.map(FieldValue.string)
            case .recoveryPointLifecycle, .createdBy: nil
            case .recoveryPointLifecycleMoveToColdStorageAfterDays:
                recoveryPointLifecycle?.moveToColdStorageAfterDays.map(FieldValue.integer)
            case .recoveryPointLifecycleDeleteAfterDays: recoveryPointLifecycle?.deleteAfterDays.map(FieldValue.integer)
            case .recoveryPointLifecycleOptInToArchiveForSupportedResources:
                recoveryPointLifecycle?.optInToArchiveForSupportedResources.map(FieldValue.boolean)
            case .recoveryPointLifecycleDeleteAfterEvent: recoveryPointLifecycle?.deleteAfterEvent.map(FieldValue.string)
            case .encryptionKeyArn: encryptionKeyArn.map(FieldValue.string)
            case .isEncrypted: isEncrypted.map(FieldValue.boolean)
            case .resourceArn: resourceArn.map(FieldValue.string)
            case .creationDate: creationDate.map(FieldValue.timestamp)
            case .completionDate: completionDate.map(FieldValue.timestamp)
            case .state: state.map { .string($0.rawValue) }
            case .statusMessage: statusMessage.map(FieldValue.string)
            case .percentDone: percentDone.map(FieldValue.string)
            case .backupSizeInBytes: backupSizeInBytes.map(FieldValue.integer)
            case .iamRoleArn: iamRoleArn.map(FieldValue.string)
            case .createdByBackupPlanId: createdBy?.backupPlanId.map(FieldValue.string)
            case .createdByBackupPlanArn: createdBy?.backupPlanArn.map(FieldValue.string)
            case .createdByBackupPlanName: createdBy?.backupPlanName.map(FieldValue.string)
            case .createdByBackupPlanVersion: createdBy?.backupPlanVersion.map(FieldValue.string)
            case .createdByBackupRuleId: createdBy?.backupRuleId.map(FieldValue.string)
            case .createdByBackupRuleName: createdBy?.backupRuleName.map(FieldValue.string)
            case .createdByBackupRuleCron: createdBy?.backupRuleCron.map(FieldValue.string)
            case .createdByBackupRuleTimezone: createdBy?.backupRuleTimezone.map(FieldValue.string)
            case .expectedCompletionDate: expectedCompletionDate.map(FieldValue.timestamp)
            case .startBy: startBy.map(FieldValue.timestamp)
            case .resourceType: resourceType.map(FieldValue.string)
            case .bytesTransferred: bytesTransferred.map(FieldValue.integer)
            case .backupOptions: backupOptions.map(FieldValue.stringMap)
            case .backupType: backupType.map(FieldValue.string)
            case .parentJobId: parentJobId.map(FieldValue.string)
            case .isParent: isParent.map(FieldValue.boolean)
            case .resourceName: resourceName.map(FieldValue.string)
            case .initiationDate: initiationDate.map(FieldValue.timestamp)
            case .messageCategory: messageCategory.map(FieldValue.string)
            }
        }
        set {
            // Clearing a member of an absent structure must not make the structure appear.
            if newValue == nil, let parent = field.descriptor.parent, !hasStructure(BackupJobField(parent)) {
                return
            }
            switch field {
            case .accountId: accountId = newValue?.string
            case .backupJobId: backupJobId = newValue?.string ?? backupJobId
            case .backupVaultName: backupVaultName = newValue?.string
            case .backupVaultArn: backupVaultArn = newValue?.string
            case .vaultType: vaultType = newValue?.string
            case .vaultLockState: vaultLockState = newValue?.string
            case .recoveryPointArn: recoveryPointArn = newValue?.string
            case .recoveryPointLifecycle, .createdBy: break
            case .recoveryPointLifecycleMoveToColdStorageAfterDays:
                recoveryPointLifecycle[default: .init()].moveToColdStorageAfterDays = newValue?.integer
            case .recoveryPointLifecycleDeleteAfterDays:
                recoveryPointLifecycle[default: .init()].deleteAfterDays = newValue?.integer
            case .recoveryPointLifecycleOptInToArchiveForSupportedResources:
                recoveryPointLifecycle[default: .init()].optInToArchiveForSupportedResources = newValue?.boolean
            case .recoveryPointLifecycleDeleteAfterEvent:
                recoveryPointLifecycle[default: .init()].deleteAfterEvent = newValue?.string
            case .encryptionKeyArn: encryptionKeyArn = newValue?.string
            case .isEncrypted: isEncrypted = newValue?.boolean
            case .resourceArn: resourceArn = newValue?.string
            case .creationDate: creationDate = newValue?.timestamp
            case .completionDate: completionDate = newValue?.timestamp
            case .state: state = newValue?.string.map(BackupJobState.init(rawValue:))
            case .statusMessage: statusMessage = newValue?.string
            case .percentDone: percentDone = newValue?.string
            case .backupSizeInBytes: backupSizeInBytes = newValue?.integer
            case .iamRoleArn: iamRoleArn = newValue?.string
            case .createdByBackupPlanId: createdBy[default: .init()].backupPlanId = newValue?.string
            case .createdByBackupPlanArn: createdBy[default: .init()].backupPlanArn = newValue?.string
            case .createdByBackupPlanName: createdBy[default: .init()].backupPlanName = newValue?.string
            case .createdByBackupPlanVersion: createdBy[default: .init()].backupPlanVersion = newValue?.string
            case .createdByBackupRuleId: createdBy[default: .init()].backupRuleId = newValue?.string
            case .createdByBackupRuleName: createdBy[default: .init()].backupRuleName = newValue?.string
            case .createdByBackupRuleCron: createdBy[default: .init()].backupRuleCron = newValue?.string
            case .createdByBackupRuleTimezone: createdBy[default: .init()].backupRuleTimezone = newValue?.string
            case .expectedCompletionDate: expectedCompletionDate = newValue?.timestamp
            case .startBy: startBy = newValue?.timestamp
            case .resourceType: resourceType = newValue?.string
            case .bytesTransferred: bytesTransferred = newValue?.integer
            case .backupOptions: backupOptions = newValue?.stringMap
            case .backupType: backupType = newValue?.string
            case .parentJobId: parentJobId = newValue?.string
            case .isParent: isParent = newValue?.boolean
            case .resourceName: resourceName = newValue?.string
            case .initiationDate: initiationDate = newValue?.timestamp
            case .messageCategory: messageCategory = newValue?.string
            }
        }
    }

    /// Whether a structure member (`CreatedBy`, `RecoveryPointLifecycle`) is present.
    func hasStructure(_ field: BackupJobField) -> Bool {
        switch field {
        case .createdBy: createdBy != nil
        case .recoveryPointLifecycle: recoveryPointLifecycle != nil
        default: false
        }
    }

    mutating func setStructurePresent(_ field: BackupJobField) {
        switch field {
        case .createdBy: createdBy = createdBy ?? .init()
        case .recoveryPointLifecycle: recoveryPointLifecycle = recoveryPointLifecycle ?? .init()
        default: break
        }
    }
}

extension Optional {
    fileprivate subscript(default value: @autoclosure () -> Wrapped) -> Wrapped {
        get { self ?? value() }
        set { self = newValue }
    }
}

extension FieldValue {
    var string: String? { if case .string(let v) = self { v } else { nil } }
    var timestamp: Timestamp? { if case .timestamp(let v) = self { v } else { nil } }
    var integer: Int64? { if case .integer(let v) = self { v } else { nil } }
    var boolean: Bool? { if case .boolean(let v) = self { v } else { nil } }
    var stringMap: [String: String]? { if case .stringMap(let v) = self { v } else { nil } }
    var integerMap: [String: Int64]? { if case .integerMap(let v) = self { v } else { nil } }
}

/// Amazon Resource Names: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
///
/// A part is read only from a well-formed ARN (a partition such as `aws`, `aws-cn` or
/// `aws-us-gov`, a service and a resource), and only when it has the part's form (a Region
/// such as `us-gov-west-1`, a 12-digit account): a truncated or damaged ARN names no Region and
/// no account, so rules comparing them (`CrossRegion`, `.Region`) see a missing value instead of
/// a different one.
public enum ARN {
    /// The Region component, or `nil` when the ARN has none (S3, IAM) or is not an ARN.
    public static func region(of arn: String?) -> String? {
        guard let parts = parts(arn), isRegion(parts[3]) else { return nil }
        return String(parts[3])
    }

    /// The account component, or `nil` when the ARN has none (S3) or is not an ARN.
    public static func account(of arn: String?) -> String? {
        guard let parts = parts(arn), parts[4].utf8.count == 12, parts[4].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return String(parts[4])
    }

    /// The six parts of a well-formed ARN (the resource may hold colons), or nil.
    private static func parts(_ arn: String?) -> [Substring]? {
        guard let arn, arn.hasPrefix("arn:") else { return nil }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, isPartition(parts[1]), !parts[2].isEmpty, !parts[5].isEmpty else { return nil }
        return parts
    }

    /// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`: `aws` and lowercase words joined by hyphens.
    private static func isPartition(_ text: Substring) -> Bool {
        text == "aws" || (text.hasPrefix("aws-") && isWords(text.dropFirst(4)))
    }

    /// `us-east-1`, `cn-north-1`, `us-gov-west-1`, `us-isob-east-1`: lowercase words joined by
    /// hyphens, the first of two letters, ending in a number.
    private static func isRegion(_ text: Substring) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        guard words.count >= 3, words[0].utf8.count == 2, let number = words.last,
              !number.isEmpty, number.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
        return words.dropLast().allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } }
    }

    private static func isWords(_ text: Substring) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        return words.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A } }
    }
}
