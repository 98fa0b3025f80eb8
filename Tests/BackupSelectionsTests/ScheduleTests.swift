import BackupSelections
import Testing

let hour: Int64 = 3_600
let day: Int64 = 86_400

@Suite struct ScheduleTests {
    /// Expressions and the longest time each leaves between two runs (UTC).
    @Test(arguments: [
        ("cron(0 5 ? * * *)", day),  // AWS Backup's default: daily at 05:00
        ("cron(0 12 * * ? *)", day),  // the service model's example: every day at noon
        ("cron(15 * ? * * *)", hour),  // the service model's example: every hour at :15
        ("cron(0 */12 ? * * *)", 12 * hour),
        ("cron(0 1,5,23 ? * * *)", 18 * hour),  // 05:00 to 23:00 is the longest stretch
        ("cron(0/30 8-17 ? * * *)", 14 * hour + 30 * 60),  // 17:30 to 08:00 the next day
        ("cron(0 5 ? * MON-FRI *)", 3 * day),  // Friday to Monday
        ("cron(0 5 ? * 2-6 *)", 3 * day),
        ("cron(0 5 ? * FRI-MON *)", 4 * day),  // a range that wraps: Monday to Friday
        ("cron(0 5 ? * 1 *)", 7 * day),  // weekly, on Sundays
        ("cron(0 5 ? * sun *)", 7 * day),  // names in any case
        ("cron(0 5 1 * ? *)", 31 * day),  // monthly: the longest month
        ("cron(0 5 L * ? *)", 31 * day),  // the last day of each month
        ("cron(0 5 ? * 2#1 *)", 35 * day),  // the first Monday: five weeks at most
        ("cron(0 5 ? * 6L *)", 35 * day),  // the last Friday
        ("cron(0 5 ? * L *)", 7 * day),  // L alone: the week's last day, Saturday, every week
        ("cron(0 5 1 1 ? *)", 366 * day),  // yearly, across a leap year
        ("cron(0 5 29 2 ? *)", 1_461 * day),  // 29 February: every fourth year
        ("cron(0 5 1 JAN,JUL ? *)", 184 * day),  // July to January
        ("rate(12 hours)", 12 * hour),
        ("rate(1 day)", day),
        ("rate(30 minutes)", 30 * 60),
        ("rate(1 hours)", hour),  // EventBridge would want the singular; the meaning is the same
    ] as [(String, Int64)])
    func longestGap(expression: String, seconds: Int64) throws {
        let rule = BackupRule(name: "r", targetVaultName: "v", scheduleExpression: expression)
        #expect(try PlanSchedule.interval(of: rule).longestGapSeconds == seconds)
    }

    @Test func nearestWeekdayStaysWithinAMonthAndAWeekday() throws {
        // 15W: the 15th, or the Friday before or Monday after it: 28 to 33 days apart.
        let gap = try PlanSchedule.interval(of: BackupRule(name: "r", targetVaultName: "v", scheduleExpression: "cron(0 5 15W * ? *)"))
        #expect((28 * day...33 * day).contains(gap.longestGapSeconds))
        let last = try PlanSchedule.interval(of: BackupRule(name: "r", targetVaultName: "v", scheduleExpression: "cron(0 5 LW * ? *)"))
        #expect((28 * day...33 * day).contains(last.longestGapSeconds))
    }

    @Test func aRuleWithoutAScheduleRunsDailyAtFive() throws {
        let interval = try PlanSchedule.interval(of: BackupRule(name: "r", targetVaultName: "v", scheduleExpression: nil))
        #expect(interval == ScheduleInterval(longestGapSeconds: day, expression: "cron(0 5 ? * * *)"))
    }

    @Test(arguments: [
        ("Europe/Paris", day + hour),  // the autumn night is 25 hours long
        ("America/New_York", day + hour),
        ("Asia/Tokyo", day),  // no daylight saving
        ("Etc/UTC", day),
        ("UTC", day),
    ] as [(String, Int64)])
    func timezonesAddTheirDaylightSavingShift(zone: String, seconds: Int64) throws {
        let rule = BackupRule(name: "r", targetVaultName: "v", scheduleExpression: "cron(30 2 ? * * *)", scheduleTimezone: zone)
        #expect(try PlanSchedule.interval(of: rule).longestGapSeconds == seconds)
    }

