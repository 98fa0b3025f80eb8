import Foundation
import Testing

@testable import BackupSelections

/// The day-by-day calendar under the cron intervals agrees with Foundation's Gregorian calendar on
/// every day of the 28 years it walks, and `nW`/`LW` with their definitions.
@Suite struct CalendarWalkTests {
    @Test func everyDayAgreesWithFoundation() throws {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = try #require(TimeZone(identifier: "UTC"))
        var walk = CalendarWalk(year: 2025, weekday: 4)
        var date = try #require(utc.date(from: DateComponents(year: 2025, month: 1, day: 1)))
        for _ in 0..<(28 * 365 + 7) {
            let parts = utc.dateComponents([.year, .month, .day, .weekday], from: date)
            #expect([walk.year, walk.month, walk.day, walk.weekday] == [parts.year, parts.month, parts.day, parts.weekday])
            let range = try #require(utc.range(of: .day, in: .month, for: date))
            #expect(walk.daysInMonth == range.count)
            guard walk.year == parts.year, walk.day == parts.day else { return }
            walk.advance()
            date = try #require(utc.date(byAdding: .day, value: 1, to: date))
        }
    }

    /// Each day of 2025-2030: `nW` for every n and `LW`, against their definitions spelt out.
    @Test func nearestAndLastWeekdayFollowTheirDefinitions() {
        var walk = CalendarWalk(year: 2025, weekday: 4)
        for _ in 0..<(6 * 365 + 1) {
            func weekday(of day: Int) -> Int { ((walk.weekday - 1 + day - walk.day) % 7 + 7) % 7 + 1 }
            let lastWeekday = (1...walk.daysInMonth).last { (2...6).contains(weekday(of: $0)) }
            #expect(walk.lastWeekdayOfMonth == lastWeekday)
            for target in 1...31 {
                let expected: Int?
                if target > walk.daysInMonth {
                    expected = nil
                } else {
                    // The weekday nearest the target, within the month; a tie cannot happen (Saturday
                    // is one day from Friday, Sunday one from Monday).
                    expected = (1...walk.daysInMonth).filter { (2...6).contains(weekday(of: $0)) }.min { abs($0 - target) < abs($1 - target) }
                }
                #expect(walk.nearestWeekday(to: target) == expected, "\(walk.year)-\(walk.month) \(target)W")
            }
            walk.advance()
        }
    }
}
