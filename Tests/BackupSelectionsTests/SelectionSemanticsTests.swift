import BackupSelections
import Testing

/// One resource against one selection: the outcome and the clauses that decided it.
struct SemanticsCase: Sendable, CustomTestStringConvertible {
    var name: String
    var selection: BackupSelection
    var resource: SelectableResource
    var outcome: SelectionDecision.Outcome
    var reasons: [SelectionReason]

    var testDescription: String { name }
}

/// The cases AWS documents, each from the page it is on (docs/selections.md lists them).
let documentedCases: [SemanticsCase] = [
    SemanticsCase(
        name: "Resources: an exact ARN", selection: selection(resources: [volumeArn]),
        resource: SelectableResource(arn: volumeArn), outcome: .selected, reasons: [.resourcePattern(volumeArn)]),
    SemanticsCase(
        name: "Resources: another ARN is not selected", selection: selection(resources: [volumeArn]),
        resource: SelectableResource(arn: instanceArn), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "Resources: several ARNs are ORed", selection: selection(resources: [databaseArn, instanceArn]),
        resource: SelectableResource(arn: instanceArn), outcome: .selected, reasons: [.resourcePattern(instanceArn)]),
    SemanticsCase(
        name: "Resources: a trailing wildcard (API reference: arn:aws:s3:::my-bucket-*)",
        selection: selection(resources: ["arn:aws:s3:::my-bucket-*"]),
        resource: SelectableResource(arn: bucketArn), outcome: .selected, reasons: [.resourcePattern("arn:aws:s3:::my-bucket-*")]),
    SemanticsCase(
        name: "Resources: a trailing wildcard is still a prefix", selection: selection(resources: ["arn:aws:s3:::my-bucket-*"]),
        resource: SelectableResource(arn: "arn:aws:s3:::other-bucket"), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "Resources: wildcards for Region and account (CLI guide: arn:aws:ec2:*:*:volume/*)",
        selection: selection(resources: ["arn:aws:ec2:*:*:volume/*"]),
        resource: SelectableResource(arn: volumeArn), outcome: .selected, reasons: [.resourcePattern("arn:aws:ec2:*:*:volume/*")]),
    SemanticsCase(
        name: "Resources: volumes only, not instances", selection: selection(resources: ["arn:aws:ec2:*:*:volume/*"]),
        resource: SelectableResource(arn: instanceArn), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "Resources: * is every resource (CLI guide: select all resources)", selection: selection(resources: ["*"]),
        resource: SelectableResource(arn: databaseArn), outcome: .selected, reasons: [.resourcePattern("*")]),
    SemanticsCase(
        name: "NotResources: all but EBS volumes excludes a volume",
        selection: selection(resources: ["*"], notResources: ["arn:aws:ec2:*:*:volume/*"]),
        resource: SelectableResource(arn: volumeArn), outcome: .excluded,
        reasons: [.resourcePattern("*"), .notResourcePattern("arn:aws:ec2:*:*:volume/*")]),
    SemanticsCase(
        name: "NotResources: all but EBS volumes keeps an instance",
        selection: selection(resources: ["*"], notResources: ["arn:aws:ec2:*:*:volume/*"]),
        resource: SelectableResource(arn: instanceArn), outcome: .selected, reasons: [.resourcePattern("*")]),
    SemanticsCase(
        name: "Resources AND Conditions: tagged backup=true, not a volume (CLI guide)",
        selection: selection(resources: ["*"], notResources: ["arn:aws:ec2:*:*:volume/*"], conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: instanceArn, tags: ["backup": "true"]), outcome: .selected,
        reasons: [.resourcePattern("*"), .conditionHeld(tag(.stringEquals, "backup", "true"), actual: "true")]),
    SemanticsCase(
        name: "Resources AND Conditions: untagged is not selected",
        selection: selection(resources: ["*"], conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: instanceArn), outcome: .notSelected,
        reasons: [.resourcePattern("*"), .conditionFailed(tag(.stringEquals, "backup", "true"), actual: nil)]),
    SemanticsCase(
        name: "Conditions are ANDed: backup=true and stage=prod both needed (CLI guide, re:Post example 1)",
        selection: selection(
            resources: ["arn:aws:ec2:*:*:volume/*", "arn:aws:rds:*:*:db:*"],
            conditions: [tag(.stringEquals, "backup", "true"), tag(.stringEquals, "stage", "prod")]),
        resource: SelectableResource(arn: databaseArn, tags: ["backup": "true", "stage": "dev"]), outcome: .notSelected,
        reasons: [
            .resourcePattern("arn:aws:rds:*:*:db:*"), .conditionHeld(tag(.stringEquals, "backup", "true"), actual: "true"),
            .conditionFailed(tag(.stringEquals, "stage", "prod"), actual: "dev"),
        ]),
    SemanticsCase(
        name: "Conditions are ANDed: both hold",
        selection: selection(
            resources: ["arn:aws:ec2:*:*:volume/*", "arn:aws:rds:*:*:db:*"],
            conditions: [tag(.stringEquals, "backup", "true"), tag(.stringEquals, "stage", "prod")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "true", "stage": "prod"]), outcome: .selected,
        reasons: [
            .resourcePattern("arn:aws:ec2:*:*:volume/*"), .conditionHeld(tag(.stringEquals, "backup", "true"), actual: "true"),
            .conditionHeld(tag(.stringEquals, "stage", "prod"), actual: "prod"),
        ]),
    SemanticsCase(
        name: "Resources AND Conditions: the tags do not reach outside Resources",
        selection: selection(resources: ["arn:aws:rds:*:*:db:*"], conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: bucketArn, tags: ["backup": "true"]), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "ListOfTags entries are ORed", selection: selection(listOfTags: [("backup", "daily"), ("backup", "weekly")]),
        resource: SelectableResource(arn: bucketArn, tags: ["backup": "weekly"]), outcome: .selected,
        reasons: [.listOfTags(key: "backup", value: "weekly")]),
    SemanticsCase(
        name: "ListOfTags: no entry matches", selection: selection(listOfTags: [("backup", "daily"), ("backup", "weekly")]),
        resource: SelectableResource(arn: bucketArn, tags: ["backup": "monthly"]), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "Resources OR ListOfTags: an untagged volume by its ARN (re:Post example 2)",
        selection: selection(resources: ["arn:aws:ec2:*:*:volume/*"], listOfTags: [("backup", "yes")]),
        resource: SelectableResource(arn: volumeArn), outcome: .selected, reasons: [.resourcePattern("arn:aws:ec2:*:*:volume/*")]),
    SemanticsCase(
        name: "Resources OR ListOfTags: a tagged bucket by its tag",
        selection: selection(resources: ["arn:aws:ec2:*:*:volume/*"], listOfTags: [("backup", "yes")]),
        resource: SelectableResource(arn: bucketArn, tags: ["backup": "yes"]), outcome: .selected,
        reasons: [.listOfTags(key: "backup", value: "yes")]),
    SemanticsCase(
        name: "Resources OR ListOfTags: an untagged bucket is not selected",
        selection: selection(resources: ["arn:aws:ec2:*:*:volume/*"], listOfTags: [("backup", "yes")]),
        resource: SelectableResource(arn: bucketArn), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "An empty selection reaches every supported resource (BackupSelection API reference)", selection: selection(),
        resource: SelectableResource(arn: volumeArn), outcome: .selected, reasons: [.everyResource]),
    SemanticsCase(
        name: "An empty selection does not reach a type AWS Backup does not protect", selection: selection(),
        resource: SelectableResource(arn: roleArn), outcome: .notSelected, reasons: [.unsupportedResourceType(nil)]),
    SemanticsCase(
        name: "StringLike: prod* matches production (Conditions API reference)",
        selection: selection(resources: ["*"], conditions: [tag(.stringLike, "env", "prod*")]),
        resource: SelectableResource(arn: volumeArn, tags: ["env": "production"]), outcome: .selected,
        reasons: [.resourcePattern("*"), .conditionHeld(tag(.stringLike, "env", "prod*"), actual: "production")]),
    SemanticsCase(
        name: "StringLike: *rod* matches production",
        selection: selection(resources: ["*"], conditions: [tag(.stringLike, "env", "*rod*")]),
        resource: SelectableResource(arn: volumeArn, tags: ["env": "production"]), outcome: .selected,
        reasons: [.resourcePattern("*"), .conditionHeld(tag(.stringLike, "env", "*rod*"), actual: "production")]),
    SemanticsCase(
        name: "StringLike: *rod* does not match staging",
        selection: selection(resources: ["*"], conditions: [tag(.stringLike, "env", "*rod*")]),
        resource: SelectableResource(arn: volumeArn, tags: ["env": "staging"]), outcome: .notSelected,
        reasons: [.resourcePattern("*"), .conditionFailed(tag(.stringLike, "env", "*rod*"), actual: "staging")]),
    SemanticsCase(
        name: "StringNotEquals: stage=test is left out",
        selection: selection(resources: ["*"], conditions: [tag(.stringEquals, "backup", "true"), tag(.stringNotEquals, "stage", "test")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "true", "stage": "test"]), outcome: .notSelected,
        reasons: [
            .resourcePattern("*"), .conditionHeld(tag(.stringEquals, "backup", "true"), actual: "true"),
            .conditionFailed(tag(.stringNotEquals, "stage", "test"), actual: "test"),
        ]),
    SemanticsCase(
        name: "StringNotEquals: stage=prod stays",
        selection: selection(resources: ["*"], conditions: [tag(.stringNotEquals, "stage", "test")]),
        resource: SelectableResource(arn: volumeArn, tags: ["stage": "prod"]), outcome: .selected,
        reasons: [.resourcePattern("*"), .conditionHeld(tag(.stringNotEquals, "stage", "test"), actual: "prod")]),
    SemanticsCase(
        name: "StringNotLike: test* leaves out testing",
        selection: selection(resources: ["*"], conditions: [tag(.stringNotLike, "stage", "test*")]),
        resource: SelectableResource(arn: volumeArn, tags: ["stage": "testing"]), outcome: .notSelected,
        reasons: [.resourcePattern("*"), .conditionFailed(tag(.stringNotLike, "stage", "test*"), actual: "testing")]),
    SemanticsCase(
        name: "Conditions are case sensitive: values", selection: selection(resources: ["*"], conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "True"]), outcome: .notSelected,
        reasons: [.resourcePattern("*"), .conditionFailed(tag(.stringEquals, "backup", "true"), actual: "True")]),
    SemanticsCase(
        name: "Conditions are case sensitive: keys", selection: selection(resources: ["*"], conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: volumeArn, tags: ["Backup": "true"]), outcome: .notSelected,
        reasons: [.resourcePattern("*"), .conditionFailed(tag(.stringEquals, "backup", "true"), actual: nil)]),
    SemanticsCase(
        name: "ListOfTags is case sensitive", selection: selection(listOfTags: [("backup", "yes")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "Yes"]), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
]

