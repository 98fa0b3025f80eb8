/// How timestamps are written in response bodies.
public enum TimestampNotation: Sendable, Hashable {
    /// `1704164645.123`, `1704164645.5`, `1704164645.0`: epoch seconds with up to three decimals
    /// (trailing zeros cut, one kept), as a double prints in most languages.
    case decimal
    /// `1.704164645123E9`: what Java's `Double.toString` prints, as AWS services built on Java
    /// serializers send. Values below 10^7 seconds print as plain decimals, as Java does.
    case scientific
}

/// The JSON text of values, appended to a caller's buffer with no intermediate `String`s: what
/// the listing writers (`TableJSONWriter`), reports and the emulator's error bodies are made of.
public enum JSONText {
    /// A JSON string literal: `"`, `\` and control characters escaped, everything else as UTF-8.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    /// A JSON string literal of UTF-8 bytes (already valid UTF-8).
    public static func appendString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<bytes.count {
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(byte >> 4), hexDigit(byte & 0xF)])
            }
            start = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]))
        out.append(UInt8(ascii: "\""))
    }

    /// Decimal digits of an integer, with a `-` when negative.
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, to: &out)
    }

    /// Epoch seconds of a timestamp, in the given notation.
    public static func appendTimestamp(_ time: Timestamp, to out: inout [UInt8], notation: TimestampNotation = .decimal) {
        let milliseconds = time.millisecondsSinceEpoch
        if milliseconds < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = milliseconds.magnitude
        if notation == .scientific, magnitude >= 10_000_000_000 {
            // d.dddE n: the digits of the milliseconds, the point after the first one.
            var digits: [UInt8] = []
            appendDigits(magnitude, to: &digits)
            var last = digits.count - 1
            while last > 1, digits[last] == UInt8(ascii: "0") { last -= 1 }
            out.append(digits[0])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[1...max(1, last)])
            out.append(UInt8(ascii: "E"))
            appendDigits(UInt64(digits.count - 4), to: &out)
            return
        }
        appendDigits(magnitude / 1000, to: &out)
        out.append(UInt8(ascii: "."))
        var fraction = magnitude % 1000
        var width = 3
        while width > 1, fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        if width == 3 && fraction < 100 { out.append(UInt8(ascii: "0")) }
        if width >= 2 && fraction < 10 { out.append(UInt8(ascii: "0")) }
        appendDigits(fraction, to: &out)
    }

    public static func appendDigits(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
        withUnsafeMutableBytes(of: &buffer) { raw in
            var position = raw.count
            var rest = value
            while rest > 0 {
                position -= 1
                raw[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            out.append(contentsOf: raw[position...])
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
