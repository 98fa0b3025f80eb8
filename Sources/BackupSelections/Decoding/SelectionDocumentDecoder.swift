/// Reads the documents users have of their plans and selections, recognised by their members:
///
/// | document | from | member |
/// |---|---|---|
/// | a plan | `aws backup get-backup-plan`, a `create-backup-plan` input file | `BackupPlan` |
/// | plan summaries | `aws backup list-backup-plans` | `BackupPlansList` |
/// | a selection | `aws backup get-backup-selection`, a `create-backup-selection` input file | `BackupSelection` |
/// | selection summaries | `aws backup list-backup-selections` | `BackupSelectionsList` |
///
/// A file holds one document, several in a row (a shell loop's output), or an array of them.
/// Timestamps are the API's epoch seconds or the AWS CLI's ISO 8601 text.
public enum SelectionDocumentDecoder {
    public static func decode(_ bytes: [UInt8], source: String) throws(SelectionInputError) -> SelectionDocuments {
        var parser = JSONTreeParser(bytes: bytes)
        let values: [JSONNode]
        do {
            values = try parser.parseSequence()
        } catch {
            throw SelectionInputError(error.code, source: source, location: .of(offset: error.offset, in: bytes), message: error.message)
        }
        guard !values.isEmpty else {
            throw SelectionInputError(.empty, source: source, message: "the file holds no document")
        }
        var documents: [JSONNode] = []
        for value in values {
            if case .array(let elements) = value.value { documents += elements } else { documents.append(value) }
        }
        var result = SelectionDocuments()
        for (index, node) in documents.enumerated() {
            let context = DecodeContext(bytes: bytes, source: source, document: index + 1)
            result.append(try decodeDocument(node, context: context))
        }
        return result
    }

    private static let documentMembers = ["BackupPlan", "BackupPlansList", "BackupSelection", "BackupSelectionsList"]

    private static func decodeDocument(_ node: JSONNode, context: DecodeContext) throws(SelectionInputError) -> SelectionDocuments {
        let reader = try MemberReader(context: context, node: node, path: "")
        let kinds = documentMembers.filter { kind in reader.members.contains { $0.name == kind } }
        guard kinds.count == 1, let kind = kinds.first else {
            let found = kinds.isEmpty ? "none of them" : "both \(kinds.joined(separator: " and "))"
            throw context.error(
                .unrecognizedDocument, at: node.offset, path: nil,
                "not a backup plan or selection document: expected one of \(documentMembers.joined(separator: ", ")), found \(found)")
        }
        switch kind {
        case "BackupPlan": return SelectionDocuments(plans: [try PlanDecoder.plan(reader)])
        case "BackupPlansList": return SelectionDocuments(planSummaries: try PlanDecoder.summaries(reader))
        case "BackupSelection": return SelectionDocuments(selections: [try SelectionDecoder.selection(reader)])
        default: return SelectionDocuments(selectionSummaries: try SelectionDecoder.summaries(reader))
        }
    }
}
