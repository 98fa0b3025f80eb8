import BackupJobs
import Testing

@testable import RuleLanguage

/// Every diagnostic code, provoked at a marker. The catalogue test below fails when a code is
/// added without a case here.
struct DiagnosticCatalogueTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var code: DiagnosticCode
        var source: String
        var specs: [DiagnosticSpec]
        var overrides: [(String, String)] = []
        var now: Timestamp?
        var testDescription: String { code.rawValue }
    }

    static let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!

    static let cases: [Case] = [
        Case(code: .invalidCharacter, source: rule("every job satisfies 1️⃣@ State == COMPLETED"),
             specs: [DiagnosticSpec(.invalidCharacter, message: "unexpected character '@'")]),
        Case(code: .unterminatedString, source: "rule r {\n  title 1️⃣\"never closed\n  every job satisfies Finished\n}\n",
             specs: [DiagnosticSpec(.unterminatedString, message: "this string has no closing quote")]),
        Case(code: .invalidEscape, source: "rule r {\n  title \"a1️⃣\\qb\"\n  every job satisfies Finished\n}\n",
             specs: [DiagnosticSpec(.invalidEscape)]),
        Case(code: .invalidNumber, source: rule("every job satisfies Duration <= 1️⃣8x"),
             specs: [DiagnosticSpec(.invalidNumber)]),
        Case(code: .invalidTimestamp, source: rule("every job satisfies CreationDate after 1️⃣2026-02-30"),
             specs: [DiagnosticSpec(.invalidTimestamp, message: "'2026-02-30' is not a valid date (write 2027-01-31 or 2027-01-31T12:00:00Z)")]),
        Case(code: .unexpectedToken, source: rule("every job satisfies State == 1️⃣)"),
             specs: [DiagnosticSpec(.unexpectedToken, message: "expected a value, found ')'")]),
        Case(code: .tooDeep, source: rule("every job satisfies " + String(repeating: "(", count: 64) + "1️⃣Finished" + String(repeating: ")", count: 64)),
             specs: [DiagnosticSpec(.tooDeep, message: "expressions are nested more than 64 deep")]),
        Case(code: .chainedComparison, source: rule("every job satisfies 1 < BackupSizeInBytes 1️⃣< 2"),
             specs: [DiagnosticSpec(.chainedComparison)]),
        Case(code: .missingBody, source: "rule 1️⃣r {\n  title \"t\"\n}\n",
             specs: [DiagnosticSpec(.missingBody, message: "rule r has no body: add 'every ...' or 'no ...'")]),
        Case(code: .duplicateBody, source: rule("every job satisfies Finished\n  1️⃣no job where InFlight"),
             specs: [DiagnosticSpec(.duplicateBody)]),
        Case(code: .duplicateMetadata, source: "rule r {\n  title \"a\"\n  1️⃣title \"b\"\n  every job satisfies Finished\n}\n",
             specs: [DiagnosticSpec(.duplicateMetadata, message: "the rule already has a title")]),
        Case(code: .unknownMetadata, source: "rule r {\n  title \"a\"\n  1️⃣titel \"b\"\n  every job satisfies Finished\n}\n",
             specs: [DiagnosticSpec(.unknownMetadata, notes: ["did you mean 'title'?"])]),
        Case(code: .invalidRuleID, source: "rule 1️⃣ebs- {\n  title \"t\"\n  every job satisfies Finished\n}\n",
             specs: [DiagnosticSpec(.invalidRuleID, message: "a rule id cannot end with '-'")]),
        Case(code: .unknownField, source: rule("every job satisfies 1️⃣IamRoleARN contains \"AWSBackup\""),
             specs: [DiagnosticSpec(.unknownField, message: "unknown field 'IamRoleARN'", notes: ["did you mean 'IamRoleArn'?"])]),
        Case(code: .unknownEnumValue, source: rule("every job satisfies State == 1️⃣COMPLETE"),
             specs: [DiagnosticSpec(.unknownEnumValue, message: "'COMPLETE' is not a BackupJobState value")]),
        Case(code: .unknownValue, source: rule("every job satisfies ResourceType == 1️⃣\"Ebs\""),
             specs: [DiagnosticSpec(.unknownValue, message: "'Ebs' is not one of the resource types AWS Backup supports")]),
        Case(code: .unknownFunction, source: rule("every account satisfies 1️⃣cnt(jobs) > 1"),
             specs: [DiagnosticSpec(.unknownFunction, message: "unknown function 'cnt'")]),
        Case(code: .unknownSubject, source: rule("every 1️⃣jobs satisfies Finished"),
             specs: [DiagnosticSpec(.unknownSubject, notes: ["did you mean 'job'?"])]),
        Case(code: .mismatch, source: rule("every job satisfies 1️⃣CreationDate > \"2026-11-01\""),
             specs: [DiagnosticSpec(.mismatch, message: "cannot compare a timestamp with text",
                                    notes: ["write dates and timestamps without quotes: 2026-11-01"])]),
        Case(code: .notACondition, source: rule("every job satisfies 1️⃣Duration"),
             specs: [DiagnosticSpec(.notACondition, message: "expected a condition (true or false), found a duration")]),
        Case(code: .wrongArguments, source: rule("every account satisfies 1️⃣share(jobs) > 5%"),
             specs: [DiagnosticSpec(.wrongArguments)]),
        Case(code: .notAGroupAttribute, source: rule("every account satisfies 1️⃣State == FAILED"),
             specs: [DiagnosticSpec(.notAGroupAttribute, message: "State differs from job to job, so it does not describe an account")]),
        Case(code: .aggregateOutsideGroup, source: rule("every job satisfies 1️⃣count(jobs) > 1"),
             specs: [DiagnosticSpec(.aggregateOutsideGroup)]),
        Case(code: .noRelation, source: rule("every plan 1️⃣has restore job where Status == COMPLETED"),
             specs: [DiagnosticSpec(.noRelation, message: "restore jobs do not name a plan, so a plan has no restore jobs")]),
        Case(code: .groupOfOtherKind, source: rule("every group by 1️⃣DestinationBackupVaultArn has copy job where State == COMPLETED"),
             specs: [DiagnosticSpec(.groupOfOtherKind, message: "groups are formed from backup jobs; DestinationBackupVaultArn is a field of copy jobs, which form no groups")]),
        Case(code: .invalidRegex, source: rule("every job satisfies IamRoleArn matches \"role/1️⃣(?!Admin)\""),
             specs: [DiagnosticSpec(.invalidRegex, message: "invalid regular expression: invalid perl operator: (?!")]),
        Case(code: .invalidGlob, source: rule("every job satisfies ResourceName like \"backup-1️⃣\\\\\""),
             specs: [DiagnosticSpec(.invalidGlob)]),
        Case(code: .invalidSeverity, source: "rule r {\n  title \"t\"\n  severity 1️⃣hgh\n  every job satisfies Finished\n}\n",
             specs: [DiagnosticSpec(.invalidSeverity, notes: ["did you mean 'high'?"])]),
        Case(code: .invalidCount, source: rule("every resource has at least 1️⃣1.5 jobs"),
             specs: [DiagnosticSpec(.invalidCount, message: "the number of jobs must be a whole number from 0, found 1.5")]),
        Case(code: .outOfRange, source: rule("every job satisfies Duration < 1️⃣99999999999d + 99999999999d"),
             specs: [DiagnosticSpec(.outOfRange, message: "99999999999d + 99999999999d is out of range: durations range over ±106751991167 days (about 292 million years)")]),
        Case(code: .duplicateRule, source: rule("every job satisfies Finished") + "rule 1️⃣r {\n  title \"u\"\n  every job satisfies InFlight\n}\n",
             specs: [DiagnosticSpec(.duplicateRule, message: "rule id 'r' is already used")]),
        Case(code: .unknownRule, source: rule("every job satisfies Finished", id: "ebs-daily")
                 + "waive 1️⃣ebs-dayly for \"x\" until 2027-01-31 because \"decommissioned\"\n",
             specs: [DiagnosticSpec(.unknownRule, notes: ["did you mean 'ebs-daily'?"])]),
        Case(code: .duplicateParameter, source: "param rpo = 24h\nparam 1️⃣rpo = 48h\n" + rule("every job satisfies CreationDate within rpo"),
             specs: [DiagnosticSpec(.duplicateParameter)]),
        Case(code: .parameterShadowsName, source: "param 1️⃣State = \"x\"\n" + rule("every job satisfies Finished"),
             specs: [DiagnosticSpec(.parameterShadowsName)]),
        Case(code: .invalidParameterValue, source: "param rpo = 24h\n" + rule("every job satisfies CreationDate within rpo"),
             specs: [DiagnosticSpec(.invalidParameterValue, at: nil, message: "parameter 'rpo' is a duration; '5%' is a percentage")],
             overrides: [("rpo", "5%")]),
        Case(code: .unknownParameter, source: "param rpo = 24h\n" + rule("every job satisfies CreationDate within rpo"),
             specs: [DiagnosticSpec(.unknownParameter, at: nil, notes: ["did you mean 'rpo'?", "parameters: rpo"])],
             overrides: [("rp", "48h")]),
        Case(code: .emptyWaiverReason, source: rule("every job satisfies Finished") + "waive r for \"J\" until 2027-01-31 because 1️⃣\" \"\n",
             specs: [DiagnosticSpec(.emptyWaiverReason)]),
        Case(code: .invalidWaiverDate, source: rule("every job satisfies Finished") + "waive r for \"J\" until 1️⃣\"soon\" because \"x\"\n",
             specs: [DiagnosticSpec(.invalidWaiverDate)]),
        Case(code: .windowBeyondRetention, source: rule("every resource has job where CompletionDate within 1️⃣45d"),
             specs: [DiagnosticSpec(.windowBeyondRetention)]),
        Case(code: .contradiction, source: rule("every job satisfies 1️⃣State == COMPLETED and State == FAILED"),
             specs: [DiagnosticSpec(.contradiction, message: "State cannot be both COMPLETED and FAILED; this condition never holds")]),
        Case(code: .alwaysTrue, source: rule("every job satisfies 1️⃣State != COMPLETED or State != FAILED"),
             specs: [DiagnosticSpec(.alwaysTrue)]),
        Case(code: .unusedParameter, source: "param 1️⃣unused = 3\n" + rule("every job satisfies Finished"),
             specs: [DiagnosticSpec(.unusedParameter, message: "parameter 'unused' is not used by any rule")]),
        Case(code: .missingTitle, source: "rule 1️⃣r {\n  every job satisfies Finished\n}\n",
             specs: [DiagnosticSpec(.missingTitle)]),
        Case(code: .expiredWaiver, source: rule("every job satisfies Finished") + "waive r for \"J\" until 1️⃣2026-11-27 because \"x\"\n",
             specs: [DiagnosticSpec(.expiredWaiver, message: "this waiver expired on 2026-11-27; it no longer applies")], now: now),
        Case(code: .unmatchedWaiverTarget, source: rule("every resource has job where Finished") + "waive r for 1️⃣\"3F2E-JOB\" until 2027-01-31 because \"x\"\n",
             specs: [DiagnosticSpec(.unmatchedWaiverTarget)]),
        Case(code: .unlistedValue, source: rule("every job satisfies MessageCategory == 1️⃣\"Success\""),
             specs: [DiagnosticSpec(.unlistedValue, message: "'Success' is not one of the message categories AWS documents")]),
        Case(code: .missingTestTime, source: rule("no job where State == FAILED") + "\ntest 1️⃣\"t\" {\n  expect r passes\n}\n",
             specs: [DiagnosticSpec(.missingTestTime, message: "test \"t\" has no now: add the time to judge at (now 2026-11-28T12:00:00Z)")]),
        Case(code: .duplicateTestTime, source: rule("no job where State == FAILED")
                 + "\ntest \"t\" {\n  now 2026-11-28T12:00:00Z\n  1️⃣now 2026-11-29T12:00:00Z\n  expect r passes\n}\n",
             specs: [DiagnosticSpec(.duplicateTestTime, message: "the test already has a now")]),
        Case(code: .duplicateTestName, source: rule("no job where State == FAILED")
                 + "\ntest \"t\" {\n  now 2026-11-28T12:00:00Z\n  expect r passes\n}\n\ntest 1️⃣\"t\" {\n  now 2026-11-28T12:00:00Z\n  expect r passes\n}\n",
             specs: [DiagnosticSpec(.duplicateTestName, message: "a test named \"t\" already exists")]),
        Case(code: .noExpectation, source: rule("no job where State == FAILED") + "\ntest 1️⃣\"t\" {\n  now 2026-11-28T12:00:00Z\n  job { State = FAILED }\n}\n",
             specs: [DiagnosticSpec(.noExpectation)]),
        Case(code: .invalidJobField, source: rule("no job where State == FAILED")
                 + "\ntest \"t\" {\n  now 2026-11-28T12:00:00Z\n  job { 1️⃣Finished = true }\n  expect r passes\n}\n",
             specs: [DiagnosticSpec(.invalidJobField, message: "Finished is derived from other fields; set those instead (State, CreationDate, CompletionDate...)")]),
        Case(code: .duplicateJobID, source: rule("no job where State == FAILED")
                 + "\ntest \"t\" {\n  now 2026-11-28T12:00:00Z\n  job { BackupJobId = \"a\" }\n  1️⃣job { BackupJobId = \"a\", State = FAILED }\n  expect r fails\n}\n",
             specs: [DiagnosticSpec(.duplicateJobID)]),
        Case(code: .testSubjectFormat, source: rule("every resource has job where State == COMPLETED")
                 + "\ntest \"t\" {\n  now 2026-11-28T12:00:00Z\n  expect r fails for 1️⃣\"job-1\"\n}\n",
             specs: [DiagnosticSpec(.testSubjectFormat, message: "a resource rule's subjects are ARNs; 'job-1' is not one, so the rule never judges it")]),
    ]

    /// Reported by the command line when it reads rule files; tested there.
    static let reportedByTheCommandLine: Set<DiagnosticCode> = [.invalidUTF8, .unreadableFile]

    @Test(arguments: cases)
    func provokes(_ testCase: Case) {
        assertDiagnostics(testCase.source, testCase.specs, overrides: testCase.overrides, now: testCase.now,
                          ignoring: testCase.code.rawValue.hasPrefix("syntax.")
                              ? Set<DiagnosticCode>([.unexpectedToken, .missingBody]).subtracting([testCase.code]) : [])
    }

    @Test func everyCodeHasACase() {
        let covered = Set(Self.cases.map(\.code)).union(Self.reportedByTheCommandLine)
        #expect(covered == Set(DiagnosticCode.allCases), "missing: \(Set(DiagnosticCode.allCases).subtracting(covered).map(\.rawValue))")
    }

    @Test func codesAreStableAndDistinct() {
        let raw = DiagnosticCode.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        for code in DiagnosticCode.allCases {
            #expect(code.rawValue.split(separator: ".").count == 2, "\(code.rawValue)")
            #expect(code.defaultSeverity == (code.rawValue.hasPrefix("lint.") ? .warning : .error))
            #expect(!code.summary.isEmpty)
        }
    }
}
