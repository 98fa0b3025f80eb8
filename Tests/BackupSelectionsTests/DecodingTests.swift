import BackupJobs
import BackupSelections
import Testing

@Suite struct DecodingTests {
    @Test func aSelectionAsTheCLIPrintsIt() throws {
        let documents = try decodeDocuments(DocumentFixtures.selectionCLI)
        #expect(documents.selections.count == 1)
        let selection = try #require(documents.selections.first)
        #expect(selection.name == "tagged-daily")
        #expect(selection.selectionID == "6b0d4a6e-1b4e-4d6c-9f0a-2b7f8a9c0d11")
        #expect(selection.planID == "3e361858-a2f7-447a-952e-1b8b356f8bd1")
        #expect(selection.iamRoleArn == "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole")
        #expect(selection.resources == ["arn:aws:ec2:*:*:volume/*"])
        #expect(selection.notResources == [])
        #expect(selection.listOfTags == [TagCondition(.stringEquals, key: "backup", value: "daily")])
        #expect(selection.conditions == [
            TagCondition(.stringNotEquals, key: "aws:ResourceTag/stage", value: "test"),
            TagCondition(.stringLike, key: "aws:ResourceTag/team", value: "data-*"),
        ])
        #expect(selection.creationDate == Timestamp(iso8601: "2026-11-01T09:00:00.123Z"))
        #expect(selection.origin == DocumentOrigin(source: "selections.json", document: 1, path: "BackupSelection"))
    }

    @Test func aPlanAsTheCLIPrintsIt() throws {
        let plan = try #require(try decodeDocuments(DocumentFixtures.planCLI).plans.first)
        #expect(plan.planID == "3e361858-a2f7-447a-952e-1b8b356f8bd1")
        #expect(plan.planArn == "arn:aws:backup:us-east-1:123456789012:backup-plan:3e361858-a2f7-447a-952e-1b8b356f8bd1")
        #expect(plan.versionID == "ZjQ2ZTI0")
        #expect(plan.name == "daily-35d")
        #expect(plan.creationDate == Timestamp(iso8601: "2026-10-01T00:00:00Z"))
        #expect(plan.lastExecutionDate == Timestamp(iso8601: "2026-11-28T05:00:00.500Z"))
        #expect(plan.rules == [
            BackupRule(
                name: "daily", ruleID: "87efda6b-5e68-47ca-882e-a7602d1ef7bf", targetVaultName: "prod-vault",
                scheduleExpression: "cron(0 5 ? * * *)", scheduleTimezone: "Europe/Paris", startWindowMinutes: 60,
                completionWindowMinutes: 1440,
                lifecycle: Lifecycle(moveToColdStorageAfterDays: 7, deleteAfterDays: 97, optInToArchiveForSupportedResources: false),
                copyActions: [CopyAction(
                    destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr-vault",
                    lifecycle: Lifecycle(deleteAfterDays: 90))],
                enableContinuousBackup: false, recoveryPointTags: ["owner": "platform"]),
        ])
        // Paris has daylight saving: a daily run is up to 25 hours from the one before.
        let gap = PlanSchedule(plan: plan).expectedInterval?.longestGapSeconds
        let expected: Int64 = 25 * 3_600
        #expect(gap == expected)
    }

    @Test func aPlanAsTheAPISendsIt() throws {
        let plan = try #require(try decodeDocuments(DocumentFixtures.planAPI).plans.first)
        #expect(plan.planID == "p-api")
        // Epoch seconds to the millisecond, cut, never rounded through a Double.
        #expect(plan.creationDate == Timestamp(millisecondsSinceEpoch: 1_796_205_645_038))
        #expect(plan.rules.map(\.scheduleExpression) == ["cron(15 * ? * * *)"])
        #expect(PlanSchedule(plan: plan).expectedInterval?.longestGapSeconds == 3_600)
    }

    @Test func listsOfPlansAndSelections() throws {
        let plans = try decodeDocuments(DocumentFixtures.planList).planSummaries
        #expect(plans.map(\.planID) == ["p1", "p2"])
        #expect(plans[0].name == "one")
        #expect(plans[0].lastExecutionDate == Timestamp(millisecondsSinceEpoch: 1_796_205_645_000))
        #expect(plans[1].origin.path == "BackupPlansList[1]")
        let selections = try decodeDocuments(DocumentFixtures.selectionList).selectionSummaries
        #expect(selections.map(\.selectionID) == ["6b0d4a6e-1b4e-4d6c-9f0a-2b7f8a9c0d11", "missing-details"])
        #expect(selections[0].iamRoleArn == "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole")
    }

    @Test func severalDocumentsInARowOrInAnArray() throws {
        let texts = [DocumentFixtures.planCLI, DocumentFixtures.selectionCLI, DocumentFixtures.selectionList, DocumentFixtures.planList]
        let inARow = try decodeDocuments(texts.joined(separator: "\n"))
        let inAnArray = try decodeDocuments("[" + texts.joined(separator: ",") + "]")
        for documents in [inARow, inAnArray] {
            #expect(documents.plans.count == 1)
            #expect(documents.selections.count == 1)
            #expect(documents.selections.first?.origin.document == 2)
            #expect(documents.planSummaries.count == 2)
            #expect(documents.selectionSummaries.count == 2)
            // One summary has its GetBackupSelection document, the other does not.
            #expect(documents.selectionsWithoutDetails.map(\.selectionID) == ["missing-details"])
            #expect(documents.plansWithoutDetails.map(\.planID) == ["p1", "p2"])
        }
    }

    @Test func aCreateBackupSelectionInputFile() throws {
        let text = """
            {"BackupPlanId": "BACKUP-PLAN-ID", "BackupSelection": {"SelectionName": "resources-list-selection", "IamRoleArn": "arn:aws:iam::ACCOUNT-ID:role/IAM-ROLE-ARN", "Resources": ["arn:aws:ec2:*:*:instance/*"]}}
            """
        let selection = try #require(try decodeDocuments(text).selections.first)
        #expect(selection.selectionID == nil)
        #expect(selection.planID == "BACKUP-PLAN-ID")
        #expect(selection.resources == ["arn:aws:ec2:*:*:instance/*"])
        #expect(selection.listOfTags.isEmpty && selection.conditions.isEmpty && selection.notResources.isEmpty)
    }

    @Test func nullMembersReadAsAbsentAndAByteOrderMarkIsSkipped() throws {
        let text = "\u{FEFF}" + """
            {"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "Resources": null, "Conditions": null}, "SelectionId": null}
            """
        let selection = try #require(try decodeDocuments(text).selections.first)
        #expect(selection.resources.isEmpty && selection.conditions.isEmpty && selection.selectionID == nil)
    }

    @Test func escapesAreDecoded() throws {
        let text = #"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "k\u00e9\/\"", "ConditionValue": "\ud83d\ude00\t"}]}}"#
        let selection = try #require(try decodeDocuments(text).selections.first)
        #expect(selection.listOfTags == [TagCondition(.stringEquals, key: "ké/\"", value: "😀\t")])
    }

    /// Bad input: the error's code, line, column and context.
    @Test(arguments: [
        ("", SelectionInputError.Code.empty, nil, nil, nil),
        (" \n\t ", .empty, nil, nil, nil),
        (#"{"BackupSelection": {"SelectionName": 5, "IamRoleArn": "r"}}"#, .wrongType, 1, 39, "document 1: BackupSelection.SelectionName"),
        (#"{"BackupSelection": {"SelectionName": "s"}}"#, .missingMember, 1, 21, "document 1: BackupSelection"),
        (#"{"BackupPlan": {"BackupPlanName": "p"}}"#, .missingMember, 1, 16, "document 1: BackupPlan"),
        (#"{"BackupPlan": {"BackupPlanName": "p", "Rules": [{"RuleName": "r"}]}}"#, .missingMember, 1, 50, "document 1: BackupPlan.Rules[0]"),
        (#"{"BackupPlan": {"BackupPlanName": "p", "Rules": [{"RuleName": "r", "TargetBackupVaultName": "v", "StartWindowMinutes": 1.5}]}}"#, .invalidValue, 1, 120, "document 1: BackupPlan.Rules[0].StartWindowMinutes"),
        (#"{"BackupPlan": {"BackupPlanName": "p", "Rules": [{"RuleName": "r", "TargetBackupVaultName": "v", "StartWindowMinutes": "60"}]}}"#, .wrongType, 1, 120, "document 1: BackupPlan.Rules[0].StartWindowMinutes"),
        (#"{"BackupPlan": {"BackupPlanName": "p", "Rules": {}}}"#, .wrongType, 1, 49, "document 1: BackupPlan.Rules"),
        (#"{"BackupPlanId": "p", "CreationDate": "yesterday", "BackupPlan": {"BackupPlanName": "p", "Rules": []}}"#, .invalidValue, 1, 39, "document 1: CreationDate"),
        (#"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "ListOfTags": [{"ConditionType": "STRINGLIKE", "ConditionKey": "k", "ConditionValue": "v"}]}}"#, .invalidValue, 1, 96, "document 1: BackupSelection.ListOfTags[0].ConditionType"),
        (#"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "Conditions": {"StringEqualsIgnoreCase": []}}}"#, .invalidValue, 1, 78, "document 1: BackupSelection.Conditions.StringEqualsIgnoreCase"),
        (#"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "ResourceTypes": ["EBS"]}}"#, .invalidValue, 1, 63, "document 1: BackupSelection.ResourceTypes"),
        (#"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "Conditions": {"StringLike": [{"ConditionKey": "aws:ResourceTag/a"}]}}}"#, .missingMember, 1, 93, "document 1: BackupSelection.Conditions.StringLike[0]"),
        (#"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "Resources": "arn:aws:s3:::b"}}"#, .wrongType, 1, 76, "document 1: BackupSelection.Resources"),
        (#"{"BackupSelection": {"SelectionName": "s", "IamRoleArn": "r", "Resources": [1]}}"#, .wrongType, 1, 77, "document 1: BackupSelection.Resources[0]"),
        (#"{"BackupSelection": {"SelectionName": "s", "SelectionName": "t", "IamRoleArn": "r"}}"#, .duplicateMember, 1, 44, nil),
        (#"{"BackupJobs": []}"#, .unrecognizedDocument, 1, 1, "document 1"),
        (#"{"BackupPlan": {}, "BackupSelection": {}}"#, .unrecognizedDocument, 1, 1, "document 1"),
        (#"[{"BackupPlansList": []}, 7]"#, .wrongType, 1, 27, "document 2"),
        (#"{"BackupSelection": {"#, .truncated, 1, 22, nil),
        ("{\"BackupSelection\": {\"SelectionName\": \"s\"", .truncated, 1, 42, nil),
        (#"{"BackupSelection" 1}"#, .syntax, 1, 20, nil),
        (#"{"BackupPlansList": []} x"#, .syntax, 1, 25, nil),
        (#"{"BackupPlansList": [01]}"#, .syntax, 1, 23, nil),  // a leading zero ends the number
        (#"{"BackupPlansList": [-]}"#, .syntax, 1, 22, nil),
        (#"{"BackupPlansList": [tru]}"#, .syntax, 1, 25, nil),
        ("{\"BackupPlansList\": [\"a\tb\"]}", .syntax, 1, 24, nil),
        (#"{"BackupPlansList": ["\x"]}"#, .syntax, 1, 23, nil),
        (#"{"BackupPlansList": ["\ud800"]}"#, .invalidUTF8, 1, 23, nil),
        (#"{"BackupPlansList": ["\udc00"]}"#, .invalidUTF8, 1, 23, nil),
        ("{\n  \"BackupPlansList\": [\n    {\"BackupPlanId\": 5}\n  ]\n}", .wrongType, 3, 22, "document 1: BackupPlansList[0].BackupPlanId"),
    ] as [(String, SelectionInputError.Code, Int?, Int?, String?)])
    func badInput(text: String, code: SelectionInputError.Code, line: Int?, column: Int?, context: String?) {
        do {
            let documents = try decodeDocuments(text)
            Issue.record("decoded \(documents.plans.count) plans and \(documents.selections.count) selections")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.location?.line == line, "\(error)")
            #expect(error.location?.column == column, "\(error)")
            #expect(error.context == context, "\(error)")
            #expect(error.source == "selections.json")
        }
    }

    @Test func invalidUTF8InAString() {
        var bytes = Array(#"{"BackupPlansList": [{"BackupPlanId": "a"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#""}]}"#.utf8)
        #expect(throws: SelectionInputError.self) { try SelectionDocumentDecoder.decode(bytes, source: "x") }
        do { _ = try SelectionDocumentDecoder.decode(bytes, source: "x") } catch { #expect(error.code == .invalidUTF8) }
    }

    @Test func theErrorReadsWithFileLineColumnCodeAndPlace() {
        do {
            _ = try decodeDocuments("{\"BackupSelection\": {\"SelectionName\": 5, \"IamRoleArn\": \"r\"}}", source: "sel.json")
        } catch {
            #expect(error.description == "sel.json:1:39: error[selections.wrong-type]: document 1: BackupSelection.SelectionName: expected a string, found the number 5")
        }
    }

    @Test func everyCodeIsNamedAndStable() {
        #expect(Set(SelectionInputError.Code.allCases.map(\.rawValue)).count == SelectionInputError.Code.allCases.count)
        #expect(SelectionInputError.Code.allCases.allSatisfy { $0.rawValue.hasPrefix("selections.") })
    }
}
