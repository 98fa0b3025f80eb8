/// GetBackupSelection and ListBackupSelections documents, by the shapes of the service model
/// (`GetBackupSelectionOutput`, `BackupSelection`, `Condition`, `Conditions`,
/// `ConditionParameter`, `BackupSelectionsListMember`).
enum SelectionDecoder {
    /// Every member of `BackupSelection` in the service model. Anything else is refused: each of
    /// these changes which resources are selected, and so could one AWS adds.
    static let selectionMembers: Set<String> = [
        "SelectionName", "IamRoleArn", "Resources", "ListOfTags", "NotResources", "Conditions",
    ]

    static func selection(_ document: MemberReader) throws(SelectionInputError) -> BackupSelection {
        guard let body = try document.object("BackupSelection") else { throw document.missing("BackupSelection") }
        try body.rejectUnknownMembers(selectionMembers)
        return BackupSelection(
            selectionID: try document.string("SelectionId"),
            planID: try document.string("BackupPlanId"),
            name: try body.requiredString("SelectionName"),
            iamRoleArn: try body.requiredString("IamRoleArn"),
            resources: try body.strings("Resources"),
            notResources: try body.strings("NotResources"),
            listOfTags: try listOfTags(body),
            conditions: try conditions(body.object("Conditions")),
            creationDate: try document.timestamp("CreationDate"),
            origin: document.context.origin("BackupSelection"))
    }

    /// `ListOfTags`: `{ConditionType: STRINGEQUALS, ConditionKey, ConditionValue}`, all three
    /// required by the model; STRINGEQUALS is the only type it has.
    static func listOfTags(_ body: MemberReader) throws(SelectionInputError) -> [TagCondition] {
        var tags: [TagCondition] = []
        for entry in try body.objects("ListOfTags") {
            try entry.rejectUnknownMembers(["ConditionType", "ConditionKey", "ConditionValue"])
            let type = try entry.requiredString("ConditionType")
            guard type == "STRINGEQUALS" else {
                throw body.context.error(
                    .invalidValue, at: entry.node("ConditionType")?.offset ?? entry.offset, path: entry.memberPath("ConditionType"),
                    "\(quoted(type)) is not a condition type of ListOfTags; the only one is STRINGEQUALS (use Conditions for the others)")
            }
            tags.append(TagCondition(
                .stringEquals, key: try entry.requiredString("ConditionKey"), value: try entry.requiredString("ConditionValue")))
        }
        return tags
    }

    /// `Conditions`: four lists of `{ConditionKey, ConditionValue}`. The model marks neither member
    /// required, but a condition without both tests nothing anyone can state, so both are.
    static func conditions(_ reader: MemberReader?) throws(SelectionInputError) -> [TagCondition] {
        guard let reader else { return [] }
        try reader.rejectUnknownMembers(Set(TagCondition.Operator.allCases.map(\.rawValue)))
        var conditions: [TagCondition] = []
        for op in TagCondition.Operator.allCases {
            for parameter in try reader.objects(op.rawValue) {
                try parameter.rejectUnknownMembers(["ConditionKey", "ConditionValue"])
                conditions.append(TagCondition(
                    op, key: try parameter.requiredString("ConditionKey"), value: try parameter.requiredString("ConditionValue")))
            }
        }
        return conditions
    }

    static func summaries(_ document: MemberReader) throws(SelectionInputError) -> [BackupSelectionSummary] {
        var summaries: [BackupSelectionSummary] = []
        for entry in try document.objects("BackupSelectionsList") {
            summaries.append(BackupSelectionSummary(
                selectionID: try entry.requiredString("SelectionId"),
                name: try entry.string("SelectionName"),
                planID: try entry.string("BackupPlanId"),
                iamRoleArn: try entry.string("IamRoleArn"),
                creationDate: try entry.timestamp("CreationDate"),
                origin: entry.context.origin(entry.path)))
        }
        return summaries
    }
}
