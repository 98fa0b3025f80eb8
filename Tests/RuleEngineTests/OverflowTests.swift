import BackupJobs
import RuleLanguage
import TestSupport
import Testing

import Reports
@testable import RuleEngine

/// A value that overflows while rules are evaluated leaves its rule unjudged (an error naming the
/// subject and the expression): never a trap, never "does not hold", never "holds" through `not`.
struct OverflowTests {
    static let sizes = "sizes range over ±8 EiB (9223372036854775807 bytes)"
    static let durations = "durations range over ±106751991167 days (about 292 million years)"
    static let times = "times range over 106751991167 days (about 292 million years) either side of 1970-01-01"

    static func sized(_ id: String, _ bytes: Int64, resource: String = "arn:r", _ state: BackupJobState = .completed) -> BackupJob {
        job(id, state, resource: resource) { $0.backupSizeInBytes = bytes }
    }

    @Test(arguments: [
        ("every job satisfies BackupSizeInBytes * 99999999999 > 0 B", "job a: BackupSizeInBytes * 99999999999 overflows: \(sizes)"),
        ("every job satisfies not (BackupSizeInBytes * 99999999999 > 0 B)", "job a: BackupSizeInBytes * 99999999999 overflows: \(sizes)"),
        ("no job where BackupSizeInBytes * 99999999999 > 0 B", "job a: BackupSizeInBytes * 99999999999 overflows: \(sizes)"),
        ("every job where BackupSizeInBytes * 99999999999 > 0 B satisfies Finished", "job a: BackupSizeInBytes * 99999999999 overflows: \(sizes)"),
        ("every job satisfies (BackupSizeInBytes * 99999999999) exists", "job a: BackupSizeInBytes * 99999999999 overflows: \(sizes)"),
        ("every job satisfies Duration * 99999999999999 > 1h", "job a: Duration * 99999999999999 overflows: \(durations)"),
        // 0 - 1h × 2562047788015 - 775808ms is Int64.min milliseconds, which has no negation.
        ("every job satisfies -(0s - Duration * 2562047788015 - 775808ms) > 0s",
         "job a: -(0s - Duration * 2562047788015 - 775808ms) overflows: \(durations)"),
        ("every job satisfies CreationDate before now + 99999999999d + 99999999999d", "job a: now + 99999999999d + 99999999999d overflows: \(times)"),
        ("every job satisfies CreationDate within -Duration * 2562047788015", "job a: now - (-Duration * 2562047788015) overflows: \(times)"),
    ])
    func aJobRuleThatOverflowsIsAnError(_ body: String, _ message: String) async throws {
        let evaluation = try await evaluate(EvaluatorTests.rule(body), [Self.sized("a", 5_000_000_000), Self.sized("b", 1)])
        let result = try #require(evaluation.result("r"))
        #expect(result.status == .error)
        #expect(result.fault.map(FaultText.message) == message)
        #expect(result.findings.isEmpty && !result.isEmptyScope)
        #expect(evaluation.summary.errors == 1 && evaluation.summary.passed == 0 && evaluation.summary.failed == 0)
    }

    @Test func aSumBeyondTheRangeOfSizesIsAnErrorNamingTheGroup() async throws {
        let evaluation = try await evaluate(EvaluatorTests.rule("every resource satisfies sum(jobs, BackupSizeInBytes) < 1 TiB"), [
            Self.sized("a", 5_000_000_000_000_000_000), Self.sized("b", 5_000_000_000_000_000_000), Self.sized("c", 1, resource: "arn:other"),
        ])
        let result = try #require(evaluation.result("r"))
        #expect(result.status == .error)
        #expect(result.fault.map(FaultText.message) == "resource arn:r: sum(jobs, BackupSizeInBytes) overflows: \(Self.sizes)")
    }