    @Test(arguments: [
        ("cron(0 5 * * * *)", ScheduleError.Code.syntax),  // both day fields given
        ("cron(0 5 ? * ? *)", .syntax),  // neither
        ("cron(0 5 ? *)", .syntax),
        ("cron(60 5 ? * * *)", .outOfRange),
        ("cron(0 24 ? * * *)", .outOfRange),
        ("cron(0 5 ? 13 * *)", .outOfRange),
        ("cron(0 5 ? * 8 *)", .outOfRange),
        ("cron(0 5 ? * 2#6 *)", .syntax),
        ("cron(0 5 ? * MON/0 *)", .syntax),
        ("cron(0 5 ? * * 2026)", .notRecurring),
        ("cron(0 5 30 2 ? *)", .notRecurring),  // 30 February never comes
        ("cron(0 5 , * ? *)", .syntax),
        ("cron(0 ? ? * * *)", .syntax),
        ("cron(0 5-1 ? * * *)", .syntax),
        ("cron(x 5 ? * * *)", .syntax),
        ("cron(-1 5 ? * * *)", .syntax),
        ("daily", .syntax),
        ("rate(0 hours)", .syntax),
        ("rate(5 weeks)", .syntax),
        ("rate(-5 hours)", .syntax),
        ("rate(99999999999999999 days)", .outOfRange),
        ("rate(9999999 days)", .outOfRange),
        ("", .syntax),
    ] as [(String, ScheduleError.Code)])
    func unreadableSchedules(expression: String, code: ScheduleError.Code) {
        let rule = BackupRule(name: "r", targetVaultName: "v", scheduleExpression: expression)
        #expect(throws: ScheduleError.self) { try PlanSchedule.interval(of: rule) }
        do {
            _ = try PlanSchedule.interval(of: rule)
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(error.expression == expression)
        }
    }

    @Test func unknownTimezone() {
        let rule = BackupRule(name: "r", targetVaultName: "v", scheduleExpression: "cron(0 5 ? * * *)", scheduleTimezone: "Mars/Olympus_Mons")
        do {
            _ = try PlanSchedule.interval(of: rule)
            Issue.record("an unknown zone gave an interval")
        } catch {
            #expect(error.code == .unknownTimezone)
            #expect(error.description.contains("Mars/Olympus_Mons"))
        }
    }

    @Test func thePlanPromisesItsMostFrequentRule() {
        let plan = BackupPlan(
            planID: "p", name: "plan",
            rules: [
                BackupRule(name: "daily", targetVaultName: "v", scheduleExpression: "cron(0 5 ? * * *)"),
                BackupRule(name: "broken", targetVaultName: "v", scheduleExpression: "cron(0 5 ? *)"),
                BackupRule(name: "twice-daily", targetVaultName: "v", scheduleExpression: "cron(0 5,17 ? * * *)"),
            ],
            origin: testOrigin)
        let schedule = PlanSchedule(plan: plan)
        #expect(schedule.expectedInterval?.longestGapSeconds == 12 * hour)
        #expect(schedule.expectedInterval?.expression == "cron(0 5,17 ? * * *)")
        #expect((try? schedule.rules[1].get()) == nil)
    }

    @Test func aPlanWithoutReadableRulesPromisesNothing() {
        let plan = BackupPlan(
            planID: "p", name: "plan", rules: [BackupRule(name: "once", targetVaultName: "v", scheduleExpression: "cron(0 5 1 1 ? 2027)")],
            origin: testOrigin)
        #expect(PlanSchedule(plan: plan).expectedInterval == nil)
        #expect(PlanSchedule(plan: BackupPlan(planID: "p", name: "empty", rules: [], origin: testOrigin)).expectedInterval == nil)
    }
}

@Suite struct WildcardPatternTests {
    @Test(arguments: [
        ("*", "", true), ("*", "anything", true), ("**", "x", true),
        ("abc", "abc", true), ("abc", "abcd", false), ("abc", "ABC", false), ("", "", true), ("", "a", false),
        ("prod*", "production", true), ("prod*", "prod", true), ("prod*", "pro", false),
        ("*rod*", "production", true), ("*rod*", "rod", true), ("*rod*", "rd", false),
        ("*-logs", "app-logs", true), ("*-logs", "app-logs-old", false),
        ("a*b*c", "abc", true), ("a*b*c", "aXbYc", true), ("a*b*c", "acb", false), ("a*b*c", "abcbc", true),
        ("ab*ba", "aba", false), ("ab*ba", "abba", true),
        ("arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1", true),
        ("arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1", false),
        ("p?d", "pod", false), ("p?d", "p?d", true),
        ("é*", "été", true), ("*ü", "Müü", true),
    ] as [(String, String, Bool)])
    func matches(pattern: String, text: String, expected: Bool) {
        #expect(WildcardPattern(pattern).matches(text) == expected)
    }

    @Test func longHostileTextsMatchQuickly() {
        // Many pieces against a long text that almost matches each: bounded by length × pattern.
        let pattern = WildcardPattern(String(repeating: "*ab", count: 200) + "*")
        let text = String(repeating: "a", count: 60_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!pattern.matches(text)) }
        #expect(elapsed < .seconds(5))
    }
}
