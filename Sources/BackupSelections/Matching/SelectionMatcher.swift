/// Decides which selections select a resource, with the semantics AWS documents (see
/// docs/selections.md for the sources and for the choices made where they are silent):
///
/// - `Resources` patterns and `ListOfTags` entries are alternatives (OR); when neither is given
///   the selection reaches every resource of a type AWS Backup protects;
/// - every `Conditions` entry must hold (AND), on top of that;
/// - a resource that passes both but matches a `NotResources` pattern is excluded.
///
/// Patterns are compiled once, so deciding for a large inventory costs one pass per selection.
public struct SelectionMatcher: Sendable {
    private struct Compiled: Sendable {
        var selection: BackupSelection
        var resources: [WildcardPattern]
        var notResources: [WildcardPattern]
        /// `ListOfTags` with the tag key each entry tests.
        var tags: [(condition: TagCondition, tagKey: String)]
        var conditions: [(condition: TagCondition, tagKey: String?, pattern: WildcardPattern)]
    }

    private let compiled: [Compiled]

    public init(selections: [BackupSelection]) {
        compiled = selections.map { selection in
            Compiled(
                selection: selection,
                resources: selection.resources.map(WildcardPattern.init),
                notResources: selection.notResources.map(WildcardPattern.init),
                tags: selection.listOfTags.map { ($0, Self.listOfTagsKey($0.key)) },
                conditions: selection.conditions.map { ($0, Self.conditionTagKey($0.key), WildcardPattern($0.value)) })
        }
    }

    static let resourceTagPrefix = "aws:ResourceTag/"

    /// A `Conditions` key names a tag as `aws:ResourceTag/KEY` (the API reference); `nil` for any other.
    static func conditionTagKey(_ key: String) -> String? {
        key.hasPrefix(resourceTagPrefix) ? String(key.dropFirst(resourceTagPrefix.count)) : nil
    }

    /// A `ListOfTags` key is the tag's key itself (the API reference's example: `backup`); the
    /// CloudFormation reference writes it `aws:ResourceTag/KEY` instead, so that form names the
    /// same tag.
    static func listOfTagsKey(_ key: String) -> String {
        conditionTagKey(key) ?? key
    }

    /// One decision per selection, in the order the selections were given.
    public func decisions(for resource: SelectableResource) -> [SelectionDecision] {
        let arn = ResourceArn(resource.arn)
        // The inventory's type may be named another way (AWS Config's `AWS::EC2::Volume`), so a
        // type outside AWS Backup's names still counts when the ARN shows a protected type.
        let supported =
            resource.resourceType.map(BackupResourceType.supported.contains) == true
            || arn.map(BackupResourceType.isProtectable) == true
        let arnBytes = Array(resource.arn.utf8)
        return compiled.map { entry in
            guard arn != nil else { return SelectionDecision(selection: entry.selection, outcome: .notSelected, reasons: [.invalidArn]) }
            guard supported else {
                return SelectionDecision(
                    selection: entry.selection, outcome: .notSelected, reasons: [.unsupportedResourceType(resource.resourceType)])
            }
            return decide(entry, resource, arnBytes: arnBytes)
        }
    }

    /// The decisions that select the resource.
    public func selecting(_ resource: SelectableResource) -> [SelectionDecision] {
        decisions(for: resource).filter { $0.outcome == .selected }
    }

    private func decide(_ entry: Compiled, _ resource: SelectableResource, arnBytes: [UInt8]) -> SelectionDecision {
        func decision(_ outcome: SelectionDecision.Outcome, _ reasons: [SelectionReason]) -> SelectionDecision {
            SelectionDecision(selection: entry.selection, outcome: outcome, reasons: reasons)
        }
        if let unknown = entry.conditions.first(where: { $0.tagKey == nil }) {
            return decision(.undetermined, [.unknownConditionKey(unknown.condition.key)])
        }
        var reasons: [SelectionReason] = []
        if entry.resources.isEmpty && entry.tags.isEmpty {
            reasons.append(.everyResource)
        } else {
            for pattern in entry.resources where pattern.matches(utf8: arnBytes) {
                reasons.append(.resourcePattern(pattern.text))
            }
            for tag in entry.tags where resource.tags[tag.tagKey] == tag.condition.value {
                reasons.append(.listOfTags(key: tag.condition.key, value: tag.condition.value))
            }
            if reasons.isEmpty { return decision(.notSelected, [.noResourceOrTagMatched]) }
        }
        var failed = false
        for condition in entry.conditions {
            let actual = condition.tagKey.flatMap { resource.tags[$0] }
            let holds = Self.holds(condition.condition.op, actual: actual, value: condition.condition.value, pattern: condition.pattern)
            reasons.append(holds ? .conditionHeld(condition.condition, actual: actual) : .conditionFailed(condition.condition, actual: actual))
            failed = failed || !holds
        }
        if failed { return decision(.notSelected, reasons) }
        if let pattern = entry.notResources.first(where: { $0.matches(utf8: arnBytes) }) {
            return decision(.excluded, reasons + [.notResourcePattern(pattern.text)])
        }
        return decision(.selected, reasons)
    }

    /// A positive operator needs the tag; a negated one holds for a resource without it, as in IAM
    /// policies, whose condition logic the AWS Backup guide says selections follow.
    static func holds(_ op: TagCondition.Operator, actual: String?, value: String, pattern: WildcardPattern) -> Bool {
        switch op {
        case .stringEquals: actual == value
        case .stringNotEquals: actual != value
        case .stringLike: actual.map(pattern.matches) ?? false
        case .stringNotLike: !(actual.map(pattern.matches) ?? false)
        }
    }
}
