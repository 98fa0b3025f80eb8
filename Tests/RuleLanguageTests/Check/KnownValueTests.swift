import BackupJobs
import Testing

@testable import RuleLanguage

/// Values the schema knows (issue 9, case 10): a quoted value a field never takes is an error
/// with a did-you-mean, and the values a job must match are recorded for the evaluator.
struct KnownValueTests {
    static let escape = "the list is backup-audit's job schema (docs/schema.md); a value AWS added since can be given through a parameter, "
        + "which is not held against the list (param resource_type = \"rds\"), or matched as text (ResourceType like \"rds\")"

    @Test func aResourceTypeOutsideTheDocumentedListIsAnErrorWithTheValueSpeltRight() {
        assertDiagnostics(rule("every job where ResourceType == 1️⃣\"rds\" satisfies Finished"), [
            DiagnosticSpec(.unknownValue, message: "'rds' is not one of the resource types AWS Backup supports", notes: [
                "did you mean 'RDS'?",
                "ResourceType values: Aurora, CloudFormation, DocumentDB, DSQL, DynamoDB, EBS, EC2, EFS, EKS, FSx, Neptune, RDS, Redshift, "
                    + "Redshift Serverless, S3, SAP HANA on Amazon EC2, Storage Gateway, Timestream, VirtualMachine",
                Self.escape,
            ]),
        ])
    }

    @Test func aStateInTheWrongCaseSuggestsTheEnumerationValue() {
        assertDiagnostics(rule("every job satisfies State == 1️⃣\"completed\""), [
            DiagnosticSpec(.unknownEnumValue, message: "'completed' is not a BackupJobState value", notes: [
                "did you mean 'COMPLETED'?",
                "BackupJobState values: CREATED, PENDING, RUNNING, ABORTING, ABORTED, COMPLETED, FAILED, EXPIRED, PARTIAL",
                "the list is backup-audit's job schema (docs/schema.md); a value AWS added since can be given through a parameter, "
                    + "which is not held against the list (param state = \"completed\"), or matched as text (State like \"completed\")",
            ]),
        ])
    }

    @Test func aMisspeltMessageCategoryIsAWarningNamingSuccess() {
        assertDiagnostics(rule("every job where MessageCategory in [1️⃣\"SUCESS\", \"ACCESS_DENIED\"] satisfies Finished"), [
            DiagnosticSpec(.unlistedValue, message: "'SUCESS' is not one of the message categories AWS documents", notes: [
                "did you mean 'SUCCESS'?", "if 'SUCESS' is right, give it through a parameter: param message_category = \"SUCESS\"",
            ]),
        ])
    }

    @Test(arguments: [
        ("every job satisfies ResourceType != 1️⃣\"Ebs\"", DiagnosticCode.unknownValue),
        ("every job satisfies ResourceType in [\"EBS\", 1️⃣\"Dynamo\"]", .unknownValue),
        ("every job satisfies ResourceType not in [1️⃣\"ec2\"]", .unknownValue),
        ("every job satisfies 1️⃣\"rds\" == ResourceType", .unknownValue),
        ("every job satisfies State in [COMPLETED, 1️⃣\"FAILD\"]", .unknownEnumValue),
        ("every resource satisfies latest(jobs).ResourceType == 1️⃣\"Rds\"", .unknownValue),
        ("every resource where ResourceType == 1️⃣\"S3 \" has job", .unknownValue),
        ("every job satisfies ResourceType == 1️⃣\"Aurora DSQL\" ignoring case", .unknownValue),
        ("every job satisfies MessageCategory == 1️⃣\"success\"", .unlistedValue),
    ])
    func valuesOutsideTheListAreReported(_ body: String, _ code: DiagnosticCode) {
        assertDiagnostics(rule(body), [DiagnosticSpec(code)])
    }

