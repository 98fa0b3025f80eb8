import Foundation
import BackupJobs
import RuleEngine
import RuleLanguage
import Testing

struct EvaluatorTests {
    static func rule(_ body: String, id: String = "r", extra: String = "") -> String {
        extra + "rule \(id) {\n  title \"t\"\n  severity high\n  \(body)\n}\n"
    }

    @Test func jobRulesFailEachJobThatDoesNotSatisfy() async throws {
        let evaluation = try await evaluate(Self.rule("every job satisfies IamRoleArn contains \"AWSBackup\""), [
            job("B", role: "arn:aws:iam::1:role/Admin"), job("A"), job("C", role: nil),
        ])
        let result = try #require(evaluation.result("r"))
        #expect(result.status == .fail)
        #expect(result.evaluated == 3)
        #expect(evaluation.failing("r") == ["B", "C"])
        let finding = evaluation.findings("r")[0]
        #expect(finding.message == "IamRoleArn contains \"AWSBackup\" does not hold (IamRoleArn = \"arn:aws:iam::1:role/Admin\")")
        #expect(finding.evidence.map(\.id) == ["B"])
        #expect(finding.explanation.contains("✗ IamRoleArn contains \"AWSBackup\""))
        #expect(evaluation.findings("r")[1].message.contains("IamRoleArn is missing"))
    }

    @Test func hasJobExplainsWithTheNearestCandidate() async throws {
        let evaluation = try await evaluate(
            Self.rule("every resource where ResourceType == \"EBS\" has job where State == COMPLETED and CompletionDate within 24h"), [
                job("old", resource: "arn:vol-1", createdHoursAgo: 40),
                job("3F2E8A41-FAIL", .failed, resource: "arn:vol-1", createdHoursAgo: 32, message: "Access denied: the IAM role lacks ec2:CreateSnapshot"),
                job("ok", resource: "arn:vol-2", createdHoursAgo: 5),
                job("rds", resource: "arn:db", type: "RDS", createdHoursAgo: 90),
            ])
        let result = try #require(evaluation.result("r"))
        #expect(result.evaluated == 2)
        #expect(evaluation.failing("r") == ["arn:vol-1"])
        let finding = evaluation.findings("r")[0]
        #expect(finding.message == "no job where State == COMPLETED and CompletionDate within 24h; latest job 3F2E8A41… FAILED at 2026-11-27T04:00:00.000Z (1d 8h ago): \"Access denied: the IAM role lacks ec2:CreateSnapshot\"")
        #expect(finding.explanation.contains("✗ State == COMPLETED (State = \"FAILED\")"))
        #expect(finding.explanation.contains("✗ CompletionDate within 24h (CompletionDate = 2026-11-27T05:00:00.000Z, 1d 7h ago)"))
        #expect(finding.evidence == [EvidenceRecord(.backupJob, "3F2E8A41-FAIL")])
    }

    @Test func countsAndTheirBounds() async throws {
        let jobs = (0..<5).map { job("J\($0)", resource: "arn:r", createdHoursAgo: Double($0) * 24 + 1) }
        let atLeast = try await evaluate(Self.rule("every resource has at least 7 jobs where CreationDate within 7d"), jobs)
        #expect(atLeast.findings("r").map(\.message) == ["5 jobs where CreationDate within 7d; needs at least 7; latest job J0 COMPLETED at 2026-11-28T11:00:00.000Z (1h ago)"])
        #expect(try await evaluate(Self.rule("every resource has at most 5 jobs"), jobs).failing("r").isEmpty)
        #expect(try await evaluate(Self.rule("every resource has exactly 4 jobs"), jobs).failing("r") == ["arn:r"])
        #expect(try await evaluate(Self.rule("every resource has no job where State == FAILED"), jobs).failing("r").isEmpty)
    }

