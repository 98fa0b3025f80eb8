import BackupSelections
import Foundation

let testOrigin = DocumentOrigin(source: "test", document: 1, path: "BackupSelection")

/// A selection with only the clauses a test sets.
func selection(
    _ name: String = "s", resources: [String] = [], notResources: [String] = [], listOfTags: [(String, String)] = [],
    conditions: [TagCondition] = [], planID: String? = "plan-1"
) -> BackupSelection {
    BackupSelection(
        selectionID: "sel-\(name)", planID: planID, name: name, iamRoleArn: "arn:aws:iam::123456789012:role/backup",
        resources: resources, notResources: notResources,
        listOfTags: listOfTags.map { TagCondition(.stringEquals, key: $0.0, value: $0.1) }, conditions: conditions,
        origin: testOrigin)
}

func tag(_ op: TagCondition.Operator, _ key: String, _ value: String) -> TagCondition {
    TagCondition(op, key: "aws:ResourceTag/" + key, value: value)
}

let volumeArn = "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1"
let instanceArn = "arn:aws:ec2:us-east-1:123456789012:instance/i-1"
let databaseArn = "arn:aws:rds:us-east-1:123456789012:db:orders"
let bucketArn = "arn:aws:s3:::my-bucket-logs"
let roleArn = "arn:aws:iam::123456789012:role/app"

/// The repository's root, for the example files.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Decodes text held in memory.
func decodeDocuments(_ text: String, source: String = "selections.json") throws(SelectionInputError) -> SelectionDocuments {
    try SelectionDocumentDecoder.decode(Array(text.utf8), source: source)
}