    @Test func anOverflowInsideAnAggregateNamesTheJob() async throws {
        let evaluation = try await evaluate(
            EvaluatorTests.rule("every resource has job where BackupSizeInBytes * 99999999999 > 1 TiB"), [Self.sized("a", 5_000_000_000)])
        #expect(evaluation.result("r")?.fault.map(FaultText.message)
            == "resource arn:r: BackupSizeInBytes * 99999999999 overflows (job a): \(Self.sizes)")
    }

    @Test func averagesAndMediansAreExactAndNeverOverflow() async throws {
        let huge = [Self.sized("a", 5_000_000_000_000_000_000), Self.sized("b", 5_000_000_000_000_000_000)]
        let average = try await evaluate(EvaluatorTests.rule("every resource satisfies avg(jobs, BackupSizeInBytes) == 5000000000000000000 B"), huge)
        #expect(average.result("r")?.status == .pass)
        // Beyond 2^53 a Double holds only even numbers: their mean, 9007199254740995, is not one.
        let odd = [Self.sized("a", 9_007_199_254_740_993), Self.sized("b", 9_007_199_254_740_997)]
        let median = try await evaluate(EvaluatorTests.rule("every resource satisfies median(jobs, BackupSizeInBytes) == 9007199254740995 B"), odd)
        #expect(median.result("r")?.status == .pass)
        let extremes = [Self.sized("a", .max), Self.sized("b", .max - 1), Self.sized("c", .max)]
        let top = try await evaluate(EvaluatorTests.rule("every resource satisfies avg(jobs, BackupSizeInBytes) == 9223372036854775807 B"), extremes)
        #expect(top.result("r")?.status == .pass)
    }

    @Test func aWaiverConditionThatOverflowsLeavesTheRuleUnjudged() async throws {
        let text = EvaluatorTests.rule("every job satisfies State == COMPLETED")
            + "waive r where BackupSizeInBytes * 99999999999 > 0 B until 2027-01-31 because \"x\"\n"
        let evaluation = try await evaluate(text, [Self.sized("a", 5_000_000_000, .failed)])
        let result = try #require(evaluation.result("r"))
        #expect(result.status == .error)
        #expect(result.fault.map(FaultText.message) == "job a: BackupSizeInBytes * 99999999999 overflows: \(Self.sizes)")
    }

    /// `and` and `or` decide left to right: a part after the deciding one is not computed, so its
    /// overflow does not stop the rule; the explanation says it could not be computed.
    @Test func aPartTheVerdictDidNotNeedIsExplainedAsOverflowing() async throws {
        let evaluation = try await evaluate(
            EvaluatorTests.rule("every job satisfies State == COMPLETED and BackupSizeInBytes * 99999999999 > 0 B"),
            [Self.sized("a", 5_000_000_000, .failed)])
        let result = try #require(evaluation.result("r"))
        #expect(result.status == .fail)
        let explanation = try #require(evaluation.findings("r").first?.explanation)
        #expect(explanation.contains("! BackupSizeInBytes * 99999999999 > 0 B: BackupSizeInBytes * 99999999999 overflows (BackupSizeInBytes = 4.7 GiB)"), "\(explanation)")
    }

    @Test func queriesStopAtTheFirstOverflow() throws {
        let (compiled, diagnostics) = QueryCompiler.compile(
            SourceFile(name: "q", text: "job"), columns: [SourceFile(name: "c", text: "BackupSizeInBytes * 2")])
        let query = try #require(compiled, "\(diagnostics)")
        let result = QueryRunner.run(query, listing: Listing(RecordTable([Self.sized("a", .max / 2), Self.sized("b", .max)])), now: QueryRunnerTests.now)
        #expect(result.fault.map(FaultText.message) == "job b: BackupSizeInBytes * 2 overflows: \(Self.sizes)")
        #expect(result.rows.isEmpty)
    }

    @Test func hugeValuesReadSensibly() {
        #expect(Sizes.describe(.max) == "8 EiB")
        #expect(Sizes.describe(.min) == "-8 EiB")
        #expect(DurationUnit.readable(.min) == "-106751991167d 7h")
        #expect(DurationUnit.readable(.max) == "106751991167d 7h")
        #expect(Decimals.format(1e40, places: 1) == "1e+40")
        #expect(Percentages.describe(1e38) == "1e+40%")
        #expect(Value.number(1e40).display(RecordTable([]).strings) == "1e+40")
        #expect(Timestamp(millisecondsSinceEpoch: .min).iso8601.hasPrefix("-292275055-"))
        #expect(Timestamp(millisecondsSinceEpoch: .max).iso8601.hasPrefix("292278994-"))
    }
}
