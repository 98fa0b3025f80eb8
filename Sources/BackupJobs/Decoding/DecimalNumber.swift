/// A JSON number read exactly as decimal digits: `significand × 10^exponent`, never through
/// `Double`, so `1516925490.087` is 1516925490087 ms and not 1516925490086.
struct DecimalNumber {
    var isNegative = false
    /// The first 19 significant digits.
    var significand: UInt64 = 0
    var exponent = 0
    /// A nonzero digit past the 19 kept in `significand` was dropped.
    var droppedNonzero = false

    /// Parses strict JSON number syntax: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = bytes.count
        func isDigit(_ at: Int) -> Bool { at < n && bytes[at] &- UInt8(ascii: "0") < 10 }
        var kept = 0
        func take(_ digit: UInt8, fractional: Bool) {
            if significand == 0 && digit == 0 {
                if fractional { exponent -= 1 }
                return
            }
            if kept < 19 {
                significand = significand * 10 + UInt64(digit)
                kept += 1
                if fractional { exponent -= 1 }
            } else {
                if digit != 0 { droppedNonzero = true }
                if !fractional { exponent += 1 }
            }
        }
        if i < n && bytes[i] == UInt8(ascii: "-") { isNegative = true; i += 1 }
        guard isDigit(i) else { return nil }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { take(bytes[i] &- UInt8(ascii: "0"), fractional: false); i += 1 }
        }
        if i < n && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) { take(bytes[i] &- UInt8(ascii: "0"), fractional: true); i += 1 }
        }
        if i < n && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentSign = 1
            if i < n && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) {
                if bytes[i] == UInt8(ascii: "-") { exponentSign = -1 }
                i += 1
            }
            guard isDigit(i) else { return nil }
            var written = 0
            while isDigit(i) {
                written = min(written * 10 + Int(bytes[i] &- UInt8(ascii: "0")), 100_000)
                i += 1
            }
            exponent += exponentSign * written
        }
        guard i == n else { return nil }
    }

    /// `floor(self × 10^power)` as an `Int64`, or `nil` when it does not fit.
    func floorScaled(byPowerOfTen power: Int) -> Int64? {
        if significand == 0 { return droppedNonzero && isNegative ? -1 : 0 }
        let scale = exponent + power
        var magnitude: UInt64
        var inexact = droppedNonzero
        if scale >= 0 {
            guard scale <= 19 else { return nil }
            let (product, overflow) = significand.multipliedReportingOverflow(by: Self.powerOfTen(scale))
            guard !overflow else { return nil }
            magnitude = product
        } else if scale < -19 {
            magnitude = 0
            inexact = true
        } else {
            let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: Self.powerOfTen(-scale))
            magnitude = quotient
            inexact = inexact || remainder != 0
        }
        if isNegative {
            // The magnitude is below 10^19 (19 digits) or a multiple of 10: never UInt64.max
            // (…615), so one more cannot overflow.
            if inexact { magnitude += 1 }
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// The value as an `Int64` when it is a whole number that fits (`5`, `-3`, `2e3`).
    var exactInteger: Int64? {
        guard !droppedNonzero else { return nil }
        if exponent < 0 {
            guard let value = floorScaled(byPowerOfTen: 0), let back = Self.power(exponent),
                  significand % back == 0 else { return nil }
            return value
        }
        return floorScaled(byPowerOfTen: 0)
    }

    private static func power(_ negativeExponent: Int) -> UInt64? {
        -negativeExponent <= 19 ? powerOfTen(-negativeExponent) : nil
    }

    private static func powerOfTen(_ n: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<n { value &*= 10 }
        return value
    }
}
