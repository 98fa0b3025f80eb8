import BackupJobs
import RuleEngine
import RuleLanguage
import TestSupport
import Testing

/// Queries mean what rules mean: the same conditions, aggregates and picks, listed instead of judged.
struct QueryRunnerTests {
    static let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!
    static let jobs = [
        job("a1", .completed, resource: "arn:a", createdHoursAgo: 30),
        job("a2", .failed, resource: "arn:a", createdHoursAgo: 5, message: "denied"),
        job("b1", .completed, resource: "arn:b", type: "RDS", createdHoursAgo: 2),
        job("c1", .running, resource: "arn:c", createdHoursAgo: 1, durationHours: nil),
        job("x1", .completed, resource: nil, createdHoursAgo: nil) { $0.resourceArn = nil },
    ]

    func run(_ query: String, columns: [String]? = nil, order: QueryOrder = .init(), sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> QueryResult {
        let (compiled, diagnostics) = QueryCompiler.compile(
            SourceFile(name: "q", text: query), columns: columns?.map { SourceFile(name: "c", text: $0) })
        let program = try #require(compiled, "\(diagnostics)", sourceLocation: sourceLocation)
        return QueryRunner.run(program, listing: Listing(RecordTable(Self.jobs)), now: Self.now, order: order)
    }

    @Test func jobConditionsSelectRowsNewestFirst() throws {
        let result = try run("job where State != FAILED and CreationDate within 1d", columns: ["BackupJobId", "ResourceType", "State == RUNNING"])
        #expect(result.columns == ["BackupJobId", "ResourceType", "State == RUNNING"])
        let expected: [[Constant?]] = [
            [.string("c1"), .string("EBS"), .boolean(true)],
            [.string("b1"), .string("RDS"), .boolean(false)],
        ]
        #expect(result.rows == expected)
        #expect(result.matched == 2 && result.examined == 5)
    }

    @Test func groupsCarryTheirKeyAndFigures() throws {
        let result = try run(
            "resource where count(jobs where State == FAILED) == 0",
            columns: ["count(jobs)", "latest(jobs).State", "latest(jobs where State == COMPLETED).CreationDate"])
        #expect(result.columns == ["resource", "count(jobs)", "latest(jobs).State", "latest(jobs where State == COMPLETED).CreationDate"])
        #expect(result.rows.map { $0[0] } == [Constant.string("arn:b"), .string("arn:c")])
        #expect(result.rows[1] == [Constant.string("arn:c"), .number(1), .string("RUNNING"), nil])
        #expect(result.examined == 3, "the job without a ResourceArn is in no group")
    }

    @Test func sortingPutsMissingValuesLastAndLimitKeepsTheCount() throws {
        let all = try run("job", columns: ["BackupJobId", "CompletionDate"], order: QueryOrder(keys: [(1, true)], limit: 3))
        #expect(all.rows.map { $0[0] } == [Constant.string("b1"), .string("a2"), .string("a1")])
        let ascending = try run("job", columns: ["BackupJobId", "CompletionDate"], order: QueryOrder(keys: [(1, false)]))
        #expect(ascending.rows.suffix(2).allSatisfy { $0[1] == nil })
        #expect(all.matched == 5 && all.rows.count == 3)
    }

    @Test func globsAndRegularExpressionsSelectAsInRules() throws {
        let globbed = try run(#"job where StatusMessage like "DEN*" ignoring case or ResourceArn like "ar?:b""#, columns: ["BackupJobId"])
        #expect(globbed.rows == [[.string("b1")], [.string("a2")]])
        let matched = try run(#"job where ResourceArn matches "^arn:[bc]$" and not (ResourceArn like "*c")"#, columns: ["BackupJobId"])
        #expect(matched.rows == [[.string("b1")]])
    }

    @Test func defaultColumnsFollowTheSubject() throws {
        #expect(try run("job").columns == QueryCompiler.defaultColumns(for: .job(.backupJob)))
        #expect(try run("account").columns.first == "account")
        #expect(try run("group by ResourceType").columns.first == "ResourceType")
    }
}
