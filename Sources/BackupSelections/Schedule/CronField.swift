/// One field of an EventBridge cron expression, read into the values it allows, plus the
/// day-of-month and day-of-week specials (`L`, `W`, `#`) that depend on the month.
struct CronField {
    enum Kind {
        case minutes, hours, dayOfMonth, month, dayOfWeek, year

        var range: ClosedRange<Int> {
            switch self {
            case .minutes: 0...59
            case .hours: 0...23
            case .dayOfMonth: 1...31
            case .month: 1...12
            case .dayOfWeek: 1...7
            case .year: 1970...2199
            }
        }

        var name: String {
            switch self {
            case .minutes: "minutes"
            case .hours: "hours"
            case .dayOfMonth: "day-of-month"
            case .month: "month"
            case .dayOfWeek: "day-of-week"
            case .year: "year"
            }
        }

        /// JAN-DEC, SUN-SAT: names EventBridge accepts in place of numbers.
        var names: [String] {
            switch self {
            case .month: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
            case .dayOfWeek: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
            default: []
            }
        }
    }

    /// A day-of-month or day-of-week item whose days depend on the month.
    enum Special: Equatable {
        /// `L` in day-of-month: the month's last day. (`L` alone in day-of-week is Saturday: a value.)
        case lastDayOfMonth
        /// `nW`: the weekday nearest day n, within the month.
        case nearestWeekday(Int)
        /// `LW`: the month's last weekday.
        case lastWeekdayOfMonth
        /// `nL` in day-of-week: the month's last day n of the week.
        case lastWeekdayNumbered(Int)
        /// `n#k`: the k-th day n of the week of the month.
        case nthWeekday(Int, Int)
    }

    var kind: Kind
    /// `?` (day-of-month or day-of-week left to the other).
    var isUnspecified = false
    /// `*` alone.
    var isEvery = false
    var values: Set<Int> = []
    var specials: [Special] = []

    init(_ text: Substring, kind: Kind, expression: String) throws(ScheduleError) {
        self.kind = kind
        if text == "?" {
            guard kind == .dayOfMonth || kind == .dayOfWeek else {
                throw ScheduleError(.syntax, expression: expression, message: "'?' is allowed only in day-of-month and day-of-week, not in \(kind.name)")
            }
            isUnspecified = true
            return
        }
        if text == "*" { isEvery = true }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            try read(item, expression: expression)
        }
    }

    private mutating func read(_ item: Substring, expression: String) throws(ScheduleError) {
        func fail(_ message: String) -> ScheduleError {
            ScheduleError(.syntax, expression: expression, message: "\(kind.name) field: \(message)")
        }
        guard !item.isEmpty else { throw fail("an empty item") }
        if kind == .dayOfMonth {
            if item == "L" { specials.append(.lastDayOfMonth); return }
            if item == "LW" { specials.append(.lastWeekdayOfMonth); return }
            if item.hasSuffix("W") {
                specials.append(.nearestWeekday(try number(item.dropLast(), expression: expression)))
                return
            }
        }
        if kind == .dayOfWeek {
            // `L` alone is the week's last day, Saturday, every week (EventBridge: "the last day of
            // the month or week"; Quartz: 7); `nL` is the month's last day n.
            if item == "L" { values.insert(7); return }
            if item.hasSuffix("L") {
                specials.append(.lastWeekdayNumbered(try number(item.dropLast(), expression: expression)))
                return
            }
            if let hash = item.firstIndex(of: "#") {
                let day = try number(item[..<hash], expression: expression)
                guard let nth = Int(item[item.index(after: hash)...]), (1...5).contains(nth) else {
                    throw fail("\(item): the number after # must be 1 to 5")
                }
                specials.append(.nthWeekday(day, nth))
                return
            }
        }
        var body = item
        var step = 1
        if let slash = item.firstIndex(of: "/") {
            body = item[..<slash]
            guard let parsed = Int(item[item.index(after: slash)...]), parsed >= 1, parsed <= kind.range.upperBound else {
                throw fail("\(item): the step after / must be a whole number from 1 to \(kind.range.upperBound)")
            }
            step = parsed
        }
        let lower: Int
        var upper: Int
        if body == "*" {
            lower = kind.range.lowerBound
            upper = kind.range.upperBound
        } else if let dash = body.firstIndex(of: "-") {
            lower = try number(body[..<dash], expression: expression)
            upper = try number(body[body.index(after: dash)...], expression: expression)
        } else {
            lower = try number(body, expression: expression)
            // `5/15` runs from 5 to the field's end.
            upper = body.count < item.count ? kind.range.upperBound : lower
        }
        if upper < lower {
            // A range that wraps (FRI-MON, NOV-FEB) runs to the end of the field and on from its start.
            guard kind == .dayOfWeek || kind == .month else { throw fail("\(item): the range runs backwards") }
            upper += kind.range.count
        }
        for value in stride(from: lower, through: upper, by: step) {
            values.insert(value > kind.range.upperBound ? value - kind.range.count : value)
        }
    }

    private func number(_ text: Substring, expression: String) throws(ScheduleError) -> Int {
        if let index = kind.names.firstIndex(of: text.uppercased()) { return index + 1 }
        guard let value = Int(text), text.allSatisfy(\.isNumber) else {
            throw ScheduleError(.syntax, expression: expression, message: "\(kind.name) field: \(quoted(String(text))) is not a number")
        }
        guard kind.range.contains(value) else {
            throw ScheduleError(
                .outOfRange, expression: expression,
                message: "\(kind.name) field: \(value) is outside \(kind.range.lowerBound)-\(kind.range.upperBound)")
        }
        return value
    }
}