    /// The way on, as a rule writes it: the value quoted, and a glob that matches only it (the
    /// engine's tests run the glob).
    @Test(arguments: [
        ("Aurora DSQL", #""Aurora DSQL""#, #""Aurora DSQL""#),
        ("a*b?c", #""a*b?c""#, #""a\\*b\\?c""#),
        (#"say "hi" \ bye"#, #""say \"hi\" \\ bye""#, #""say \"hi\" \\\\ bye""#),
    ])
    func theWayOnIsWrittenAsARuleWritesIt(_ value: String, _ quoted: String, _ glob: String) {
        #expect(ExpressionChecker.quoted(value) == quoted)
        #expect(ExpressionChecker.exactGlob(value) == glob)
    }

    @Test func aWaiversConditionIsHeldToTheSameList() {
        let text = rule("every job satisfies Finished", id: "r")
            + "waive r where ResourceType == 1️⃣\"dynamodb\" until 2027-01-31 because \"migrating\"\n"
        assertDiagnostics(text, [DiagnosticSpec(.unknownValue, notes: nil)])
    }

    @Test(arguments: [
        "every job satisfies ResourceType == \"RDS\" or ResourceType == \"SAP HANA on Amazon EC2\"",
        "every job satisfies ResourceType in [\"EBS\", \"Storage Gateway\", \"Redshift Serverless\"]",
        "every job satisfies ResourceType == \"rds\" ignoring case and ResourceType in [\"ebs\"] ignoring case",
        "every job satisfies MessageCategory == \"SUCCESS\" or MessageCategory == \"ACCESS_DENIED\" or MessageCategory == \"InvalidParameters\"",
        "every job satisfies State == \"COMPLETED\" and State in [\"FAILED\", EXPIRED]",
        // Text tests and fields without a list are not held to any list.
        "every job satisfies ResourceType like \"Aurora DSQL\" and ResourceType matches \"^Q\" and AccountId == \"x\"",
        "every job satisfies BackupOptions.WindowsVSS == \"yes\" and Region == \"moon-1\" and extra(\"ResourceType\") == \"z\"",
    ])
    func listedValuesAndUncheckedFieldsAreAccepted(_ body: String) {
        let (program, diagnostics) = RuleSet.compile([SourceFile(name: "test.rules", text: rule(body))])
        #expect(program != nil)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    }

    @Test func aParameterGivesAValueNewerThanTheList() throws {
        let text = "param new_type = \"Aurora DSQL\"\nparam states = [\"COMPLETED\", \"ARCHIVED\"]\n"
            + rule("every job where ResourceType == new_type and State in states satisfies Finished")
        let program = try #require(compileClean(text, overrides: [("new_type", "\"Quantum Ledger\"")]))
        // Looked for in the data: the values outside the lists (COMPLETED is a valid state).
        #expect(program.rules[0].literals.map(\.value) == ["Quantum Ledger", "ARCHIVED"])
    }

    // MARK: What the evaluator looks for: values of the scope

    static func literals(_ text: String) -> [String] {
        let (program, diagnostics) = RuleSet.compile([SourceFile(name: "test.rules", text: text)])
        #expect(!diagnostics.hasErrors, "\(diagnostics.map(\.message))")
        return program?.rules.flatMap(\.literals).map { "\($0.field.path)=\($0.value)\($0.ignoringCase ? " (any case)" : "")" } ?? []
    }

    @Test(arguments: [
        ("every job where AccountId == \"000000000000\" satisfies Finished", ["AccountId=000000000000"]),
        ("every job where AccountId in [\"1\", \"2\"] or BackupVaultName == \"v\" ignoring case satisfies Finished",
         ["AccountId=1", "AccountId=2", "BackupVaultName=v (any case)"]),
        ("every job where Region == \"eu-west-9\" or RoleName == \"R\" or BackupOptions.WindowsVSS == \"enabled\" satisfies Finished",
         ["Region=eu-west-9", "RoleName=R", "BackupOptions.WindowsVSS=enabled"]),
        ("every account where count(jobs where CreatedBy.BackupPlanId == \"p\") > 0 and latest(jobs).AccountId == \"a\" has job",
         ["CreatedBy.BackupPlanId=p", "AccountId=a"]),
        ("every job where MessageCategory == \"SUCCESS\" satisfies Finished", ["MessageCategory=SUCCESS"]),
        // Values that exclude.
        ("every job where AccountId != \"1\" and AccountId not in [\"2\"] and not (AccountId == \"3\") satisfies Finished", []),
        // Outside the scope, a value matching nothing passes or fails the rule as it should: a
        // deny-list, an allowance no job needed, a job that must exist and does not.
        ("no job where AccountId == \"1\"", []),
        ("every job satisfies RoleName contains \"AWSBackup\" or RoleName == \"AWSServiceRoleForBackup\"", []),
        ("every resource has job where AccountId == \"1\"", []),
        // A listed value of a closed list is valid; whether jobs have it is the rule's business.
        ("every job where ResourceType == \"RDS\" and State == COMPLETED and State in [\"FAILED\"] satisfies Finished", []),
        ("every job where extra(\"Tier\") == \"gold\" and ResourceArn contains \"x\" satisfies Finished", []),
    ])
    func recordsTheValuesOfTheScope(_ body: String, _ expected: [String]) {
        #expect(Self.literals(rule(body)) == expected)
    }

    @Test func aRecordedValueKnowsWhereItIsWritten() throws {
        let program = try #require(compileClean(rule("every job where AccountId == \"000000000000\" satisfies Finished")))
        let literal = try #require(program.rules[0].literals.first)
        #expect(literal.location.file == "test.rules")
        #expect((literal.location.line, literal.location.column) == (3, 32))
    }

    @Test func queriesRecordTheirValuesToo() throws {
        let (query, diagnostics) = QueryCompiler.compile(
            SourceFile(name: "<query>", text: "job where AccountId == \"1\""),
            columns: [SourceFile(name: "--columns 1", text: "AccountId == \"2\"")])
        #expect(diagnostics.isEmpty)
        #expect(try #require(query).literals.map(\.value) == ["1"])
    }
}
