/// A backup rule's `ScheduleExpression`, parsed: EventBridge's `cron(minutes hours
/// day-of-month month day-of-week year)` or `rate(value unit)`.
public enum ScheduleExpression: Equatable, Sendable {
    case cron(CronSchedule)
    /// A fixed period, in seconds.
    case rate(seconds: Int64)

    /// AWS Backup's default when a rule gives none: daily at 05:00 UTC.
    public static let defaultExpression = "cron(0 5 ? * * *)"

    public static func parse(_ text: String) throws(ScheduleError) -> ScheduleExpression {
        let trimmed = text.trimmingSpaces
        if let body = trimmed.inside(prefix: "cron(") {
            return .cron(try CronSchedule(body, expression: text))
        }
        if let body = trimmed.inside(prefix: "rate(") {
            return .rate(seconds: try rate(body, expression: text))
        }
        throw ScheduleError(.syntax, expression: text, message: "expected cron(…) or rate(…)")
    }

    /// `rate(12 hours)`, `rate(1 day)`. EventBridge wants the singular unit for 1 and the plural
    /// otherwise; either is read, since the unit's meaning is the same.
    private static func rate(_ body: Substring, expression: String) throws(ScheduleError) -> Int64 {
        let parts = body.split(separator: " ")
        guard parts.count == 2, let value = Int64(parts[0]), parts[0].allSatisfy(\.isNumber), value >= 1 else {
            throw ScheduleError(.syntax, expression: expression, message: "a rate is a positive whole number and a unit: rate(12 hours)")
        }
        let unit: Int64
        switch parts[1] {
        case "minute", "minutes": unit = 60
        case "hour", "hours": unit = 3_600
        case "day", "days": unit = 86_400
        default:
            throw ScheduleError(.syntax, expression: expression, message: "\(quoted(String(parts[1]))) is not a unit of a rate (minutes, hours, days)")
        }
        let (seconds, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow, seconds <= 400 * 366 * 86_400 else {
            throw ScheduleError(.outOfRange, expression: expression, message: "a rate longer than 400 years")
        }
        return seconds
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var text = self[...]
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}

extension Substring {
    /// The text between `prefix` and a closing parenthesis that ends the text.
    fileprivate func inside(prefix: String) -> Substring? {
        guard hasPrefix(prefix), hasSuffix(")"), count > prefix.count else { return nil }
        return dropFirst(prefix.count).dropLast()
    }
}
