import BackupJobs
import Foundation
import RuleEngine
import RuleLanguage
import Testing

/// Rules across record kinds: copy and restore jobs as subjects, relations from groups of backup
/// jobs to them, their derived fields, and rules not judged for want of a kind's input.
struct RecordKindRuleTests {
    static let now: Int64 = 1_795_867_200_000  // 2026-11-28T12:00:00Z
    static let vol1 = "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1"
    static let vol2 = "arn:aws:ec2:eu-west-1:111111111111:volume/vol-2"

    static func rule(_ body: String, id: String = "r") -> String {
        "rule \(id) {\n  title \"t\"\n  \(body)\n}\n"
    }

    /// A copy job of `resource` from eu-west-1 (account 111111111111) to `destination`.
    static func copy(
        _ id: String, _ state: String? = "COMPLETED", resource: String = vol1, hoursAgo: Double = 10, durationHours: Double? = 1,
        destination: String? = "arn:aws:backup:us-east-1:111111111111:backup-vault:dr", lock: String? = "LOCKED"
    ) -> Record {
        var record = Record(.copyJob, id: id)
        record[CopyJobField.state] = state.map(FieldValue.string)
        record[CopyJobField.resourceArn] = .string(resource)
        record[CopyJobField.resourceType] = .string("EBS")
        record[CopyJobField.accountId] = .string("111111111111")
        record[CopyJobField.sourceBackupVaultArn] = .string("arn:aws:backup:eu-west-1:111111111111:backup-vault:prod")
        record[CopyJobField.destinationBackupVaultArn] = destination.map(FieldValue.string)
        record[CopyJobField.destinationVaultLockState] = lock.map(FieldValue.string)
        let created = now - Int64(hoursAgo * 3_600_000)
        record[CopyJobField.creationDate] = .timestamp(Timestamp(millisecondsSinceEpoch: created))
        if let durationHours {
            record[CopyJobField.completionDate] = .timestamp(Timestamp(millisecondsSinceEpoch: created + Int64(durationHours * 3_600_000)))
        }
        return record
    }

    static func restore(
        _ id: String, _ status: String = "COMPLETED", resource: String = vol1, type: String = "EBS", hoursAgo: Double = 10,
        durationHours: Double = 1, validation: String? = "SUCCESSFUL", testPlan: Bool = true
    ) -> Record {
        var record = Record(.restoreJob, id: id)
        record[RestoreJobField.status] = .string(status)
        record[RestoreJobField.sourceResourceArn] = .string(resource)
        record[RestoreJobField.resourceType] = .string(type)
        record[RestoreJobField.accountId] = .string("111111111111")
        record[RestoreJobField.backupVaultArn] = .string("arn:aws:backup:eu-west-1:111111111111:backup-vault:prod")
        record[RestoreJobField.validationStatus] = validation.map(FieldValue.string)
        if testPlan {
            record[RestoreJobField.createdByRestoreTestingPlanArn] = .string("arn:aws:backup:eu-west-1:111111111111:restore-testing-plan:weekly")
        }
        let created = now - Int64(hoursAgo * 3_600_000)
        record[RestoreJobField.creationDate] = .timestamp(Timestamp(millisecondsSinceEpoch: created))
        record[RestoreJobField.completionDate] = .timestamp(Timestamp(millisecondsSinceEpoch: created + Int64(durationHours * 3_600_000)))
        return record
    }

    static func listing(_ jobs: [BackupJob], _ others: [Record], kinds: [RecordKind] = RecordKind.allCases) -> Listing {
        Listing(records: jobs.map(Record.init) + others, kinds: kinds)
    }

    static func evaluate(_ rules: String, _ listing: Listing, options: EvaluationOptions = .init()) async throws -> Evaluation {
        await Evaluator.evaluate(try program(rules), listing: listing, now: Timestamp(millisecondsSinceEpoch: now), options: options)
    }

    static func errors(_ text: String, environment: RuleEnvironment = .standard) -> [Diagnostic] {
        RuleSet.compile([SourceFile(name: "test.rules", text: text)], environment: environment).diagnostics.filter { $0.severity == .error }
    }

    // MARK: The environment

