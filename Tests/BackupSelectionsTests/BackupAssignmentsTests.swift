import BackupSelections
import Testing

/// Plans and selections together: which plans' schedules a resource gets, and what stays unknown.
@Suite struct BackupAssignmentsTests {
    static func plan(_ id: String, _ schedule: String, document: Int = 1) -> BackupPlan {
        BackupPlan(
            planID: id, name: id, rules: [BackupRule(name: "r", targetVaultName: "v", scheduleExpression: schedule)],
            origin: DocumentOrigin(source: "plans.json", document: document, path: "BackupPlan"))
    }

    @Test func theShortestIntervalAmongTheSelectingPlans() {
        let documents = SelectionDocuments(
            plans: [Self.plan("daily", "cron(0 5 ? * * *)"), Self.plan("hourly", "cron(0 * ? * * *)")],
            selections: [
                selection("all-volumes", resources: ["arn:aws:ec2:*:*:volume/*"], planID: "daily"),
                selection("tagged", listOfTags: [("backup", "hourly")], planID: "hourly"),
            ])
        let assignments = BackupAssignments(documents)
        let tagged = assignments.assignment(for: SelectableResource(arn: volumeArn, tags: ["backup": "hourly"]))
        #expect(tagged.selectedBy.map(\.selection.name) == ["all-volumes", "tagged"])
        #expect(tagged.expectedInterval?.longestGapSeconds == 3_600)
        #expect(tagged.selectingPlansWithoutSchedule.isEmpty)
        let untagged = assignments.assignment(for: SelectableResource(arn: volumeArn))
        #expect(untagged.expectedInterval?.longestGapSeconds == 86_400)
        let elsewhere = assignments.assignment(for: SelectableResource(arn: databaseArn))
        #expect(elsewhere.expectedInterval == nil)
        #expect(elsewhere.isSurelyUnselected)
    }

    @Test func twoVersionsOfAPlanGiveItNoSchedule() {
        let documents = SelectionDocuments(
            plans: [
                Self.plan("p", "cron(0 5 ? * * *)", document: 1), Self.plan("p", "cron(0 5 ? * 1 *)", document: 2),
                Self.plan("same", "cron(0 5 ? * * *)", document: 3), Self.plan("same", "cron(0 5 ? * * *)", document: 4),
            ],
            selections: [selection("a", resources: ["*"], planID: "p"), selection("b", resources: ["*"], planID: "same")])
        let assignments = BackupAssignments(documents)
        #expect(assignments.conflictingPlanIDs == ["p"])
        #expect(assignments.schedules["p"] == nil)
        // The same plan read twice (from two files) is one plan.
        #expect(assignments.schedules["same"]?.expectedInterval?.longestGapSeconds == 86_400)
        let assignment = assignments.assignment(for: SelectableResource(arn: volumeArn))
        #expect(assignment.selectingPlansWithoutSchedule == ["p"])
        #expect(assignment.expectedInterval?.longestGapSeconds == 86_400)
    }

    @Test func aSelectionWhosePlanIsNotGivenIsNamed() {
        let documents = SelectionDocuments(selections: [selection("orphan", resources: ["*"], planID: "gone"), selection("nameless", resources: ["*"], planID: nil)])
        let assignment = BackupAssignments(documents).assignment(for: SelectableResource(arn: volumeArn))
        #expect(assignment.selectedBy.count == 2)
        #expect(assignment.expectedInterval == nil)
        #expect(assignment.selectingPlansWithoutSchedule == ["gone", nil])
    }

    @Test func selectionsKnownOnlyByTheirSummaryLeaveTheAnswerOpen() throws {
        let documents = try decodeDocuments(DocumentFixtures.selectionList + DocumentFixtures.selectionCLI)
        let assignment = BackupAssignments(documents).assignment(for: SelectableResource(arn: databaseArn))
        #expect(assignment.selectedBy.isEmpty)
        #expect(assignment.unknownSelections.map(\.selectionID) == ["missing-details"])
        // Nothing selects it as far as the data shows, but one selection's clauses are not there.
        #expect(!assignment.isSurelyUnselected)
    }

    @Test func undeterminedAndExcludedAreReportedApart() {
        let documents = SelectionDocuments(selections: [
            selection("odd-key", resources: ["*"], conditions: [TagCondition(.stringEquals, key: "ec2:ResourceTag/backup", value: "yes")]),
            selection("not-this", resources: ["*"], notResources: [volumeArn]),
        ])
        let assignment = BackupAssignments(documents).assignment(for: SelectableResource(arn: volumeArn))
        #expect(assignment.undeterminedBy.map(\.selection.name) == ["odd-key"])
        #expect(assignment.excludedBy.map(\.selection.name) == ["not-this"])
        #expect(assignment.excludedBy.first?.reasons.last == .notResourcePattern(volumeArn))
        #expect(!assignment.isSurelyUnselected)
    }
}
