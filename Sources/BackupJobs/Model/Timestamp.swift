/// An instant in UTC, exact to the millisecond: the precision AWS Backup records.
///
/// Values outside the years 0001–9999 are not timestamps anyone writes; parsers reject them, so
/// every `Timestamp` can be printed in ISO 8601.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// 0001-01-01T00:00:00.000Z
    public static let earliestSupported = Timestamp(millisecondsSinceEpoch: -62_135_596_800_000)
    /// 9999-12-31T23:59:59.999Z
    public static let latestSupported = Timestamp(millisecondsSinceEpoch: 253_402_300_799_999)

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// Parses ISO 8601 / RFC 3339 text: `2026-11-21T16:27:59.885000-07:00`, `...+05:30`, `...Z`,
    /// with or without a fraction (digits past milliseconds are cut, not rounded). Text without an
    /// offset is UTC.
    public init?(iso8601 text: String) {
        var text = text
        let parsed = text.withUTF8 { TimestampParser.parseISO8601($0) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// A time as people write it, one syntax for rule files and the command line: a date
    /// (`2027-01-31`, its midnight UTC), or a date and a time with optional seconds, fraction and
    /// offset (`2027-01-31T12:00Z`, `2027-01-31T12:00:00.5+02:00`); without an offset, UTC.
    /// `nil` for anything else, a day the month does not have included.
    public init?(written text: String) {
        var bytes = Array(text.utf8)
        let allowed = Array("T:.Z+-".utf8)
        guard bytes.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || allowed.contains($0) }) else { return nil }
        if bytes.count == 10 {
            bytes += Array("T00:00:00Z".utf8)
        } else {
            guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T") else { return nil }
            // Seconds may be left out: 2027-01-31T12:00Z.
            if bytes.count == 16 || bytes[16] != UInt8(ascii: ":") { bytes.insert(contentsOf: Array(":00".utf8), at: 16) }
        }
        guard let parsed = bytes.withUnsafeBufferPointer({ TimestampParser.parseISO8601($0) }) else { return nil }
        self = parsed
    }

    /// `2026-11-21T23:27:59.885Z`: UTC, always with milliseconds, so values sort as text.
    public var iso8601: String {
        let (days, msOfDay) = millisecondsSinceEpoch.floorDivided(by: 86_400_000)
        let (year, month, day) = CivilDate.from(daysSinceEpoch: days)
        let seconds = msOfDay / 1000
        var text = ""
        text.reserveCapacity(24)
        text += padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
        text += "T" + padded(seconds / 3600, 2) + ":" + padded(seconds / 60 % 60, 2)
        text += ":" + padded(seconds % 60, 2) + "." + padded(msOfDay % 1000, 3) + "Z"
        return text
    }

    public var description: String { iso8601 }
}

private func padded(_ value: some BinaryInteger, _ width: Int) -> String {
    // The sign goes before the zeros: a computed time before year 1 reads -0044, not 00-44.
    let digits = String(value.magnitude)
    let body = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    return value < 0 ? "-" + body : body
}

extension Int64 {
    /// Division rounding toward negative infinity, with a remainder that is never negative.
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's `days_from_civil` and
/// `civil_from_days`), exact for every year a `Timestamp` supports.
enum CivilDate {
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func from(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
