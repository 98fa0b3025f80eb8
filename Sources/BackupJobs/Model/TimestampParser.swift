/// Timestamps straight from JSON bytes, with no `String` or `Date` in between: the decoder
/// parses several per job, millions of jobs per run.
enum TimestampParser {
    /// Epoch seconds as a JSON number (`1516925490.087`, `1.516925490087E9`), cut to the
    /// millisecond toward the past. `nil` when the bytes are not a JSON number or fall outside
    /// the supported years.
    static func parseEpochSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        if let fast = parsePlainEpochSeconds(bytes) { return fast }
        guard let number = DecimalNumber(bytes),
              let milliseconds = number.floorScaled(byPowerOfTen: 3),
              milliseconds >= Timestamp.earliestSupported.millisecondsSinceEpoch,
              milliseconds <= Timestamp.latestSupported.millisecondsSinceEpoch
        else { return nil }
        return Timestamp(millisecondsSinceEpoch: milliseconds)
    }

    /// The form AWS sends, `1516925490.087`: digits, then at most three decimals. `nil` for
    /// anything else, which the general path handles.
    @inline(__always)
    private static func parsePlainEpochSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var seconds: Int64 = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            seconds = seconds &* 10 &+ Int64(digit)
            i += 1
        }
        // 1 to 12 digits: no leading zero (JSON forbids it), no overflow, within year 9999.
        guard i > 0, i <= 12, bytes[0] != UInt8(ascii: "0") || i == 1 else { return nil }
        var milliseconds: Int64 = 0
        if i < n {
            guard bytes[i] == UInt8(ascii: "."), n - i - 1 >= 1, n - i - 1 <= 3 else { return nil }
            i += 1
            var scale: Int64 = 100
            while i < n {
                let digit = bytes[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                milliseconds += Int64(digit) * scale
                scale /= 10
                i += 1
            }
        }
        let total = seconds * 1000 + milliseconds
        guard total <= Timestamp.latestSupported.millisecondsSinceEpoch else { return nil }
        return Timestamp(millisecondsSinceEpoch: total)
    }

    /// ISO 8601 date-time: `YYYY-MM-DD`, `T` (or `t` or a space), `hh:mm:ss`, an optional
    /// fraction, and an optional offset (`Z`, `±hh:mm`, `±hhmm`, `±hh`); without an offset, UTC.
    static func parseISO8601(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.digits(4), reader.skip(UInt8(ascii: "-")),
              let month = reader.digits(2), reader.skip(UInt8(ascii: "-")),
              let day = reader.digits(2),
              reader.skip(UInt8(ascii: "T")) || reader.skip(UInt8(ascii: "t")) || reader.skip(UInt8(ascii: " ")),
              let hour = reader.digits(2), reader.skip(UInt8(ascii: ":")),
              let minute = reader.digits(2), reader.skip(UInt8(ascii: ":")),
              let second = reader.digits(2)
        else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1,
              day <= CivilDate.daysInMonth(year: year, month: month),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var milliseconds: Int64 = 0
        if reader.skip(UInt8(ascii: ".")) || reader.skip(UInt8(ascii: ",")) {
            var count = 0
            while let digit = reader.digit() {
                if count < 3 { milliseconds = milliseconds * 10 + digit }
                count += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { milliseconds *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if reader.skip(UInt8(ascii: "Z")) || reader.skip(UInt8(ascii: "z")) {
            // UTC
        } else if let sign = reader.sign() {
            guard let hours = reader.digits(2), hours <= 23 else { return nil }
            var minutes: Int64 = 0
            if reader.skip(UInt8(ascii: ":")) {
                guard let m = reader.digits(2) else { return nil }
                minutes = m
            } else if let m = reader.digits(2) {
                minutes = m
            }
            guard minutes <= 59 else { return nil }
            offsetMinutes = sign * (hours * 60 + minutes)
        }
        guard reader.atEnd else { return nil }
        let days = CivilDate.daysSinceEpoch(year: year, month: month, day: day)
        let localSeconds = ((days * 24 + hour) * 60 + minute) * 60 + second
        let utc = (localSeconds - offsetMinutes * 60) * 1000 + milliseconds
        guard utc >= Timestamp.earliestSupported.millisecondsSinceEpoch,
              utc <= Timestamp.latestSupported.millisecondsSinceEpoch
        else { return nil }
        return Timestamp(millisecondsSinceEpoch: utc)
    }
}

/// Reads fixed-width ASCII digits and single characters from the front of a byte span.
private struct DigitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int64? {
        guard index < bytes.count else { return nil }
        let value = bytes[index] &- UInt8(ascii: "0")
        guard value < 10 else { return nil }
        index += 1
        return Int64(value)
    }

    mutating func digits(_ count: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<count {
            guard let d = digit() else { return nil }
            value = value * 10 + d
        }
        return value
    }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int64? {
        if skip(UInt8(ascii: "+")) { return 1 }
        if skip(UInt8(ascii: "-")) { return -1 }
        return nil
    }
}
