/// What one selection decided for one resource, and why.
public struct SelectionDecision: Equatable, Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        /// The selection assigns the resource to its plan.
        case selected
        /// The selection does not reach the resource.
        case notSelected = "not-selected"
        /// The selection would assign the resource, but one of its `NotResources` takes it out.
        case excluded
        /// The selection says something whose meaning for this resource is unknown (a condition
        /// key that is not `aws:ResourceTag/…`): neither selected nor not, and said so.
        case undetermined
    }

    public var selection: BackupSelection
    public var outcome: Outcome
    /// The clauses that decided, in the order they were read: for `selected`, what included the
    /// resource and each condition that held; otherwise what failed or excluded it too.
    public var reasons: [SelectionReason]

    public init(selection: BackupSelection, outcome: Outcome, reasons: [SelectionReason]) {
        self.selection = selection
        self.outcome = outcome
        self.reasons = reasons
    }
}

/// One clause of a selection and how it fared for a resource.
public enum SelectionReason: Equatable, Sendable, CustomStringConvertible {
    /// Neither `Resources` nor `ListOfTags` is given: the selection reaches every supported resource.
    case everyResource
    /// A `Resources` pattern matched the ARN.
    case resourcePattern(String)
    /// A `ListOfTags` entry matched the resource's tag.
    case listOfTags(key: String, value: String)
    /// None of the selection's `Resources` patterns and `ListOfTags` entries matched.
    case noResourceOrTagMatched
    /// A `Conditions` entry held; `actual` is the resource's value of the tag, if it has the tag.
    case conditionHeld(TagCondition, actual: String?)
    /// A `Conditions` entry failed.
    case conditionFailed(TagCondition, actual: String?)
    /// A `NotResources` pattern matched the ARN.
    case notResourcePattern(String)
    /// The resource is not of a type AWS Backup protects (the type given, or none the ARN tells).
    case unsupportedResourceType(String?)
    /// The resource's ARN is not an ARN (`arn:partition:service:region:account:resource`).
    case invalidArn
    /// A `Conditions` key outside `aws:ResourceTag/`: AWS documents no other key, so what it tests is unknown.
    case unknownConditionKey(String)

    public var description: String {
        switch self {
        case .everyResource: "no Resources or ListOfTags: every supported resource"
        case .resourcePattern(let pattern): "Resources \(quoted(pattern)) matches the ARN"
        case .listOfTags(let key, let value): "ListOfTags \(key) = \(quoted(value)) matches the resource's tag"
        case .noResourceOrTagMatched: "no Resources pattern and no ListOfTags entry matches"
        case .conditionHeld(let condition, let actual): "Conditions \(condition) holds (\(Self.tagText(actual)))"
        case .conditionFailed(let condition, let actual): "Conditions \(condition) fails (\(Self.tagText(actual)))"
        case .notResourcePattern(let pattern): "NotResources \(quoted(pattern)) matches the ARN"
        case .unsupportedResourceType(let type):
            type.map { "\(quoted($0)) is not a resource type AWS Backup protects" }
                ?? "the ARN is not of a resource type AWS Backup protects"
        case .invalidArn: "the resource's ARN is not an ARN"
        case .unknownConditionKey(let key):
            "Conditions key \(quoted(key)) is not aws:ResourceTag/KEY; AWS documents no other, so what it tests is unknown"
        }
    }

    private static func tagText(_ actual: String?) -> String {
        actual.map { "the tag is \(quoted($0))" } ?? "the resource has no such tag"
    }
}
