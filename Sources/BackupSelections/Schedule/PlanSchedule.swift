import Foundation

/// How often a rule's schedule backs up: the longest time it leaves between two runs.
public struct ScheduleInterval: Equatable, Sendable {
    /// In seconds, with the zone's daylight-saving shift added when the rule's time zone has one
    /// (a daily 02:30 run in Paris is 25 hours from the one before on the autumn night).
    public var longestGapSeconds: Int64
    public var expression: String

    public init(longestGapSeconds: Int64, expression: String) {
        self.longestGapSeconds = longestGapSeconds
        self.expression = expression
    }
}

/// The schedules of one plan: each rule's interval (or why it has none), and the plan's.
public struct PlanSchedule: Equatable, Sendable {
    public var plan: BackupPlan
    /// One per rule, in the plan's order.
    public var rules: [Result<ScheduleInterval, ScheduleError>]

    public init(plan: BackupPlan) {
        self.plan = plan
        rules = plan.rules.map { rule in
            Result { () throws(ScheduleError) in try Self.interval(of: rule) }
        }
    }

    /// The interval the plan promises a resource it selects: every rule backs up every selected
    /// resource, so the most frequent rule's. An upper bound: two rules' runs together can leave
    /// shorter gaps than either alone. `nil` when no rule's schedule could be read, or the plan
    /// has no rules.
    public var expectedInterval: ScheduleInterval? {
        rules.compactMap { try? $0.get() }.min { $0.longestGapSeconds < $1.longestGapSeconds }
    }

    public static func interval(of rule: BackupRule) throws(ScheduleError) -> ScheduleInterval {
        let text = rule.scheduleExpression ?? ScheduleExpression.defaultExpression
        var seconds: Int64
        switch try ScheduleExpression.parse(text) {
        case .rate(let period): return ScheduleInterval(longestGapSeconds: period, expression: text)
        case .cron(let cron): seconds = try cron.longestGapSeconds()
        }
        seconds += try daylightSavingShift(rule.scheduleTimezone, expression: text)
        return ScheduleInterval(longestGapSeconds: seconds, expression: text)
    }

    /// The most a zone's clock moves in a year, in seconds: 0 for UTC and zones without daylight
    /// saving; 3600 for most that have it.
    static func daylightSavingShift(_ identifier: String?, expression: String) throws(ScheduleError) -> Int64 {
        guard let identifier, !["UTC", "Etc/UTC", "GMT", "Etc/GMT"].contains(identifier) else { return 0 }
        guard let zone = TimeZone(identifier: identifier) else {
            throw ScheduleError(.unknownTimezone, expression: expression, message: "\(quoted(identifier)) is not a time zone this system knows")
        }
        // Offsets in mid-January and mid-July 2026: one of them is summer time wherever it exists.
        let january = Date(timeIntervalSince1970: 1_768_478_400)
        let july = Date(timeIntervalSince1970: 1_784_116_800)
        return Int64(abs(zone.secondsFromGMT(for: january) - zone.secondsFromGMT(for: july)))
    }
}
