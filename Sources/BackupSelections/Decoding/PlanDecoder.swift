/// GetBackupPlan and ListBackupPlans documents, by the shapes of the service model
/// (`GetBackupPlanOutput`, `BackupPlan`, `BackupRule`, `Lifecycle`, `CopyAction`,
/// `BackupPlansListMember`). Members the model has that say nothing about schedules or
/// retention (AdvancedBackupSettings, ScanSettings, IndexActions, ScanActions) are not read.
enum PlanDecoder {
    static func plan(_ document: MemberReader) throws(SelectionInputError) -> BackupPlan {
        guard let body = try document.object("BackupPlan") else { throw document.missing("BackupPlan") }
        var rules: [BackupRule] = []
        guard body.has("Rules") else { throw body.missing("Rules") }
        for rule in try body.objects("Rules") {
            rules.append(try self.rule(rule))
        }
        return BackupPlan(
            planID: try document.string("BackupPlanId"),
            planArn: try document.string("BackupPlanArn"),
            versionID: try document.string("VersionId"),
            name: try body.requiredString("BackupPlanName"),
            rules: rules,
            creationDate: try document.timestamp("CreationDate"),
            deletionDate: try document.timestamp("DeletionDate"),
            lastExecutionDate: try document.timestamp("LastExecutionDate"),
            origin: document.context.origin("BackupPlan"))
    }

    static func rule(_ rule: MemberReader) throws(SelectionInputError) -> BackupRule {
        var copies: [CopyAction] = []
        for copy in try rule.objects("CopyActions") {
            copies.append(CopyAction(
                destinationVaultArn: try copy.requiredString("DestinationBackupVaultArn"),
                lifecycle: try lifecycle(copy.object("Lifecycle"))))
        }
        return BackupRule(
            name: try rule.requiredString("RuleName"),
            ruleID: try rule.string("RuleId"),
            targetVaultName: try rule.requiredString("TargetBackupVaultName"),
            scheduleExpression: try rule.string("ScheduleExpression"),
            scheduleTimezone: try rule.string("ScheduleExpressionTimezone"),
            startWindowMinutes: try rule.int64("StartWindowMinutes"),
            completionWindowMinutes: try rule.int64("CompletionWindowMinutes"),
            lifecycle: try lifecycle(rule.object("Lifecycle")),
            copyActions: copies,
            enableContinuousBackup: try rule.bool("EnableContinuousBackup"),
            recoveryPointTags: try rule.stringMap("RecoveryPointTags"))
    }

    static func lifecycle(_ reader: MemberReader?) throws(SelectionInputError) -> Lifecycle? {
        guard let reader else { return nil }
        return Lifecycle(
            moveToColdStorageAfterDays: try reader.int64("MoveToColdStorageAfterDays"),
            deleteAfterDays: try reader.int64("DeleteAfterDays"),
            optInToArchiveForSupportedResources: try reader.bool("OptInToArchiveForSupportedResources"),
            deleteAfterEvent: try reader.string("DeleteAfterEvent"))
    }

    static func summaries(_ document: MemberReader) throws(SelectionInputError) -> [BackupPlanSummary] {
        var summaries: [BackupPlanSummary] = []
        for entry in try document.objects("BackupPlansList") {
            summaries.append(BackupPlanSummary(
                planID: try entry.requiredString("BackupPlanId"),
                planArn: try entry.string("BackupPlanArn"),
                name: try entry.string("BackupPlanName"),
                versionID: try entry.string("VersionId"),
                creationDate: try entry.timestamp("CreationDate"),
                deletionDate: try entry.timestamp("DeletionDate"),
                lastExecutionDate: try entry.timestamp("LastExecutionDate"),
                origin: entry.context.origin(entry.path)))
        }
        return summaries
    }
}
