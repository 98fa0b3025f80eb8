import BackupJobs
import RuleEngine
@testable import RuleLanguage
import TestSupport
import Testing

/// Values that can never match (issue 9, case 10): a value a rule compares a field with by `==`
/// or `in` that no job of the data holds is a warning of the evaluation, naming the values seen.
struct UnmatchedValueTests {
    static func rule(_ body: String, id: String = "r", extra: String = "") -> String {
        extra + "rule \(id) {\n  title \"t\"\n  \(body)\n}\n"
    }

    static let jobs = [
        job("a", type: "EBS", account: "111111111111"),
        job("b", type: "EBS", account: "111111111111"),
        job("c", type: "RDS", account: "222222222222") { $0.backupVaultName = "prod" },
        job("d", type: "S3", account: "111111111111", role: "arn:aws:iam::1:role/service-role/AWSBackupDefaultServiceRole") {
            $0.backupOptions = ["WindowsVSS": "enabled"]
            $0.messageCategory = "SUCCESS"
        },
    ]

    func warnings(_ rules: String, _ jobs: [BackupJob] = Self.jobs) async throws -> [EvaluationWarning] {
        try await evaluate(rules, jobs).warnings
    }

    @Test func aValueThatOccursNowhereInTheDataIsAWarningWithTheValuesSeen() async throws {
        let found = try await warnings(Self.rule("every job where AccountId == \"000000000000\" satisfies Finished"))
        #expect(found.count == 1)
        let warning = try #require(found.first)
        #expect(warning.rule == "r" && warning.field == "AccountId" && warning.value == "000000000000" && !warning.ignoringCase)
        #expect(warning.valuesSeen == ["111111111111", "222222222222"] && warning.moreValues == 0)
        #expect((warning.location.file, warning.location.line, warning.location.column) == ("test.rules", 3, 32))
    }

    @Test func aValueOfTheDataThatThisFieldNeverHoldsIsAWarningToo() async throws {
        // "prod" is a vault name of the data, and no job's account.
        let found = try await warnings(Self.rule("every job where AccountId == \"prod\" satisfies Finished"))
        #expect(found.map(\.value) == ["prod"])
        let unmatched = try await warnings(Self.rule("every job where BackupVaultName == \"prod\" satisfies Finished"))
        #expect(unmatched.isEmpty)
    }

    @Test func aMatchingValueIsNoWarning() async throws {
        let found = try await warnings(Self.rule(
            "every job where AccountId in [\"111111111111\", \"222222222222\"] and (ResourceType == \"EBS\" or RoleName == \"AWSBackupDefaultServiceRole\")"
                + " satisfies Finished"))
        #expect(found.isEmpty)
    }

    @Test func oneAbsentMemberOfAnInListIsAWarning() async throws {
        let found = try await warnings(Self.rule("every job where AccountId in [\"111111111111\", \"333333333333\"] satisfies Finished"))
        #expect(found.map(\.value) == ["333333333333"])
        #expect(found.first?.location.column == 49)
    }

