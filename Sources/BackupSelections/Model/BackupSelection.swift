public import BackupJobs

/// A resource assignment of a plan, as `aws backup get-backup-selection` (GetBackupSelection)
/// gives it, or as a `create-backup-selection --cli-input-json` file holds it.
public struct BackupSelection: Equatable, Sendable {
    public var selectionID: String?
    public var planID: String?
    public var name: String
    public var iamRoleArn: String
    /// ARN patterns (`*` a wildcard); a resource matching any is included (OR).
    public var resources: [String]
    /// ARN patterns; a resource matching any is excluded.
    public var notResources: [String]
    /// Tag equalities; a resource matching any is included (OR).
    public var listOfTags: [TagCondition]
    /// Tag conditions that must all hold (AND).
    public var conditions: [TagCondition]
    public var creationDate: Timestamp?
    public var origin: DocumentOrigin

    public init(
        selectionID: String?, planID: String?, name: String, iamRoleArn: String, resources: [String] = [],
        notResources: [String] = [], listOfTags: [TagCondition] = [], conditions: [TagCondition] = [],
        creationDate: Timestamp? = nil, origin: DocumentOrigin
    ) {
        self.selectionID = selectionID
        self.planID = planID
        self.name = name
        self.iamRoleArn = iamRoleArn
        self.resources = resources
        self.notResources = notResources
        self.listOfTags = listOfTags
        self.conditions = conditions
        self.creationDate = creationDate
        self.origin = origin
    }
}

/// One tag test: an operator, a key and a value, as written in the selection.
public struct TagCondition: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
    }

    public var op: Operator
    /// As written: `aws:ResourceTag/backup` in `Conditions`, `backup` in `ListOfTags`.
    public var key: String
    public var value: String

    public init(_ op: Operator, key: String, value: String) {
        self.op = op
        self.key = key
        self.value = value
    }

    /// `StringLike aws:ResourceTag/env = "prod*"`
    public var description: String { "\(op.rawValue) \(key) = \(quoted(value))" }
}

/// One entry of `aws backup list-backup-selections` (ListBackupSelections): a selection without
/// its resources and tags (GetBackupSelection has those).
public struct BackupSelectionSummary: Equatable, Sendable {
    public var selectionID: String
    public var name: String?
    public var planID: String?
    public var iamRoleArn: String?
    public var creationDate: Timestamp?
    public var origin: DocumentOrigin

    public init(
        selectionID: String, name: String? = nil, planID: String? = nil, iamRoleArn: String? = nil,
        creationDate: Timestamp? = nil, origin: DocumentOrigin
    ) {
        self.selectionID = selectionID
        self.name = name
        self.planID = planID
        self.iamRoleArn = iamRoleArn
        self.creationDate = creationDate
        self.origin = origin
    }
}
