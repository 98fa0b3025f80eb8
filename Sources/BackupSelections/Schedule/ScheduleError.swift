/// Why a rule's schedule gives no interval: stable codes, a message naming the part at fault.
public struct ScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// Not `cron(…)` or `rate(…)` as EventBridge writes them.
        case syntax = "schedule.syntax"
        /// A field value out of its range (minute 60, month 13).
        case outOfRange = "schedule.out-of-range"
        /// Fires fewer than twice in 28 years (a date that never comes, a year field): no interval.
        case notRecurring = "schedule.not-recurring"
        /// `ScheduleExpressionTimezone` is not a time zone this system knows.
        case unknownTimezone = "schedule.unknown-timezone"
    }

    public var code: Code
    public var expression: String
    public var message: String

    public init(_ code: Code, expression: String, message: String) {
        self.code = code
        self.expression = expression
        self.message = message
    }

    /// `error[schedule.syntax]: cron(0 5 * *): a cron expression has six fields, found 4`
    public var description: String { "error[\(code.rawValue)]: \(expression): \(message)" }
}