    @Test func mostFrequentValuesComeFirstAndTheRestAreCounted() async throws {
        let jobs = (0..<30).map { job("j\($0)", account: String(repeating: String($0 % 10), count: 12)) }
            + (0..<5).map { job("k\($0)", account: "999999999999") }
        let warning = try #require(try await warnings(Self.rule("every job where AccountId == \"000000000001\" satisfies Finished"), jobs).first)
        #expect(warning.valuesSeen == ["999999999999", "000000000000", "111111111111", "222222222222", "333333333333",
                                       "444444444444", "555555555555", "666666666666"])
        #expect(warning.moreValues == 2)
    }

    @Test func derivedFieldsAndBackupOptionsAreLookedUpAsRulesSeeThem() async throws {
        let found = try await warnings(Self.rule(
            "every job where Region == \"eu-west-1\" or Region == \"eu-west-9\" or RoleName == \"AWSBackupDefault\""
                + " or BackupOptions.WindowsVSS == \"Enabled\" or BackupOptions.WindowsVSS == \"enabled\" satisfies Finished"))
        #expect(found.map { "\($0.field)=\($0.value): \($0.valuesSeen)" } == [
            "Region=eu-west-9: [\"eu-west-1\"]",
            "RoleName=AWSBackupDefault: [\"AWSBackupDefaultServiceRole\"]",
            "BackupOptions.WindowsVSS=Enabled: [\"enabled\"]",
        ])
    }

    @Test func ignoringCaseMatchesAnyCaseAndAnEmptyFieldSaysSo() async throws {
        let found = try await warnings(Self.rule(
            "every job where MessageCategory == \"success\" ignoring case or CreatedBy.BackupRuleName == \"daily\" satisfies Finished"))
        #expect(found.count == 1)
        #expect(found.first?.field == "CreatedBy.BackupRuleName" && found.first?.valuesSeen == [])
    }

    @Test func eachUseIsReportedWhereItIsWrittenAndRulesShareTheLookup() async throws {
        let text = "param account = \"000000000000\"\n"
            + Self.rule("every job where AccountId == account satisfies Finished", id: "one")
            + Self.rule("every account where AccountId == account has job", id: "two")
        let found = try await warnings(text)
        #expect(found.map { "\($0.rule ?? "-")@\($0.location.line)" } == ["one@4", "two@8"])
    }

    @Test func noWarningWhereMatchingNothingIsTheRulesIntent() async throws {
        let found = try await warnings(Self.rule("no job where AccountId == \"000000000000\" or BackupVaultName != \"x\"", id: "deny")
            + Self.rule("every job satisfies RoleName contains \"AWSBackup\" or RoleName == \"AWSServiceRoleForBackup\"", id: "allow")
            + Self.rule("every job where AccountId != \"000000000000\" satisfies Finished", id: "exclude"))
        #expect(found.isEmpty)
    }

    @Test func aParameterValueOutsideAClosedListIsLookedFor() async throws {
        let found = try await warnings("param new_type = \"Rds\"\n" + Self.rule("every job where ResourceType == new_type satisfies Finished"))
        #expect(found.map(\.value) == ["Rds"])
        #expect(found.first?.valuesSeen == ["EBS", "RDS", "S3"])
    }

    /// The diagnostic's way on for a value newer than a closed list, `like` with the value as an
    /// exact glob, selects exactly the jobs with that value, whatever characters it holds.
    @Test(arguments: ["Aurora DSQL", "a*b?c", #"say "hi" \ bye"#])
    func theGlobOfTheWayOnMatchesOnlyItsValue(_ value: String) throws {
        let jobs = [job("exact", type: value), job("longer", type: value + "x"), job("other", type: "a-b-c")]
        let glob = ExpressionChecker.exactGlob(value)
        let (compiled, diagnostics) = QueryCompiler.compile(SourceFile(name: "<query>", text: "job where ResourceType like \(glob)"))
        let result = QueryRunner.run(try #require(compiled, "\(diagnostics)"), listing: Listing(RecordTable(jobs)), now: Timestamp(iso8601: "2026-11-28T12:00:00Z")!)
        #expect(result.matched == 1)
        #expect(result.rows.first?.first == .string("exact"))
        // The parameter's form: the quoted value, read back by the checker, is the value.
        let program = try program("param new_type = \(ExpressionChecker.quoted(value))\n"
            + Self.rule("every job where ResourceType == new_type satisfies Finished"))
        #expect(program.parameters["new_type"] == .string(value))
    }

    @Test func anEmptyListingHasNoWarnings() async throws {
        #expect(try await warnings(Self.rule("every job where AccountId == \"000000000000\" satisfies Finished"), []).isEmpty)
    }

    @Test func queriesCarryTheirWarnings() throws {
        let (compiled, _) = QueryCompiler.compile(SourceFile(name: "<query>", text: "job where AccountId == \"000000000000\""))
        let result = QueryRunner.run(try #require(compiled), listing: Listing(RecordTable(Self.jobs)), now: Timestamp(iso8601: "2026-11-28T12:00:00Z")!)
        #expect(result.warnings.map(\.value) == ["000000000000"])
        #expect(result.warnings.first?.rule == nil)
    }
}
