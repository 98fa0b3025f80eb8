/// A parsed EventBridge cron expression (six fields, one of day-of-month and day-of-week `?`),
/// and the longest time it leaves between two runs.
public struct CronSchedule: Equatable, Sendable {
    /// Minutes of the day it runs at, ascending.
    let timesOfDay: [Int]
    let dayOfMonth: CronFieldValues
    let months: Set<Int>
    let dayOfWeek: CronFieldValues
    let expression: String

    struct CronFieldValues: Equatable, Sendable {
        var isUnspecified: Bool
        var values: Set<Int>
        var specials: [CronField.Special]
    }

    init(_ body: Substring, expression: String) throws(ScheduleError) {
        let fields = body.split(separator: " ")
        guard fields.count == 6 else {
            throw ScheduleError(.syntax, expression: expression, message: "a cron expression has six fields (minutes hours day-of-month month day-of-week year), found \(fields.count)")
        }
        let minutes = try CronField(fields[0], kind: .minutes, expression: expression)
        let hours = try CronField(fields[1], kind: .hours, expression: expression)
        let dom = try CronField(fields[2], kind: .dayOfMonth, expression: expression)
        let month = try CronField(fields[3], kind: .month, expression: expression)
        let dow = try CronField(fields[4], kind: .dayOfWeek, expression: expression)
        let year = try CronField(fields[5], kind: .year, expression: expression)
        guard dom.isUnspecified != dow.isUnspecified else {
            throw ScheduleError(.syntax, expression: expression, message: "exactly one of day-of-month and day-of-week must be '?'")
        }
        guard year.isEvery else {
            // A schedule that stops after some year has no interval to keep.
            throw ScheduleError(.notRecurring, expression: expression, message: "the year field limits the schedule to some years; only * has a steady interval")
        }
        timesOfDay = hours.values.sorted().flatMap { hour in minutes.values.sorted().map { hour * 60 + $0 } }
        dayOfMonth = CronFieldValues(isUnspecified: dom.isUnspecified, values: dom.values, specials: dom.specials)
        months = month.values
        dayOfWeek = CronFieldValues(isUnspecified: dow.isUnspecified, values: dow.values, specials: dow.specials)
        self.expression = expression
    }

    /// The longest time between two consecutive runs, in seconds of the schedule's own wall clock,
    /// over 28 years of days from 2025-01-01 (the calendar's weekday-and-leap-year cycle, so every
    /// `L`, `W`, `#` and 29 February case comes round).
    func longestGapSeconds() throws(ScheduleError) -> Int64 {
        guard let first = timesOfDay.first, let last = timesOfDay.last else {
            throw ScheduleError(.notRecurring, expression: expression, message: "it never runs")
        }
        var withinDay = 0
        for (earlier, later) in zip(timesOfDay, timesOfDay.dropFirst()) { withinDay = max(withinDay, later - earlier) }
        var longest = withinDay
        var runDays = 0
        var previousLastRun: Int?
        var calendar = CalendarWalk(year: 2025, weekday: 4)  // 2025-01-01 was a Wednesday (4; Sunday is 1).
        for dayIndex in 0..<(28 * 365 + 7) {
            if runs(on: calendar) {
                runDays += 1
                let minuteOfSpan = dayIndex * 1_440
                if let previousLastRun { longest = max(longest, minuteOfSpan + first - previousLastRun) }
                previousLastRun = minuteOfSpan + last
            }
            calendar.advance()
        }
        guard runDays * timesOfDay.count >= 2 else {
            throw ScheduleError(.notRecurring, expression: expression, message: "it runs fewer than twice in 28 years: no day matches its day and month fields")
        }
        return Int64(longest) * 60
    }

    private func runs(on day: CalendarWalk) -> Bool {
        guard months.contains(day.month) else { return false }
        if dayOfMonth.isUnspecified {
            return dayOfWeek.values.contains(day.weekday) || dayOfWeek.specials.contains { matches($0, day) }
        }
        return dayOfMonth.values.contains(day.day) || dayOfMonth.specials.contains { matches($0, day) }
    }

    private func matches(_ special: CronField.Special, _ day: CalendarWalk) -> Bool {
        switch special {
        case .lastDayOfMonth:
            return day.day == day.daysInMonth
        case .lastWeekdayOfMonth:
            return day.day == day.lastWeekdayOfMonth
        case .nearestWeekday(let target):
            return day.day == day.nearestWeekday(to: target)
        case .lastWeekdayNumbered(let weekday):
            return day.weekday == weekday && day.day + 7 > day.daysInMonth
        case .nthWeekday(let weekday, let nth):
            return day.weekday == weekday && (day.day - 1) / 7 + 1 == nth
        }
    }
}

/// Days of the Gregorian calendar one after another, with the weekday (1 Sunday … 7 Saturday).
struct CalendarWalk {
    var year: Int
    var month = 1
    var day = 1
    var weekday: Int

    init(year: Int, weekday: Int) {
        self.year = year
        self.weekday = weekday
    }

    var daysInMonth: Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    var isWeekday: Bool { (2...6).contains(weekday) }

    /// Whether another day of this month is Monday to Friday.
    func isWeekday(onDay other: Int) -> Bool {
        let weekdayThere = ((weekday - 1 + other - day) % 7 + 7) % 7 + 1
        return (2...6).contains(weekdayThere)
    }

    /// The month's last day that is Monday to Friday.
    var lastWeekdayOfMonth: Int {
        var candidate = daysInMonth
        while !isWeekday(onDay: candidate) { candidate -= 1 }
        return candidate
    }

    /// `nW`: day n itself on Monday to Friday; from a Saturday the Friday before, from a Sunday
    /// the Monday after, never leaving the month (1W on a Saturday is Monday the 3rd). A day the
    /// month does not have matches nothing.
    func nearestWeekday(to target: Int) -> Int? {
        guard target <= daysInMonth else { return nil }
        if isWeekday(onDay: target) { return target }
        let isSaturday = ((weekday - 1 + target - day) % 7 + 7) % 7 + 1 == 7
        if isSaturday { return target == 1 ? 3 : target - 1 }
        return target == daysInMonth ? target - 2 : target + 1
    }

    mutating func advance() {
        weekday = weekday % 7 + 1
        if day < daysInMonth {
            day += 1
            return
        }
        day = 1
        if month < 12 {
            month += 1
        } else {
            month = 1
            year += 1
        }
    }
}