    @Test func theCheckerKnowsOnlyTheKindsOfItsEnvironment() {
        let standard = RuleEnvironment.standard
        let backupOnly = RuleEnvironment(
            kinds: standard.kinds.filter { $0.kind == .backupJob }, groupKind: .backupJob,
            attributes: [.resource: standard.attributes(of: .resource)], relations: [:])
        let text = Self.rule("every copy job satisfies State == COMPLETED")
        #expect(Self.errors(text).isEmpty)
        let refused = Self.errors(text, environment: backupOnly)
        #expect(refused.map(\.code) == [.unknownSubject])
        #expect(refused.first?.message.contains("the kinds are backup job") == true)
        // Without the relation, a resource has no copy jobs.
        let related = Self.rule("every resource has copy job where State == COMPLETED")
        #expect(Self.errors(related).isEmpty)
        var withoutRelations = standard.kinds
        withoutRelations.removeAll { $0.kind == .restoreJob }
        let noRelation = RuleEnvironment(kinds: withoutRelations, groupKind: .backupJob, attributes: [.resource: standard.attributes(of: .resource)], relations: [:])
        #expect(Self.errors(related, environment: noRelation).map(\.code) == [.noRelation])
    }

    // MARK: Subjects and fields

    @Test(arguments: [
        ("every copy job where State == COMPLETED satisfies DestinationVaultLockState == \"LOCKED\"", SubjectKind.job(.copyJob)),
        ("every restore job where Status == COMPLETED satisfies Duration <= 4h", .job(.restoreJob)),
        ("every backup job satisfies State == COMPLETED", .job(.backupJob)),
        ("every job satisfies State == COMPLETED", .job(.backupJob)),
        ("no copy job where State == FAILED and CreationDate within 7d", .job(.copyJob)),
    ])
    func subjectsNameTheirKind(_ body: String, _ subject: SubjectKind) throws {
        let compiled = try program(Self.rule(body))
        #expect(compiled.rules[0].subject == subject)
        #expect(compiled.rules[0].kinds == [subject.recordKind])
    }

    @Test(arguments: [
        // Each kind's closed values.
        ("every copy job satisfies State == PENDING", DiagnosticCode.unknownEnumValue, "'PENDING' is not a CopyJobState value"),
        ("every restore job satisfies Status == EXPIRED", .unknownEnumValue, "'EXPIRED' is not a RestoreJobStatus value"),
        ("every restore job satisfies ValidationStatus == VALID", .unknownEnumValue, "'VALID' is not a RestoreValidationStatus value"),
        // Fields of another kind, named with the kind.
        ("every restore job satisfies State == COMPLETED", .unknownField, "unknown field 'State' of restore jobs"),
        ("every job satisfies Status == COMPLETED", .unknownField, "unknown field 'Status'"),
        ("every copy job satisfies DestinationVaultLockStat == \"LOCKED\"", .unknownField, "unknown field 'DestinationVaultLockStat' of copy jobs"),
        ("every copy job satisfies IsRestoreTest", .unknownField, "unknown field 'IsRestoreTest' of copy jobs"),
        ("every job satisfies CrossRegion", .unknownField, "unknown field 'CrossRegion'"),
        ("every copy job satisfies BackupOptions.WindowsVSS == \"enabled\"", .unknownField, "unknown field 'BackupOptions' of copy jobs"),
        ("every copy job satisfies StatusMessage.Region == \"x\"", .unknownField, "unknown field 'StatusMessage.Region' of copy jobs"),
        // Relations that do not exist, and kinds that do not.
        ("every plan has restore job", .noRelation, "restore jobs do not name a plan"),
        ("every plan satisfies count(restore jobs) > 0", .noRelation, "restore jobs do not name a plan"),
        ("every snapshot job satisfies State == COMPLETED", .unknownSubject, "'snapshot job' names no kind of record"),
        ("every resource has copy job where Status == COMPLETED", .unknownField, "unknown field 'Status' of copy jobs"),
        // Groups are formed from backup jobs: a field only another kind has groups nothing.
        ("every group by DestinationBackupVaultArn has copy job", .groupOfOtherKind,
         "groups are formed from backup jobs; DestinationBackupVaultArn is a field of copy jobs, which form no groups"),
        ("every group by DestinationBackupVaultArn.Region satisfies count(copy jobs) > 0", .groupOfOtherKind,
         "DestinationBackupVaultArn is a field of copy jobs"),
        ("every group by CreatedBy.RestoreTestingPlanArn has restore job", .groupOfOtherKind,
         "CreatedBy.RestoreTestingPlanArn is a field of restore jobs"),
        ("no group by ValidationStatus where count(restore jobs) > 0", .groupOfOtherKind, "ValidationStatus is a field of restore jobs"),
        ("every group by CrossRegion has copy job", .groupOfOtherKind, "CrossRegion is a field of copy jobs"),
        ("every group by CreatedBy.BackupPlanTypo has job", .unknownField, "unknown field 'CreatedBy.BackupPlanTypo'"),
    ])
    func fieldsAreCheckedPerKind(_ body: String, _ code: DiagnosticCode, _ message: String) {
        let errors = Self.errors(Self.rule(body))
        #expect(errors.first?.code == code, "\(errors.map(\.message))")
        #expect(errors.first?.message.contains(message) == true, "\(errors.map(\.message))")
    }

