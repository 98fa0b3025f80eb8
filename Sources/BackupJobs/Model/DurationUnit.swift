/// The units durations are written in, everywhere: rule literals (`24h`, `1h30m`), relative times
/// on the command line (`7d` ago), reports and explanations. One table, so a unit the language
/// accepts is one every message can write and every place reads the same way.
public enum DurationUnit: String, CaseIterable, Sendable {
    // Largest first: the order durations are written in.
    case week = "w", day = "d", hour = "h", minute = "m", second = "s", millisecond = "ms"

    /// How the unit is written after a number: `w`, `d`, `h`, `m`, `s`, `ms`.
    public var symbol: String { rawValue }

    public var milliseconds: Int64 {
        switch self {
        case .week: 604_800_000
        case .day: 86_400_000
        case .hour: 3_600_000
        case .minute: 60_000
        case .second: 1000
        case .millisecond: 1
        }
    }

    public init?(symbol: String) {
        self.init(rawValue: symbol)
    }

    /// `ms, s, m, h, d or w`: the symbols, smallest first, for messages that list them.
    public static var symbols: String {
        let names = allCases.reversed().map(\.symbol)
        return names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1]
    }

    /// `24h`, `1w`, `1h30m`, `-90s`: exactly, as a rule file writes the duration (every unit from
    /// weeks to milliseconds, no spaces), so a report's value can be pasted into a rule.
    public static func literal(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        // By magnitude: -Int64.min does not exist.
        var rest = milliseconds.magnitude
        var text = milliseconds < 0 ? "-" : ""
        for unit in allCases where rest >= unit.milliseconds.magnitude {
            text += "\(rest / unit.milliseconds.magnitude)\(unit.symbol)"
            rest %= unit.milliseconds.magnitude
        }
        return text
    }

    /// `1d 8h`, `90m` as `1h 30m`, `12s`, `450ms`: the two largest units from days down, for
    /// people reading an age or a difference (cut, not rounded); milliseconds only below a second.
    public static func readable(_ milliseconds: Int64) -> String {
        let sign = milliseconds < 0 ? "-" : ""
        var rest = milliseconds.magnitude
        if rest < 1000 { return "\(sign)\(rest)\(DurationUnit.millisecond.symbol)" }
        var parts: [String] = []
        for unit in [DurationUnit.day, .hour, .minute, .second] where rest >= unit.milliseconds.magnitude && parts.count < 2 {
            parts.append("\(rest / unit.milliseconds.magnitude)\(unit.symbol)")
            rest %= unit.milliseconds.magnitude
        }
        return sign + parts.joined(separator: " ")
    }
}
