import BackupJobs
import Foundation
import Reports
@testable import RuleEngine
import RuleLanguage
import Testing

/// Programming errors of the engine (a rule's compiled relations or kinds lacking a kind it reads,
/// a group rule run without its groups) fail closed: the rule is not judged (status error, which
/// blocks the gate), never judged over the backup jobs in the related kind's place, never a trap.
/// The checker prevents these today; the tests break its promise by hand.
struct EngineDefectTests {
    static let resource = "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1"
    static let now = Timestamp(millisecondsSinceEpoch: 1_795_867_200_000)

    /// Two backup jobs of one resource and no copy of it (one copy of another resource):
    /// `count(copy jobs) >= 2` must not hold.
    static var listing: Listing {
        Listing(records: [job("b1", resource: resource), job("b2", resource: resource)].map(Record.init) + [Record(.copyJob, id: "c1")],
                kinds: [.backupJob, .copyJob])
    }

    static func rule(_ body: String) throws -> RuleProgram {
        try program("rule r {\n  title \"t\"\n  \(body)\n}\n")
    }

    static func result(_ program: RuleProgram) async throws -> RuleResult {
        try #require(await Evaluator.evaluate(program, listing: listing, now: now).results.first)
    }

    /// Without its relation, the resources' copy jobs were their backup jobs: a false pass.
    @Test func aKindReadWithoutItsRelationIsAFaultNotTheBackupJobs() async throws {
        var program = try Self.rule("every resource satisfies count(copy jobs) >= 2")
        #expect(program.rules[0].relations[.copyJob] != nil)
        program.rules[0].relations = [:]
        let result = try await Self.result(program)
        #expect(result.status == .error)
        #expect(result.blocksGate)
        #expect(result.fault?.cause == .unrelatedKind(.copyJob))
        #expect(result.fault?.subject == nil)
    }

    /// Without the kind among those the rule reads, its condition was compiled over the backup
    /// jobs' table, reading a copy job field's index there.
    @Test func aKindReadWithoutItsTableIsAFaultNotTheBackupJobs() async throws {
        var program = try Self.rule("every resource satisfies count(copy jobs where State == \"COMPLETED\") >= 2")
        program.rules[0].relations = [:]
        program.rules[0].kinds = [.backupJob]
        let result = try await Self.result(program)
        #expect(result.status == .error)
        #expect(result.fault?.cause == .unrelatedKind(.copyJob))
    }

    /// A query whose relations lack a kind it reads has no answer, rather than one from the
    /// backup jobs.
    @Test func aQueryReadingAnUnrelatedKindIsNotAnswered() throws {
        let (compiled, diagnostics) = QueryCompiler.compile(SourceFile(name: "q", text: "resource where count(copy jobs) >= 2"))
        #expect(!diagnostics.hasErrors)
        var query = try #require(compiled)
        query.relations = [:]
        query.kinds = [.backupJob]
        let result = QueryRunner.run(query, listing: Self.listing, now: Self.now)
        #expect(!result.isAnswered)
        #expect(result.rows.isEmpty)
        #expect(result.fault?.cause == .unrelatedKind(.copyJob))
    }

    /// A group rule run without its group index judged nothing and came out `empty`.
    @Test func aGroupRuleWithoutItsIndexIsAFault() throws {
        let program = try Self.rule("every resource satisfies count(jobs) >= 1")
        let table = try #require(Self.listing[.backupJob])
        let runner = RuleRunner(rule: program.rules[0], table: table, related: [:], now: Self.now, groups: nil, waivers: [], options: .init())
        let result = runner.run()
        #expect(result.status == .error)
        #expect(result.blocksGate)
        #expect(result.fault?.cause == .noGroupIndex)
    }
}

/// How an engine defect reads in every report: a programming error, naming the kind.
struct EngineDefectTextTests {
    @Test func anUnrelatedKindReadsAsAnInternalErrorNamingTheKind() {
        let fault = EvaluationFault(subjectName: "resource", subject: nil, cause: .unrelatedKind(.copyJob))
        #expect(FaultText.message(fault).hasPrefix("internal error: the rule reads copy jobs"))
    }

    @Test func aMissingGroupIndexReadsAsAnInternalError() {
        let fault = EvaluationFault(subjectName: "resource", subject: nil, cause: .noGroupIndex)
        #expect(FaultText.message(fault).hasPrefix("internal error: no index of the resources"))
    }
}