/// The combinations AWS leaves open, each decided in docs/selections.md ("Choices").
let decidedCases: [SemanticsCase] = [
    SemanticsCase(
        name: "Conditions alone filter every supported resource", selection: selection(conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: databaseArn, tags: ["backup": "true"]), outcome: .selected,
        reasons: [.everyResource, .conditionHeld(tag(.stringEquals, "backup", "true"), actual: "true")]),
    SemanticsCase(
        name: "Conditions alone: an untagged resource is not selected", selection: selection(conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: databaseArn), outcome: .notSelected,
        reasons: [.everyResource, .conditionFailed(tag(.stringEquals, "backup", "true"), actual: nil)]),
    SemanticsCase(
        name: "ListOfTags AND Conditions: both hold",
        selection: selection(listOfTags: [("backup", "yes")], conditions: [tag(.stringEquals, "stage", "prod")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "yes", "stage": "prod"]), outcome: .selected,
        reasons: [.listOfTags(key: "backup", value: "yes"), .conditionHeld(tag(.stringEquals, "stage", "prod"), actual: "prod")]),
    SemanticsCase(
        name: "ListOfTags AND Conditions: the tag without the condition",
        selection: selection(listOfTags: [("backup", "yes")], conditions: [tag(.stringEquals, "stage", "prod")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "yes", "stage": "dev"]), outcome: .notSelected,
        reasons: [.listOfTags(key: "backup", value: "yes"), .conditionFailed(tag(.stringEquals, "stage", "prod"), actual: "dev")]),
    SemanticsCase(
        name: "ListOfTags AND Conditions: the condition without the tag",
        selection: selection(listOfTags: [("backup", "yes")], conditions: [tag(.stringEquals, "stage", "prod")]),
        resource: SelectableResource(arn: volumeArn, tags: ["stage": "prod"]), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "StringNotEquals holds for a resource without the tag (IAM's negated operators)",
        selection: selection(resources: ["*"], conditions: [tag(.stringNotEquals, "stage", "test")]),
        resource: SelectableResource(arn: volumeArn), outcome: .selected,
        reasons: [.resourcePattern("*"), .conditionHeld(tag(.stringNotEquals, "stage", "test"), actual: nil)]),
    SemanticsCase(
        name: "StringNotLike holds for a resource without the tag",
        selection: selection(resources: ["*"], conditions: [tag(.stringNotLike, "stage", "test*")]),
        resource: SelectableResource(arn: volumeArn), outcome: .selected,
        reasons: [.resourcePattern("*"), .conditionHeld(tag(.stringNotLike, "stage", "test*"), actual: nil)]),
    SemanticsCase(
        name: "StringEquals twice on one key: both must hold, so nothing is selected",
        selection: selection(resources: ["*"], conditions: [tag(.stringEquals, "backup", "daily"), tag(.stringEquals, "backup", "weekly")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "daily"]), outcome: .notSelected,
        reasons: [
            .resourcePattern("*"), .conditionHeld(tag(.stringEquals, "backup", "daily"), actual: "daily"),
            .conditionFailed(tag(.stringEquals, "backup", "weekly"), actual: "daily"),
        ]),
    SemanticsCase(
        name: "NotResources alone: every supported resource but those", selection: selection(notResources: ["arn:aws:ec2:*:*:volume/*"]),
        resource: SelectableResource(arn: volumeArn), outcome: .excluded, reasons: [.everyResource, .notResourcePattern("arn:aws:ec2:*:*:volume/*")]),
    SemanticsCase(
        name: "NotResources alone keeps the rest", selection: selection(notResources: ["arn:aws:ec2:*:*:volume/*"]),
        resource: SelectableResource(arn: instanceArn), outcome: .selected, reasons: [.everyResource]),
    SemanticsCase(
        name: "NotResources on a resource the selection does not reach anyway: not selected, not excluded",
        selection: selection(resources: ["arn:aws:rds:*:*:db:*"], notResources: ["arn:aws:ec2:*:*:volume/*"]),
        resource: SelectableResource(arn: volumeArn), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "NotResources on a resource whose conditions fail: not selected, not excluded",
        selection: selection(resources: ["*"], notResources: [volumeArn], conditions: [tag(.stringEquals, "backup", "true")]),
        resource: SelectableResource(arn: volumeArn), outcome: .notSelected,
        reasons: [.resourcePattern("*"), .conditionFailed(tag(.stringEquals, "backup", "true"), actual: nil)]),
    SemanticsCase(
        name: "ListOfTags key written aws:ResourceTag/KEY (as CloudFormation's reference does) names the tag KEY",
        selection: selection(listOfTags: [("aws:ResourceTag/backup", "yes")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "yes"]), outcome: .selected,
        reasons: [.listOfTags(key: "aws:ResourceTag/backup", value: "yes")]),
    SemanticsCase(
        name: "A Conditions key without aws:ResourceTag/ is undetermined",
        selection: selection(resources: ["*"], conditions: [TagCondition(.stringEquals, key: "backup", value: "true")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "true"]), outcome: .undetermined,
        reasons: [.unknownConditionKey("backup")]),
    SemanticsCase(
        name: "A wildcard inside an ARN pattern matches as a wildcard (the API reference says only trailing ones are supported)",
        selection: selection(resources: ["arn:aws:s3:::*-logs"]),
        resource: SelectableResource(arn: bucketArn), outcome: .selected, reasons: [.resourcePattern("arn:aws:s3:::*-logs")]),
    SemanticsCase(
        name: "StringLike: ? is an ordinary character", selection: selection(resources: ["*"], conditions: [tag(.stringLike, "env", "prod?")]),
        resource: SelectableResource(arn: volumeArn, tags: ["env": "prod1"]), outcome: .notSelected,
        reasons: [.resourcePattern("*"), .conditionFailed(tag(.stringLike, "env", "prod?"), actual: "prod1")]),
    SemanticsCase(
        name: "ListOfTags: * in a value is an ordinary character", selection: selection(listOfTags: [("backup", "*")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "yes"]), outcome: .notSelected, reasons: [.noResourceOrTagMatched]),
    SemanticsCase(
        name: "The inventory's type decides an RDS cluster ARN: Aurora is protected", selection: selection(),
        resource: SelectableResource(arn: "arn:aws:rds:us-east-1:123456789012:cluster:c1", resourceType: "Aurora"),
        outcome: .selected, reasons: [.everyResource]),
    SemanticsCase(
        name: "An RDS cluster ARN without a type may be any protected cluster type", selection: selection(),
        resource: SelectableResource(arn: "arn:aws:rds:us-east-1:123456789012:cluster:c1"), outcome: .selected, reasons: [.everyResource]),
    SemanticsCase(
        name: "An inventory type named another way (AWS Config's) does not hide a volume's ARN", selection: selection(),
        resource: SelectableResource(arn: volumeArn, resourceType: "AWS::EC2::Volume"), outcome: .selected, reasons: [.everyResource]),
    SemanticsCase(
        name: "A type AWS Backup does not protect is never selected, even by its ARN", selection: selection(resources: [roleArn]),
        resource: SelectableResource(arn: roleArn, resourceType: "IAM"), outcome: .notSelected, reasons: [.unsupportedResourceType("IAM")]),
    SemanticsCase(
        name: "A resource whose ARN is not an ARN is not selected", selection: selection(resources: ["*"]),
        resource: SelectableResource(arn: "vol-1"), outcome: .notSelected, reasons: [.invalidArn]),
    SemanticsCase(
        name: "Every clause that matched is named",
        selection: selection(resources: ["arn:aws:ec2:*", volumeArn], listOfTags: [("backup", "yes"), ("tier", "gold")]),
        resource: SelectableResource(arn: volumeArn, tags: ["backup": "yes", "tier": "gold"]), outcome: .selected,
        reasons: [
            .resourcePattern("arn:aws:ec2:*"), .resourcePattern(volumeArn), .listOfTags(key: "backup", value: "yes"),
            .listOfTags(key: "tier", value: "gold"),
        ]),
]

