/// Parses JSON text (RFC 8259, UTF-8) into `JSONNode` trees: one value, or several in a row
/// (`aws backup get-backup-selection` run once per selection into one file).
///
/// Hostile input is bounded: nesting deeper than `maximumDepth` and strings longer than
/// `maximumStringBytes` are errors (no AWS Backup document nests past 8 levels, and no ARN, tag or
/// name AWS accepts is longer than 2,048 bytes), so recursion cannot exhaust the stack and
/// wildcard matching stays cheap.
struct JSONTreeParser {
    static let maximumDepth = 64
    static let maximumStringBytes = 65_536

    struct Failure: Error {
        var code: SelectionInputError.Code
        var message: String
        var offset: Int
    }

    private let bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Every top-level value, in order. Empty input (or only whitespace) gives none.
    mutating func parseSequence() throws(Failure) -> [JSONNode] {
        var values: [JSONNode] = []
        skipWhitespace()
        if position == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            // A byte order mark, as some Windows editors write: not part of the JSON.
            position = 3
            skipWhitespace()
        }
        while position < bytes.count {
            values.append(try parseValue(depth: 0))
            skipWhitespace()
        }
        return values
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(Failure) -> JSONNode {
        guard depth < Self.maximumDepth else {
            throw Failure(code: .tooDeep, message: "the data nests deeper than \(Self.maximumDepth) levels", offset: position)
        }
        skipWhitespace()
        let start = position
        guard position < bytes.count else { throw truncated() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return JSONNode(value: .object(try parseObject(depth: depth)), offset: start)
        case UInt8(ascii: "["): return JSONNode(value: .array(try parseArray(depth: depth)), offset: start)
        case UInt8(ascii: "\""): return JSONNode(value: .string(try parseString()), offset: start)
        case UInt8(ascii: "t"): try literal("true"); return JSONNode(value: .bool(true), offset: start)
        case UInt8(ascii: "f"): try literal("false"); return JSONNode(value: .bool(false), offset: start)
        case UInt8(ascii: "n"): try literal("null"); return JSONNode(value: .null, offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try parseNumber()), offset: start)
        default:
            throw Failure(code: .syntax, message: "expected a JSON value, found \(describe(bytes[position]))", offset: position)
        }
    }

    private mutating func parseObject(depth: Int) throws(Failure) -> [JSONNode.Member] {
        position += 1
        var members: [JSONNode.Member] = []
        // A set beside the list: a hostile object of 100,000 members must not cost n² comparisons.
        var names: Set<String> = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return members
        }
        while true {
            skipWhitespace()
            let nameOffset = position
            guard try peek() == UInt8(ascii: "\"") else {
                throw Failure(code: .syntax, message: "expected a member name in quotes, found \(describe(bytes[position]))", offset: position)
            }
            let name = try parseString()
            // A repeated name is refused, never resolved: which copy AWS meant is unknowable.
            guard names.insert(name).inserted else {
                throw Failure(code: .duplicateMember, message: "the member \(quoted(name)) appears twice in one object", offset: nameOffset)
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after a member name")
            let node = try parseValue(depth: depth + 1)
            members.append(JSONNode.Member(name: name, nameOffset: nameOffset, node: node))
            skipWhitespace()
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "}") { return members }
            guard next == UInt8(ascii: ",") else {
                throw Failure(code: .syntax, message: "expected ',' or '}' after a member, found \(describe(next))", offset: position - 1)
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(Failure) -> [JSONNode] {
        position += 1
        var elements: [JSONNode] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "]") { return elements }
            guard next == UInt8(ascii: ",") else {
                throw Failure(code: .syntax, message: "expected ',' or ']' after an element, found \(describe(next))", offset: position - 1)
            }
        }
    }

    // MARK: Strings

    private mutating func parseString() throws(Failure) -> String {
        let opening = position
        position += 1
        var utf8Start = position
        var collected: [UInt8] = []
        while true {
            guard position < bytes.count else { throw truncated() }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                collected.append(contentsOf: bytes[utf8Start..<position])
                position += 1
                break
            }
            if byte < 0x20 {
                throw Failure(code: .syntax, message: "a control character (\(hex(byte))) inside a string must be escaped", offset: position)
            }
            if byte == UInt8(ascii: "\\") {
                collected.append(contentsOf: bytes[utf8Start..<position])
                collected.append(contentsOf: Array(try parseEscape().utf8))
                utf8Start = position
                continue
            }
            position += 1
            if position - opening > Self.maximumStringBytes {
                throw Failure(code: .tooLong, message: "a string longer than \(Self.maximumStringBytes) bytes", offset: opening)
            }
        }
        guard let text = String(validating: collected, as: UTF8.self) else {
            throw Failure(code: .invalidUTF8, message: "the string is not valid UTF-8", offset: opening)
        }
        return text
    }

    /// Reads the escape at `position` (the backslash) and returns what it stands for.
    private mutating func parseEscape() throws(Failure) -> String {
        let start = position
        position += 1
        guard position < bytes.count else { throw truncated() }
        let kind = bytes[position]
        position += 1
        switch kind {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try hexUnit()
            if (0xD800..<0xDC00).contains(unit) {
                // A high surrogate must be followed by an escaped low one.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw Failure(code: .invalidUTF8, message: "a lone surrogate \\u\(hex4(unit)) is not a character", offset: start)
                }
                position += 2
                let low = try hexUnit()
                guard (0xDC00..<0xE000).contains(low) else {
                    throw Failure(code: .invalidUTF8, message: "a lone surrogate \\u\(hex4(unit)) is not a character", offset: start)
                }
                let scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
                return String(Character(scalar))
            }
            guard let scalar = Unicode.Scalar(unit) else {
                throw Failure(code: .invalidUTF8, message: "a lone surrogate \\u\(hex4(unit)) is not a character", offset: start)
            }
            return String(Character(scalar))
        default:
            throw Failure(code: .syntax, message: "\\\(describe(kind)) is not a JSON escape", offset: start)
        }
    }

    private mutating func hexUnit() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw truncated() }
        var unit: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw Failure(code: .syntax, message: "\\u needs four hexadecimal digits", offset: position)
            }
            unit = unit << 4 | digit
            position += 1
        }
        return unit
    }

    // MARK: Numbers and literals

    /// Validates the RFC 8259 number grammar and returns its text.
    private mutating func parseNumber() throws(Failure) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count else { throw truncated() }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            try digits(start: start)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            try digits(start: start)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            try digits(start: start)
        }
        if position - start > 400 {
            throw Failure(code: .tooLong, message: "a number of more than 400 characters", offset: start)
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func digits(start: Int) throws(Failure) {
        let first = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        guard position > first else {
            if position >= bytes.count { throw truncated() }
            throw Failure(code: .syntax, message: "a malformed number", offset: start)
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard position < bytes.count else { throw truncated() }
            guard bytes[position] == byte else {
                throw Failure(code: .syntax, message: "expected \(word), found \(describe(bytes[position]))", offset: position)
            }
            position += 1
        }
    }

    // MARK: Bytes

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func peek() throws(Failure) -> UInt8 {
        guard position < bytes.count else { throw truncated() }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        let found = try peek()
        guard found == byte else { throw Failure(code: .syntax, message: "expected \(what), found \(describe(found))", offset: position) }
        position += 1
    }

    private func truncated() -> Failure {
        Failure(code: .truncated, message: "unexpected end of input; the data is truncated", offset: bytes.count)
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "the byte \(hex(byte))"
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    private func hex4(_ unit: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return (0..<4).reversed().map { String(digits[Int(unit >> (UInt32($0) * 4) & 0xF)]) }.joined()
    }
}

/// A name in quotes, cut to a readable length, for messages.
func quoted(_ text: String) -> String {
    "\"" + (text.count > 80 ? String(text.prefix(80)) + "…" : text) + "\""
}