    /// The diagnostic for a group of another kind says what to write instead.
    @Test func aGroupByAnotherKindsFieldSaysWhatToWrite() {
        let errors = Self.errors(Self.rule("every group by DestinationBackupVaultArn has copy job where State == COMPLETED"))
        #expect(errors.count == 1, "\(errors.map(\.message))")
        #expect(errors.first?.notes.map(\.message) == [
            "to judge each copy job, write 'every copy job [where ...] satisfies ...'",
            "to count a group's copy jobs, group by a field backup jobs have: a group has the copy jobs whose field of the same path holds its key (every group by ResourceType has copy job where ...)",
        ])
        // A field both kinds have groups backup jobs and relates their copies, as before.
        #expect(Self.errors(Self.rule("every group by ResourceType has copy job where State == COMPLETED")).isEmpty)
    }

    @Test func aFieldOfAnotherKindIsNamedInANote() {
        let errors = Self.errors(Self.rule("every resource has job where DestinationVaultLockState == \"LOCKED\""))
        #expect(errors.first?.notes.contains { $0.message.contains("is a field of copy jobs") && $0.message.contains("has copy job where") } == true)
    }

    @Test func formattingKeepsTheKinds() {
        let text = Self.rule("every resource where count(copy jobs where CrossRegion) >= 0 latest restore job where IsRestoreTest satisfies Status == COMPLETED")
        let (file, diagnostics) = Parser.parse(SourceFile(name: "t.rules", text: text))
        #expect(diagnostics.isEmpty)
        let formatted = Formatter.format(file, source: SourceFile(name: "t.rules", text: text))
        #expect(formatted.contains("count(copy jobs where CrossRegion) >= 0"))
        #expect(formatted.contains("latest restore job where IsRestoreTest satisfies Status == COMPLETED"))
    }

    // MARK: Record rules over their kind's table

    @Test func aCopyJobRuleJudgesTheCopyJobs() async throws {
        let listing = Self.listing([job("b1")], [Self.copy("c1"), Self.copy("c2", lock: "UNLOCKED"), Self.copy("c3", "FAILED", lock: nil)])
        let evaluation = try await Self.evaluate(Self.rule("every copy job where State == COMPLETED satisfies DestinationVaultLockState == \"LOCKED\""), listing)
        let result = try #require(evaluation.result("r"))
        #expect(result.status == .fail && result.evaluated == 2)
        #expect(evaluation.failing("r") == ["c2"])
        #expect(result.findings[0].evidence == [EvidenceRecord(.copyJob, "c2")])
        #expect(evaluation.findings("r")[0].explanation.hasPrefix("copy job c2"))
    }

    @Test func theRestoreTimeTargetReadsEachRestoresDuration() async throws {
        let listing = Self.listing([job("b1")], [Self.restore("r1", durationHours: 3), Self.restore("r2", durationHours: 5), Self.restore("r3", "FAILED", durationHours: 9)])
        let evaluation = try await Self.evaluate(Self.rule("every restore job where Status == COMPLETED and CreationDate within 14d satisfies Duration <= 4h"), listing)
        #expect(evaluation.failing("r") == ["r2"])
        #expect(evaluation.findings("r").first?.message.contains("Duration = 5h") == true)
    }

    // MARK: Relations

    @Test func aResourceIsJudgedByItsCopyJobsJoinedOnItsArn() async throws {
        let listing = Self.listing(
            [job("b1", resource: Self.vol1), job("b2", resource: Self.vol2)],
            [Self.copy("c1", resource: Self.vol1), Self.copy("c2", resource: Self.vol2, destination: "arn:aws:backup:eu-west-1:111111111111:backup-vault:local")])
        let evaluation = try await Self.evaluate(Self.rule("every resource has copy job where State == COMPLETED and CrossRegion"), listing)
        #expect(evaluation.failing("r") == [Self.vol2])
        let finding = try #require(evaluation.findings("r").first)
        #expect(finding.message.hasPrefix("no copy job where State == COMPLETED and CrossRegion"))
        #expect(finding.evidence.contains(EvidenceRecord(.backupJob, "b2")))
        #expect(evaluation.result("r")?.rule.kinds == [.backupJob, .copyJob])
    }

    @Test func aggregatesAndPicksReadRelatedRecords() async throws {
        let listing = Self.listing(
            [job("b1", resource: Self.vol1), job("b2", resource: Self.vol2)],
            [Self.copy("c1", resource: Self.vol1), Self.copy("c2", "FAILED", resource: Self.vol1), Self.restore("r1", resource: Self.vol1, hoursAgo: 5, validation: "FAILED"),
             Self.restore("r2", resource: Self.vol1, hoursAgo: 50)])
        let rules = Self.rule("every resource satisfies count(copy jobs where State == COMPLETED) >= 1", id: "copied")
            + Self.rule("every resource satisfies share(copy jobs, State == COMPLETED) >= 60%", id: "share")
            + Self.rule("every resource latest restore job satisfies ValidationStatus == SUCCESSFUL", id: "latest")
            + Self.rule("every resource satisfies latest(restore jobs).ValidationStatus == SUCCESSFUL", id: "picked")
        let evaluation = try await Self.evaluate(rules, listing)
        #expect(evaluation.failing("copied") == [Self.vol2])
        #expect(evaluation.failing("share") == [Self.vol1, Self.vol2])
        #expect(evaluation.failing("latest") == [Self.vol1, Self.vol2])
        #expect(evaluation.result("latest")?.findings[0].evidence == [EvidenceRecord(.restoreJob, "r1")])
        #expect(evaluation.failing("picked") == [Self.vol1, Self.vol2])
    }

    @Test func restoresRelateToResourceTypesAndNotToPlans() async throws {
        let listing = Self.listing(
            [job("b1", type: "EBS"), job("b2", resource: "arn:aws:rds:eu-west-1:111111111111:db:db-1", type: "RDS")],
            [Self.restore("r1", type: "EBS"), Self.restore("r2", type: "RDS", testPlan: false)])
        let evaluation = try await Self.evaluate(
            Self.rule("every resource type has restore job where Status == COMPLETED and ValidationStatus == SUCCESSFUL and IsRestoreTest and CreationDate within 14d"),
            listing)
        #expect(evaluation.failing("r") == ["RDS"])
    }

    // MARK: Derived fields

    @Test func derivedFieldsOfCopies() async throws {
        let crossAccount = "arn:aws:backup:us-east-1:222222222222:backup-vault:dr"
        let listing = Self.listing([job("b1")], [
            Self.copy("same", destination: "arn:aws:backup:eu-west-1:111111111111:backup-vault:b"),
            Self.copy("region"), Self.copy("account", destination: crossAccount), Self.copy("missing", destination: nil),
        ])
        let rules = Self.rule("every copy job satisfies CrossRegion", id: "region")
            + Self.rule("every copy job satisfies CrossAccount", id: "account")
            + Self.rule("every copy job satisfies DestinationBackupVaultArn.Region == \"us-east-1\"", id: "part")
            + Self.rule("every copy job satisfies DestinationBackupVaultArn.Account != SourceBackupVaultArn.Account", id: "parts")
            + Self.rule("every copy job satisfies Finished and not InFlight", id: "finished")
        let evaluation = try await Self.evaluate(rules, listing)
        #expect(evaluation.failing("region") == ["missing", "same"])
        #expect(evaluation.failing("account") == ["missing", "region", "same"])
        #expect(evaluation.failing("part") == ["missing", "same"])
        // A missing value satisfies no comparison.
        #expect(evaluation.failing("parts") == ["missing", "region", "same"])
        #expect(evaluation.failing("finished").isEmpty)
    }

    /// A damaged vault ARN names no Region or account: its copy is neither cross-Region nor not.
    /// The Region of `arn:aws:backup:us-east-1:111111111111` (no resource) was read as us-east-1,
    /// and the copy passed as cross-Region.
    @Test func aMalformedVaultARNIsNeitherCrossRegionNorCrossAccount() async throws {
        let listing = Self.listing([job("b1")], [
            Self.copy("truncated", destination: "arn:aws:backup:us-east-1:222222222222"),
            Self.copy("shortAccount", destination: "arn:aws:backup:us-east-1:2222:backup-vault:dr"),
            Self.copy("gov", destination: "arn:aws-us-gov:backup:us-gov-west-1:222222222222:backup-vault:dr"),
        ])
        let rules = Self.rule("every copy job satisfies CrossRegion", id: "region")
            + Self.rule("every copy job satisfies CrossAccount", id: "account")
            + Self.rule("every copy job satisfies DestinationBackupVaultArn.Region != \"eu-west-1\"", id: "part")
        let evaluation = try await Self.evaluate(rules, listing)
        #expect(evaluation.failing("region") == ["truncated"])
        #expect(evaluation.failing("account") == ["shortAccount", "truncated"])
        #expect(evaluation.failing("part") == ["truncated"])
    }

    /// A CompletionDate before the CreationDate says nothing about how long the record took: its
    /// Duration is missing, so a restore with such dates does not pass an RTO rule.
    @Test func durationIsMissingWhenTheRecordCompletedBeforeItWasCreated() async throws {
        let listing = Self.listing([job("b1")], [Self.restore("backwards", durationHours: -3), Self.restore("quick", durationHours: 1)])
        let rules = Self.rule("every restore job satisfies Duration <= 4h", id: "rto") + Self.rule("no restore job where Duration < 0s", id: "negative")
        let evaluation = try await Self.evaluate(rules, listing)
        #expect(evaluation.failing("rto") == ["backwards"])
        #expect(evaluation.failing("negative").isEmpty)
    }

    @Test func finishedFollowsEachKindsStates() async throws {
        let listing = Self.listing([job("b1")], [Self.copy("partial", "PARTIAL"), Self.copy("running", "RUNNING"), Self.restore("pending", "PENDING"), Self.restore("aborted", "ABORTED")])
        let rules = Self.rule("no copy job where Finished", id: "copies") + Self.rule("no restore job where InFlight", id: "restores")
        let evaluation = try await Self.evaluate(rules, listing)
        #expect(evaluation.failing("copies") == ["partial"])
        #expect(evaluation.failing("restores") == ["pending"])
    }

    // MARK: Empty listings

    /// An empty listing of copy jobs: "no resource has a failed copy" held for every resource,
    /// judged on no copy at all. It reads empty (failed when strict), never passed.
    @Test func aRuleReadingAnEmptyKindIsEmptyNeverPassed() async throws {
        let listing = Self.listing([job("b1", resource: Self.vol1)], [], kinds: [.backupJob, .copyJob])
        let rule = Self.rule(#"every resource satisfies count(copy jobs where State == "FAILED") == 0"#)
        let result = try #require(try await Self.evaluate(rule, listing).result("r"))
        #expect(result.status == .empty)
        #expect(result.emptyKinds == [.copyJob])
        let strict = try #require(try await Self.evaluate(rule, listing, options: EvaluationOptions(strict: true)).result("r"))
        #expect(strict.status == .fail)
    }

    // MARK: Overflow

    /// An overflow while reading a related kind's record names that record: its row was taken
    /// for a row of the backup jobs' table, which named another job or, beyond the table's end,
    /// trapped (the copy job is the third of its table, the resource has one backup job).
    @Test func anOverflowInARelatedRecordNamesThatRecord() async throws {
        var big = Self.copy("c3")
        big[CopyJobField.backupSizeInBytes] = .integer(5_000_000_000)
        let listing = Self.listing([job("b1", resource: Self.vol1)], [Self.copy("c1"), Self.copy("c2"), big])
        let evaluation = try await Self.evaluate(Self.rule("every resource has copy job where BackupSizeInBytes * 99999999999 > 1 TiB"), listing)
        let result = try #require(evaluation.result("r"))
        #expect(result.status == .error)
        #expect(result.fault?.record == EvidenceRecord(.copyJob, "c3"))
        #expect(result.fault?.subject == Self.vol1 && result.fault?.expression == "BackupSizeInBytes * 99999999999")
    }

    // MARK: Values that match no record

    /// A value a group's scope compares with a field of copy jobs is looked for among the copy
    /// jobs: it was looked for in the backup jobs' column of the same index (VaultType for
    /// DestinationBackupVaultArn, a spurious warning; the RecoveryPointLifecycle structure for
    /// DestinationRecoveryPointArn, a precondition failure that killed the process).
    @Test func aValueComparedWithAnotherKindsFieldIsLookedForInThatKindsRecords() async throws {
        let listing = Self.listing([job("b1", resource: Self.vol1)], [Self.copy("c1")])
        let rules = Self.rule("every resource where count(copy jobs where DestinationBackupVaultArn == \"arn:aws:backup:us-east-1:111111111111:backup-vault:dr\") >= 1 has job", id: "found")
            + Self.rule("every resource where count(copy jobs where DestinationRecoveryPointArn == \"arn:aws:backup:us-east-1:111111111111:recovery-point:none\") >= 1 has job", id: "missing")
            + Self.rule("every resource where count(copy jobs where Region == \"eu-west-1\") >= 1 and Region == \"eu-west-1\" has job", id: "regions")
        let evaluation = try await Self.evaluate(rules, listing)
        #expect(evaluation.warnings.map(\.rule) == ["missing"])
        #expect(evaluation.warnings.first?.field == "DestinationRecoveryPointArn")
        #expect(evaluation.result("found")?.status == .pass)
    }

    /// The same for a query of resources whose condition reads copy jobs.
    @Test func aQuerysValueComparedWithAnotherKindsFieldIsLookedForInThatKindsRecords() throws {
        let listing = Self.listing([job("b1", resource: Self.vol1)], [Self.copy("c1")])
        let (query, diagnostics) = QueryCompiler.compile(SourceFile(name: "q", text:
            "resource where count(copy jobs where DestinationRecoveryPointArn == \"arn:aws:backup:us-east-1:111111111111:recovery-point:none\") >= 1"))
        let compiled = try #require(query, "\(diagnostics)")
        let result = QueryRunner.run(compiled, listing: listing, now: Timestamp(millisecondsSinceEpoch: Self.now))
        #expect(result.warnings.map(\.field) == ["DestinationRecoveryPointArn"])
    }

    // MARK: Not judged

    /// The subject's kind is read whatever `kinds` says: a rule built with the default (no kinds)
    /// over inputs without backup jobs is not judged for want of them, and blocks the gate.
    @Test func aRuleIsNotJudgedWithoutItsSubjectsKindEvenWhenItsKindsLeaveItOut() async throws {
        var rules = try program(Self.rule("every job satisfies State == COMPLETED", id: "backups") + Self.rule("every resource has copy job", id: "copied"))
        for index in rules.rules.indices { rules.rules[index].kinds = [] }
        let listing = Self.listing([], [Self.copy("c1")], kinds: [.copyJob])
        let evaluation = await Evaluator.evaluate(rules, listing: listing, now: Timestamp(millisecondsSinceEpoch: Self.now))
        #expect(evaluation.result("backups")?.missingKinds == [.backupJob])
        #expect(evaluation.result("copied")?.missingKinds == [.backupJob])
        #expect(evaluation.results.filter(\.blocksGate).map(\.rule.id) == ["backups", "copied"])
    }

    @Test func aRuleWhoseKindHasNoInputIsNotJudged() async throws {
        let rules = Self.rule("every copy job satisfies State == COMPLETED", id: "copies")
            + Self.rule("every resource has restore job", id: "restored")
            + Self.rule("every job satisfies State == COMPLETED", id: "backups")
        let listing = Self.listing([job("b1")], [], kinds: [.backupJob])
        let evaluation = try await Self.evaluate(rules, listing)
        #expect(evaluation.result("copies")?.status == .notJudged)
        #expect(evaluation.result("copies")?.missingKinds == [.copyJob])
        #expect(evaluation.result("restored")?.missingKinds == [.restoreJob])
        #expect(evaluation.results.filter(\.blocksGate).map(\.rule.id) == ["copies", "restored"])
        #expect(evaluation.result("backups")?.status == .pass)
        #expect(evaluation.summary.notJudged == 2)
        // Allowed absent: still not judged, but no longer blocking.
        let allowed = try await Self.evaluate(rules, listing, options: EvaluationOptions(absentKindsAllowed: [.copyJob]))
        #expect(allowed.result("copies")?.status == .notJudged && allowed.result("copies")?.blocksGate == false)
        #expect(allowed.result("restored")?.blocksGate == true)
        // A kind met without records is judged on nothing: never a pass, but a failure stands.
        let empty = try await Self.evaluate(rules, Self.listing([job("b1")], [], kinds: RecordKind.allCases))
        #expect(empty.result("copies")?.status == .empty)
        #expect(empty.result("restored")?.status == .fail)
    }
}
