/// A cursor over a window of JSON bytes: the tokenizer under the listing decoder.
///
/// The window may end mid-value. Reading past its end throws `.needMoreInput` unless the window
/// is the last of the input, in which case it is a truncation error. The caller then refills the
/// window and retries from its last committed position, so every unit it scans (a job, a member
/// of the listing) must be retried as a whole.
struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let end: Int
    /// No more bytes follow `end`.
    let isFinal: Bool
    var position: Int
    /// Newlines skipped since the caller last reset this, and where the last one ended: the
    /// decoder keeps line numbers without a second pass over the bytes.
    var newlines = 0
    var lineStart: Int?

    init(base: UnsafePointer<UInt8>, end: Int, isFinal: Bool, position: Int) {
        self.base = base
        self.end = end
        self.isFinal = isFinal
        self.position = position
    }

    enum Failure: Error {
        case needMoreInput
        case problem(Problem)
    }

    /// A user-facing problem at a byte offset of the window.
    struct Problem: Error {
        var code: ListingInputError.Code
        var message: String
        var offset: Int
        /// The field being read, set by the job decoder (`State`, `CreatedBy.BackupPlanId`).
        var field: String?
    }

    /// A scanned string: the bytes between its quotes.
    struct StringToken {
        var start: Int
        var end: Int
        var hasEscapes: Bool
    }

    static let maximumDepth = 256

    // MARK: Bytes and whitespace

    /// Fails for a read past the window: refill, or report truncation.
    func endOfWindow() -> Failure {
        isFinal
            ? .problem(Problem(code: .truncated, message: "unexpected end of input; the data is truncated", offset: end))
            : .needMoreInput
    }

    @inline(__always)
    func byte(at index: Int) throws(Failure) -> UInt8 {
        guard index < end else { throw endOfWindow() }
        return base[index]
    }

    /// Skips whitespace and returns the next byte without consuming it.
    @inline(__always)
    mutating func peekToken() throws(Failure) -> UInt8 {
        skipWhitespace()
        return try byte(at: position)
    }

    /// Skips whitespace, stopping at the end of the window.
    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let c = base[position]
            if c > 0x20 { return }
            if c == 0x0A {
                newlines += 1
                lineStart = position + 1
            } else if c != 0x20 && c != 0x0D && c != 0x09 {
                return
            }
            position += 1
            // Pretty-printed listings (the AWS CLI's) indent every line: skip spaces 8 at a time.
            while position + 8 <= end
                && UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020
            {
                position += 8
            }
        }
    }

    @inline(__always)
    mutating func expect(_ expected: UInt8, _ what: StaticString) throws(Failure) {
        let c = try peekToken()
        guard c == expected else {
            throw .problem(Problem(
                code: .syntax, message: "expected \(what), found \(Self.describe(byte: c))", offset: position))
        }
        position += 1
    }

    // MARK: Objects and arrays

    /// Moves to the next member or element of an object or array: consumes the ',' that must
    /// follow the previous one (none before the first), or the closing byte. False at the close.
    @inline(__always)
    mutating func nextItem(first: Bool, close: UInt8, after what: StaticString) throws(Failure) -> Bool {
        let c = try peekToken()
        if c == close {
            position += 1
            return false
        }
        if first { return true }
        guard c == UInt8(ascii: ",") else {
            throw .problem(Problem(
                code: .syntax,
                message: "expected ',' or '\(Self.printable(close))' after \(what), found \(Self.describe(byte: c))",
                offset: position))
        }
        position += 1
        return true
    }

    /// Scans a member's name and the ':' after it.
    @inline(__always)
    mutating func scanMemberName() throws(Failure) -> StringToken {
        let c = try peekToken()
        guard c == UInt8(ascii: "\"") else {
            throw .problem(Problem(
                code: .syntax, message: "expected a member name in quotes, found \(Self.describe(byte: c))", offset: position))
        }
        let name = try scanString()
        try expect(UInt8(ascii: ":"), "':' after a member name")
        return name
    }

    // MARK: Strings

    /// Scans a string whose opening quote is at `position`, validating escapes, control
    /// characters and UTF-8, and leaves `position` after the closing quote.
    mutating func scanString() throws(Failure) -> StringToken {
        let start = position + 1
        var i = start
        var hasEscapes = false
        var hasNonASCII = false
        let quotes: UInt64 = 0x2222_2222_2222_2222
        let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while true {
            // Eight bytes at a time: find the first quote, backslash, control or non-ASCII byte.
            while i + 8 <= end {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let q = word ^ quotes, b = word ^ backslashes
                let special = ((q &- ones) & ~q) | ((b &- ones) & ~b) | ((word &- 0x2020_2020_2020_2020) & ~word) | word
                let mask = special & highs
                if mask == 0 {
                    i += 8
                    continue
                }
                i += mask.trailingZeroBitCount >> 3
                break
            }
            guard i < end else { throw endOfWindow() }
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                position = i + 1
                if hasNonASCII, let bad = UTF8Validation.firstInvalidByte(base + start, count: i - start) {
                    throw .problem(Problem(
                        code: .invalidUTF8, message: "invalid UTF-8 in a string", offset: start + bad))
                }
                return StringToken(start: start, end: i, hasEscapes: hasEscapes)
            } else if c == UInt8(ascii: "\\") {
                hasEscapes = true
                let escaped = try byte(at: i + 1)
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    for k in i + 2..<i + 6 {
                        guard Self.hexValue(try byte(at: k)) != nil else {
                            throw .problem(Problem(
                                code: .syntax, message: "invalid \\u escape: expected four hexadecimal digits", offset: i))
                        }
                    }
                    i += 6
                default:
                    throw .problem(Problem(
                        code: .syntax, message: "invalid escape \\\(Self.printable(escaped)) in a string", offset: i))
                }
            } else if c < 0x20 {
                throw .problem(Problem(
                    code: .syntax,
                    message: "control character \(Self.describe(byte: c)) in a string; it must be escaped",
                    offset: i))
            } else if c >= 0x80 {
                hasNonASCII = true
                i += 1
            } else {
                i += 1
            }
        }
    }

    /// The unescaped UTF-8 bytes of a string with escapes, written into `scratch`.
    func unescape(_ token: StringToken, into scratch: ByteScratch) throws(Failure) {
        scratch.removeAll()
        var i = token.start
        while i < token.end {
            let c = base[i]
            guard c == UInt8(ascii: "\\") else {
                scratch.append(c)
                i += 1
                continue
            }
            let escaped = base[i + 1]
            i += 2
            switch escaped {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(at: i)
                i += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard i + 6 <= token.end, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u"),
                          case let low = hex4(at: i + 2), (0xDC00..<0xE000).contains(low)
                    else {
                        throw .problem(Problem(
                            code: .invalidUTF8, message: "invalid \\u escape: unpaired surrogate", offset: i - 6))
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw .problem(Problem(
                        code: .invalidUTF8, message: "invalid \\u escape: unpaired surrogate", offset: i - 6))
                }
                Self.appendUTF8(scalar, to: scratch)
            default: scratch.append(escaped)  // \" \\ \/
            }
        }
    }

    private func hex4(at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in index..<index + 4 { value = value << 4 | UInt32(Self.hexValue(base[k]) ?? 0) }
        return value
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func appendUTF8(_ scalar: UInt32, to bytes: ByteScratch) {
        switch scalar {
        case ..<0x80:
            bytes.append(UInt8(scalar))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | scalar >> 6))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | scalar >> 12))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | scalar >> 18))
            bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Numbers and literals

    /// Scans the bytes of a number; `DecimalNumber` checks its grammar. No listing ends with
    /// a number, so one that runs into the end of the input was cut.
    mutating func scanNumber() throws(Failure) -> Range<Int> {
        let start = position
        var i = position
        while true {
            guard i < end else { throw endOfWindow() }
            let c = base[i]
            guard c &- UInt8(ascii: "0") < 10 || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            else { break }
            i += 1
        }
        position = i
        return start..<i
    }

    /// Consumes `true`, `false` or `null` (the first byte already identified it).
    mutating func scanLiteral() throws(Failure) -> UInt8 {
        let first = base[position]
        let literal: StaticString = first == UInt8(ascii: "t") ? "true" : first == UInt8(ascii: "f") ? "false" : "null"
        for k in 0..<literal.utf8CodeUnitCount {
            let c = try byte(at: position + k)
            guard c == literal.utf8Start[k] else {
                throw .problem(Problem(code: .syntax, message: "invalid literal; expected \(literal)", offset: position))
            }
        }
        position += literal.utf8CodeUnitCount
        return first
    }

    /// Skips any JSON value, checking its syntax; returns where it started.
    @discardableResult
    mutating func skipValue(depth: Int = 0) throws(Failure) -> Int {
        let c = try peekToken()
        let start = position
        switch c {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maximumDepth else {
                throw .problem(Problem(
                    code: .tooDeep, message: "values nested more than \(Self.maximumDepth) deep", offset: position))
            }
            let isObject = c == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            position += 1
            var first = true
            while try nextItem(first: first, close: close, after: isObject ? "a member" : "an element") {
                first = false
                if isObject { _ = try scanMemberName() }
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try scanLiteral()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try scanNumber()
            guard DecimalNumber(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)) != nil else {
                throw .problem(Problem(code: .syntax, message: "invalid number", offset: range.lowerBound))
            }
        default:
            throw .problem(Problem(
                code: .syntax, message: "expected a value, found \(Self.describe(byte: c))", offset: position))
        }
        return start
    }

    // MARK: Describing what was found

    /// What the JSON value at `index` is, for "expected X, found Y" messages. Asks for more
    /// input when the value runs past the window, so the message never depends on chunking.
    func describeValue(at index: Int) throws(Failure) -> String {
        switch base[index] {
        case UInt8(ascii: "\""):
            var copy = self
            copy.position = index
            let token: StringToken
            do throws(Failure) {
                token = try copy.scanString()
            } catch .needMoreInput {
                throw .needMoreInput
            } catch {
                return "a string"
            }
            let length = token.end - token.start
            let shown = String(decoding: UnsafeBufferPointer(start: base + token.start, count: min(length, 40)), as: UTF8.self)
            return "the string \"\(shown)\(length > 40 ? "…" : "")\""
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"): return "true"
        case UInt8(ascii: "f"): return "false"
        case UInt8(ascii: "n"): return "null"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            var copy = self
            copy.position = index
            let range: Range<Int>
            do throws(Failure) {
                range = try copy.scanNumber()
            } catch .needMoreInput {
                throw .needMoreInput
            } catch {
                return "a number"
            }
            let text = String(decoding: UnsafeBufferPointer(start: base + range.lowerBound, count: min(range.count, 30)), as: UTF8.self)
            return "the number \(text)"
        default: return Self.describe(byte: base[index])
        }
    }

    static func describe(byte c: UInt8) -> String {
        switch c {
        case 0x20...0x7E: "'\(printable(c))'"
        default: "byte 0x" + String(c, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }

    static func printable(_ c: UInt8) -> String {
        String(decoding: [c], as: UTF8.self)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Checks UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing past U+10FFFF.
enum UTF8Validation {
    /// The offset of the first byte that is not valid UTF-8, or `nil` when all are.
    static func firstInvalidByte(_ bytes: UnsafePointer<UInt8>, count: Int) -> Int? {
        var i = 0
        while i < count {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= count else { return i }
            guard (lower...upper).contains(bytes[i + 1]) else { return i }
            for k in 2..<max(2, length) where bytes[i + k] & 0xC0 != 0x80 {
                return i
            }
            i += length
        }
        return nil
    }
}
