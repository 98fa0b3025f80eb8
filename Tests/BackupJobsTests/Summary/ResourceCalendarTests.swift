import BackupJobs
import TestSupport
import Testing

/// The calendar the HTML report draws: each resource's best outcome per UTC day.
struct ResourceCalendarTests {
    static let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!
    static let a = "arn:aws:ec2:eu-west-1:111111111111:volume/vol-a"
    static let b = "arn:aws:rds:eu-west-1:222222222222:db:b"

    static func calendar(_ jobs: [BackupJob], days: Int = 62) -> ResourceCalendar {
        let table = RecordTable(jobs)
        return ResourceCalendar(table, from: Timestamp(iso8601: "2026-11-25T00:00:00Z")!, through: now, maxDays: days)
    }

    @Test func theBestOutcomeOfTheDayWins() throws {
        // 2026-11-28: a failure, then a completion; 11-27: a partial and a failure; 11-26: running; 11-25: nothing.
        let calendar = Self.calendar([
            job("f1", .failed, resource: Self.a, createdHoursAgo: 10),
            job("c1", .completed, resource: Self.a, createdHoursAgo: 5),
            job("p1", .partial, resource: Self.a, createdHoursAgo: 30),
            job("f2", .aborted, resource: Self.a, createdHoursAgo: 31),
            job("r1", .running, resource: Self.a, createdHoursAgo: 50),
            job("e1", .expired, resource: Self.b, type: "RDS", account: "222222222222", createdHoursAgo: 2),
        ])
        #expect(calendar.dayCount == 4)
        #expect(calendar.firstDay == Timestamp(iso8601: "2026-11-25T00:00:00Z"))
        #expect(calendar.rows.map(\.resource) == [Self.a, Self.b])
        let row = calendar.rows[0]
        #expect(row.cells.map(\.outcome) == [ResourceCalendar.Outcome.missing, .inFlight, .partial, .completed])
        #expect(row.cells.map(\.jobs) == [0, 1, 2, 2])
        #expect(calendar.latestJob(row.cells[3])?.id == "c1" && calendar.latestJob(row.cells[3])?.state == "COMPLETED")
        #expect(calendar.latestJob(row.cells[0]) == nil)
        #expect(calendar.rows[1].cells.map(\.outcome) == [ResourceCalendar.Outcome.missing, .missing, .missing, .failed])
        #expect(calendar.rows[1].account == "222222222222" && calendar.rows[1].resourceType == "RDS")
    }

    /// Days before the span, after `now`'s day, or beyond the last `maxDays`, and jobs without a
    /// CreationDate, are not drawn.
    @Test func onlyTheDaysDrawnCount() {
        let calendar = Self.calendar([
            job("old", resource: Self.a, createdHoursAgo: 24 * 10),
            job("future", resource: Self.a, createdHoursAgo: -24),
            job("undated", resource: Self.a, createdHoursAgo: nil),
            job("kept", resource: Self.a, createdHoursAgo: 1),
        ], days: 2)
        #expect(calendar.dayCount == 2)
        #expect(calendar.rows.count == 1 && calendar.rows[0].cells.map(\.jobs) == [0, 1])
    }
}