    @Test func coverageCountsWholeUTCDaysBeforeToday() async throws {
        // now is 2026-11-28T12:00Z: the last 3 days are 25, 26 and 27 November.
        let jobs = [
            job("a", resource: "arn:r", createdHoursAgo: 12 + 24 * 3 - 1),  // 2026-11-25T01:00
            job("b", resource: "arn:r", createdHoursAgo: 12 + 1),  // 2026-11-27T23:00
            job("today", resource: "arn:r", createdHoursAgo: 1),  // today: not judged
        ]
        let evaluation = try await evaluate(Self.rule("every resource has job where State == COMPLETED in each of the last 3 days"), jobs)
        let finding = try #require(evaluation.findings("r").first)
        #expect(finding.message.hasPrefix("no job where State == COMPLETED on 2026-11-26 (1 of the last 3 days)"))
        #expect(finding.explanation.contains("2026-11-26: 0 jobs  ✗"))
        #expect(try await evaluate(Self.rule("every resource has job in each of the last 1 days"), jobs).failing("r").isEmpty)
    }

    @Test func latestJobTiesMustAllHoldAndNoneFails() async throws {
        let rule = Self.rule("every resource latest job where Finished satisfies State == COMPLETED")
        let tie = [job("x", resource: "arn:a", createdHoursAgo: 5), job("y", .failed, resource: "arn:a", createdHoursAgo: 5),
                   job("z", .failed, resource: "arn:a", createdHoursAgo: 50)]
        #expect(try await evaluate(rule, tie).failing("r") == ["arn:a"])
        let recovered = [job("x", resource: "arn:a", createdHoursAgo: 5), job("z", .failed, resource: "arn:a", createdHoursAgo: 50)]
        #expect(try await evaluate(rule, recovered).failing("r").isEmpty)
        let running = [job("x", .running, resource: "arn:a", createdHoursAgo: 5)]
        let none = try await evaluate(rule, running)
        #expect(none.findings("r").map(\.message) == ["no job where Finished"])
    }