@Suite struct SelectionSemanticsTests {
    @Test(arguments: documentedCases)
    func documented(_ example: SemanticsCase) {
        check(example)
    }

    @Test(arguments: decidedCases)
    func decided(_ example: SemanticsCase) {
        check(example)
    }

    private func check(_ example: SemanticsCase) {
        let decisions = SelectionMatcher(selections: [example.selection]).decisions(for: example.resource)
        #expect(decisions.count == 1)
        #expect(decisions.first?.outcome == example.outcome)
        #expect(decisions.first?.reasons == example.reasons)
    }

    @Test func decisionsComeOnePerSelectionInOrder() {
        let selections = [
            selection("volumes", resources: ["arn:aws:ec2:*:*:volume/*"]),
            selection("databases", resources: ["arn:aws:rds:*:*:db:*"]),
            selection("all-but-vol-1", resources: ["*"], notResources: [volumeArn]),
        ]
        let matcher = SelectionMatcher(selections: selections)
        let decisions = matcher.decisions(for: SelectableResource(arn: volumeArn))
        #expect(decisions.map(\.selection.name) == ["volumes", "databases", "all-but-vol-1"])
        #expect(decisions.map(\.outcome) == [.selected, .notSelected, .excluded])
        #expect(matcher.selecting(SelectableResource(arn: volumeArn)).map(\.selection.name) == ["volumes"])
    }

    @Test func reasonsReadAsSentences() {
        #expect(SelectionReason.conditionFailed(tag(.stringEquals, "backup", "true"), actual: nil).description
            == "Conditions StringEquals aws:ResourceTag/backup = \"true\" fails (the resource has no such tag)")
        #expect(SelectionReason.notResourcePattern("arn:aws:ec2:*:*:volume/*").description
            == "NotResources \"arn:aws:ec2:*:*:volume/*\" matches the ARN")
        #expect(SelectionReason.unsupportedResourceType("IAM").description == "\"IAM\" is not a resource type AWS Backup protects")
    }

    @Test(arguments: [
        (volumeArn, "EBS"), (instanceArn, "EC2"), (databaseArn, "RDS"), (bucketArn, "S3"),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/orders", "DynamoDB"),
        ("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-1", "EFS"),
        ("arn:aws:storagegateway:eu-west-1:123456789012:gateway/sgw-1/volume/vol-1", "Storage Gateway"),
        ("arn:aws:fsx:us-east-1:123456789012:file-system/fs-1", "FSx"),
        ("arn:aws:redshift:us-east-1:123456789012:cluster:c1", "Redshift"),
        ("arn:aws:timestream:us-east-1:123456789012:database/d/table/t", "Timestream"),
        ("arn:aws:cloudformation:us-east-1:123456789012:stack/s/1", "CloudFormation"),
        ("arn:aws:backup-gateway:us-east-1:123456789012:vm/vm-1", "VirtualMachine"),
        ("arn:aws:eks:us-east-1:123456789012:cluster/c1", "EKS"),
    ])
    func resourceTypesByArn(arn: String, type: String) throws {
        #expect(BackupResourceType.type(of: try #require(ResourceArn(arn))) == type)
        #expect(BackupResourceType.supported.contains(type))
    }

    @Test(arguments: [roleArn, "arn:aws:ec2:us-east-1:123456789012:snapshot/snap-1", "arn:aws:s3:::bucket/key", "arn:aws:rds:us-east-1:1:cluster:c"])
    func arnsWithoutAType(arn: String) throws {
        #expect(BackupResourceType.type(of: try #require(ResourceArn(arn))) == nil)
    }
}