    @Test func aggregatesExplainTheirFigures() async throws {
        let jobs = (0..<20).map { job("J\($0)", $0 < 2 ? .failed : .completed, createdHoursAgo: Double($0 + 1)) }
        let evaluation = try await evaluate(
            Self.rule("every account satisfies share(jobs where Finished, State != COMPLETED) <= 5%"), jobs)
        let finding = try #require(evaluation.findings("r").first)
        #expect(finding.subject == "111111111111")
        #expect(finding.message == "share(jobs where Finished, State != COMPLETED) <= 5% does not hold (share = 10%: 2 of 20 jobs where Finished satisfy State != COMPLETED)")
        #expect(finding.evidence.map(\.id).sorted() == ["J0", "J1"])
        // An account with no finished job passes: the share of nothing is 0.
        #expect(try await evaluate(Self.rule("every account satisfies share(jobs where Finished, State != COMPLETED) <= 5%"),
                                   [job("R", .running)]).failing("r").isEmpty)
        let statistics = try await evaluate(Self.rule(
            "every account satisfies count(jobs) == 20 and max(jobs, Duration) <= 1h and avg(jobs, Duration) == 1h and median(jobs, CreationDate) < now and distinct(jobs, ResourceArn) == 20 and latest(jobs).BackupJobId == \"J0\" and earliest(jobs).BackupJobId == \"J19\" and ratio(jobs where State == FAILED, jobs) == 10% and sum(jobs where State == FAILED, Duration) == 2h"), jobs)
        #expect(statistics.failing("r").isEmpty, "\(statistics.findings("r").map(\.message))")
    }

    @Test func groupAttributesHoldWhenSomeJobHasThem() async throws {
        let jobs = [job("a", resource: "arn:mixed", type: "EC2"), job("b", resource: "arn:mixed", type: "EBS"),
                    job("c", resource: "arn:ec2", type: "EC2")]
        let evaluation = try await evaluate(Self.rule("every resource where ResourceType == \"EBS\" has job where State == FAILED"), jobs)
        #expect(evaluation.result("r")?.evaluated == 1)
        #expect(evaluation.failing("r") == ["arn:mixed"])
    }

    @Test func groupsByAnyFieldAndJobsWithoutTheKeyBelongToNone() async throws {
        let jobs = [job("a", plan: "p1"), job("b", .failed, plan: "p1"), job("c", plan: "p2"), job("d", plan: nil)]
        let byPlan = try await evaluate(Self.rule("every plan satisfies share(jobs, State == COMPLETED) >= 100%"), jobs)
        #expect(byPlan.result("r")?.evaluated == 2)
        #expect(byPlan.failing("r") == ["p1"])
        let byRegion = try await evaluate(Self.rule("every group by Region has at least 4 jobs"), jobs)
        #expect(byRegion.failing("r").isEmpty)
        #expect(byRegion.result("r")?.evaluated == 1)
    }

    @Test func noRulesMakeEachMatchAFinding() async throws {
        let jobs = [job("stuck", .running, createdHoursAgo: 30), job("fresh", .running, createdHoursAgo: 2), job("done")]
        let evaluation = try await evaluate(Self.rule("no job where InFlight and CreationDate before now - 24h"), jobs)
        #expect(evaluation.failing("r") == ["stuck"])
        #expect(evaluation.result("r")?.evaluated == 3)
        #expect(evaluation.findings("r")[0].message.hasPrefix("matches InFlight and CreationDate before now - 24h (State = "))
    }

    /// A subject an expired waiver and a current one both name is waived, and its words say
    /// nothing of the expired one: the evaluator wrote "(the waiver until … has expired)" into
    /// the message of the first waiver it met, and a later current waiver left it there.
    @Test func aFindingWaivedAfterAnExpiredWaiverDoesNotSayItsWaiverExpired() async throws {
        let rules = Self.rule("every job satisfies State == COMPLETED", id: "done")
            + "waive done for \"A\" until 2026-11-27 because \"was known\"\n"
            + "waive done where ResourceType == \"EBS\" until 2027-01-31 because \"still known\"\n"
        let evaluation = try await evaluate(rules, [job("A", .failed)])
        let finding = try #require(evaluation.findings("done").first)
        #expect(finding.status == .waived)
        #expect(finding.waiver?.reason == "still known" && finding.waiver?.expired == false)
        #expect(!finding.message.contains("expired"), "\(finding.message)")
        #expect(!finding.explanation.contains("expired"), "\(finding.explanation)")
    }

    @Test func waiversApplyUntilTheyExpireAndStaleOnesAreReported() async throws {
        let rules = Self.rule("every job satisfies State == COMPLETED", id: "done")
            + "waive done for \"A\" until 2027-01-31 because \"known (OPS-1)\"\n"
            + "waive done for \"B\" until 2026-11-27 because \"was known\"\n"
            + "waive done where ResourceType == \"RDS\" until 2027-01-31 because \"databases are handled elsewhere\"\n"
            + "waive done for \"nobody\" until 2027-01-31 because \"stale\"\n"
        let jobs = [job("A", .failed), job("B", .failed), job("C", .failed, type: "RDS"), job("D", .failed), job("E")]
        let evaluation = try await evaluate(rules, jobs)
        let result = try #require(evaluation.result("done"))
        #expect(result.status == .fail)
        #expect(result.findings.map(\.subject) == ["A", "B", "C", "D"])
        #expect(result.findings.map(\.status) == [.waived, .fail, .waived, .fail])
        #expect(result.findings[1].waiver?.expired == true)
        #expect(evaluation.findings("done")[1].message.hasSuffix("(the waiver until 2026-11-27 has expired)"))
        #expect(result.staleWaivers.map(\.reason) == ["stale"])
        let allWaived = try await evaluate(rules, [job("A", .failed)])
        #expect(allWaived.result("done")?.status == .waived)
    }

    @Test func aWaiverForADateLastsThroughThatDay() async throws {
        let rules = Self.rule("every job satisfies State == COMPLETED", id: "done") + "waive done for \"A\" until 2026-11-28 because \"today\"\n"
        #expect(try await evaluate(rules, [job("A", .failed)], now: "2026-11-28T23:59:59Z").result("done")?.status == .waived)
        #expect(try await evaluate(rules, [job("A", .failed)], now: "2026-11-29T00:00:00Z").result("done")?.status == .fail)
    }

    @Test func anEmptyScopeIsEmptyNotPassedAndFailsWhenStrict() async throws {
        let rules = Self.rule("every resource where ResourceType == \"DynamoDB\" has job")
            + Self.rule("every job satisfies State == COMPLETED", id: "done")
        let relaxed = try await evaluate(rules, [job("a")])
        #expect(relaxed.result("r")?.status == .empty)
        #expect(relaxed.result("r")?.isEmptyScope == true)
        #expect(relaxed.summary.passed == 1 && relaxed.summary.empty == 1 && relaxed.summary.emptyScope == 1)
        let strict = try await evaluate(rules, [job("a")], options: EvaluationOptions(strict: true))
        #expect(strict.result("r")?.status == .fail)
        #expect(strict.summary.failed == 1 && strict.summary.empty == 0 && strict.summary.emptyScope == 1)
        // No data at all: every rule, `no` rules too, judged nothing.
        let nothing = try await evaluate(rules + Self.rule("no job where State == FAILED", id: "none"), [])
        #expect(nothing.results.map(\.status) == [.empty, .empty, .empty])
    }

    @Test(arguments: [
        ("no job where State == FAILED", 3, ["b"]),
        ("no account where count(jobs where State == FAILED) > 0", 2, ["2"]),
        ("no resource where count(jobs) > 5", 3, []),
    ])
    func noRulesTryTheirConditionOnEverySubject(_ body: String, _ tried: Int, _ matched: [String]) async throws {
        let jobs = [job("a", account: "1"), job("b", .failed, resource: "arn:2", account: "2"), job("c", resource: "arn:3", account: "1")]
        let result = try #require(try await evaluate(Self.rule(body), jobs).result("r"))
        #expect(result.evaluated == tried)
        #expect(result.findings.map { $0.subject } == matched)
        #expect(result.status == (matched.isEmpty ? RuleResult.Status.pass : .fail))
    }

    @Test func textTestsAndMembership() async throws {
        let jobs = [
            job("a", role: "arn:aws:iam::1:role/service-role/awsbackupdefaultservicerole"),
            job("b", role: "arn:aws:iam::1:role/AWSBackup-ops") { $0.backupOptions = ["WindowsVSS": "Enabled"] },
            job("c", .partial, role: "arn:aws:iam::1:role/Admin"),
        ]
        let cases: [(String, [String])] = [
            ("every job satisfies IamRoleArn contains \"awsbackup\" ignoring case", ["c"]),
            ("every job satisfies RoleName starts with \"AWSBackup\"", ["a", "c"]),
            ("every job satisfies IamRoleArn matches \"role/(service-role/)?[Aa][Ww][Ss]\"", ["c"]),
            ("every job satisfies State in [COMPLETED, FAILED]", ["c"]),
            ("every job satisfies State not in [PARTIAL]", ["c"]),
            ("every job where BackupOptions.WindowsVSS exists satisfies BackupOptions.WindowsVSS == \"enabled\" ignoring case", []),
            ("every job where BackupOptions.WindowsVSS exists satisfies BackupOptions.WindowsVSS == \"enabled\"", ["b"]),
            ("every job satisfies Region == \"eu-west-1\" and RoleName ends with \"e\" or IamRoleArn ends with \"ops\"", ["c"]),
        ]
        for (body, failing) in cases {
            #expect(try await evaluate(Self.rule(body), jobs).failing("r") == failing, "\(body)")
        }
    }

    static let textJobs = [
        job("m1", message: "prod-db-1"), job("m2", message: "staging-db-12"), job("m3", message: "PROD-web"),
        job("m4", message: "a*b"), job("m5", message: ""), job("m6", message: "日本-db-é"), job("m7", message: "prod-line\nbreak"),
        job("m8", message: nil), job("m9", message: "axb"),
    ]

    @Test(arguments: [
        (#""prod-*""#, ["m1", "m7"]),
        (#""prod-*" ignoring case"#, ["m1", "m3", "m7"]),
        (#""*-db-?""#, ["m1", "m6"]),
        (#""??-db-?""#, ["m6"]),
        (#""a*b""#, ["m4", "m9"]),
        (#""a\\*b""#, ["m4"]),
        (#""""#, ["m5"]),
        (#""*""#, ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m9"]),
        (#""PROD-WEB" ignoring case"#, ["m3"]),
    ])
    func likeMatchesTheWholeTextAgainstAGlob(_ glob: String, _ matching: [String]) async throws {
        let evaluation = try await evaluate(Self.rule("no job where StatusMessage like \(glob)"), Self.textJobs)
        #expect(evaluation.failing("r").sorted() == matching, "\(glob)")
    }

    @Test(arguments: [
        (#""db""#, ["m1", "m2", "m6"]),
        (#""^prod" ignoring case"#, ["m1", "m3", "m7"]),
        (#""^prod.*break$""#, []),
        (#""(?s)^prod.*break$""#, ["m7"]),
        (#""^\\p{Han}+-db-\\pL$""#, ["m6"]),
        (#""^$""#, ["m5"]),
        (#""^([A-Za-z]+ ?)+$""#, ["m9"]),
    ])
    func matchesFindsTheExpressionAnywhereUnlessAnchored(_ pattern: String, _ matching: [String]) async throws {
        let evaluation = try await evaluate(Self.rule("no job where StatusMessage matches \(pattern)"), Self.textJobs)
        #expect(evaluation.failing("r").sorted() == matching, "\(pattern)")
    }

    @Test func derivedTextFieldsTakeGlobsToo() async throws {
        let jobs = [job("a", role: "arn:aws:iam::1:role/AWSBackup-ops"), job("b", role: "arn:aws:iam::1:role/Admin")]
        #expect(try await evaluate(Self.rule(#"every job satisfies RoleName like "awsbackup-*" ignoring case"#), jobs).failing("r") == ["b"])
    }

    @Test func missingValuesMakeComparisonsFalse() async throws {
        let jobs = [job("noState", nil), job("done")]
        #expect(try await evaluate(Self.rule("every job satisfies State != COMPLETED"), jobs).failing("r") == ["done", "noState"])
        #expect(try await evaluate(Self.rule("every job satisfies not (State == COMPLETED)"), jobs).failing("r") == ["done"])
        #expect(try await evaluate(Self.rule("every job satisfies State exists"), jobs).failing("r") == ["noState"])
    }

    @Test func extraFieldsAndDerivedFields() async throws {
        let jobs = [
            job("clean") { $0.additionalFields = ["ScanStatus": "\"CLEAN\"", "Score": "7"] },
            job("dirty") { $0.additionalFields = ["ScanStatus": "\"INFECTED\"", "Score": "2"] },
            job("unknown"),
        ]
        #expect(try await evaluate(Self.rule("every job satisfies extra(\"ScanStatus\") == \"CLEAN\""), jobs).failing("r") == ["dirty", "unknown"])
        #expect(try await evaluate(Self.rule("every job satisfies extra(\"Score\") > 5"), jobs).failing("r") == ["dirty", "unknown"])
        let withIssues = [job("w") { $0.messageCategory = "AccessDenied" }, job("s") { $0.messageCategory = "SUCCESS" }, job("n")]
        #expect(try await evaluate(Self.rule("every job satisfies not CompletedWithIssues"), withIssues).failing("r") == ["w"])
    }

    @Test func resultsAreInRuleOrderAndSubjectOrder() async throws {
        let rules = (0..<12).map { Self.rule("every job satisfies State == COMPLETED", id: "r\($0)") }.joined()
        let jobs = (0..<50).reversed().map { job("J\(String(format: "%02d", $0))", .failed) }
        let evaluation = try await evaluate(rules, jobs)
        #expect(evaluation.results.map(\.rule.id) == (0..<12).map { "r\($0)" })
        #expect(evaluation.failing("r5") == (0..<50).map { "J\(String(format: "%02d", $0))" })
    }
}

