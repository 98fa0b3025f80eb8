/// A JSON value read whole, with the offset of every value: what the inventory readers walk
/// (a GetResources entry, an AWS Config result, a terraform state), whose shapes are not records
/// and need reshaping before they become one. Jobs never go through this: their decoder writes
/// straight into tables.
struct JSONTree {
    indirect enum Value {
        /// Members in the order read (a repeated name is refused while reading).
        case object([(name: String, value: JSONTree)])
        case array([JSONTree])
        case string(String)
        /// The number's text, checked against JSON's grammar.
        case number(String)
        case boolean(Bool)
        case null
    }

    var value: Value
    /// Where the value starts, in the scanner's coordinates.
    var offset: Int

    /// Reads the value at the scanner's position (after whitespace).
    static func read(_ s: inout JSONScanner, depth: Int = 0) throws(JSONScanner.Failure) -> JSONTree {
        let c = try s.peekToken()
        let start = s.position
        switch c {
        case UInt8(ascii: "\""):
            return JSONTree(value: .string(try text(try s.scanString(), s)), offset: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < JSONScanner.maximumDepth else {
                throw .problem(JSONScanner.Problem(
                    code: .tooDeep, message: "values nested more than \(JSONScanner.maximumDepth) deep", offset: start))
            }
            s.position += 1
            var first = true
            if c == UInt8(ascii: "[") {
                var elements: [JSONTree] = []
                while try s.nextItem(first: first, close: UInt8(ascii: "]"), after: "an element") {
                    first = false
                    elements.append(try read(&s, depth: depth + 1))
                }
                return JSONTree(value: .array(elements), offset: start)
            }
            var members: [(name: String, value: JSONTree)] = []
            while try s.nextItem(first: first, close: UInt8(ascii: "}"), after: "a member") {
                first = false
                _ = try s.peekToken()
                let nameStart = s.position
                let name = try text(try s.scanMemberName(), s)
                if members.contains(where: { $0.name == name }) {
                    throw .problem(JSONScanner.Problem(
                        code: .duplicateMember, message: "the member \"\(name)\" appears twice in the same object", offset: nameStart))
                }
                members.append((name, try read(&s, depth: depth + 1)))
            }
            return JSONTree(value: .object(members), offset: start)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let literal = try s.scanLiteral()
            return JSONTree(value: literal == UInt8(ascii: "n") ? .null : .boolean(literal == UInt8(ascii: "t")), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try s.scanNumber()
            let bytes = UnsafeBufferPointer(start: s.base + range.lowerBound, count: range.count)
            guard DecimalNumber(bytes) != nil else {
                throw .problem(JSONScanner.Problem(code: .syntax, message: "invalid number", offset: start))
            }
            return JSONTree(value: .number(String(decoding: bytes, as: UTF8.self)), offset: start)
        default:
            throw .problem(JSONScanner.Problem(
                code: .syntax, message: "expected a value, found \(JSONScanner.describe(byte: c))", offset: start))
        }
    }

    /// Reads a whole JSON text (AWS Config's results are JSON held in strings); a problem's offset
    /// is in `bytes`.
    static func read(text bytes: [UInt8]) throws(JSONScanner.Failure) -> JSONTree {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONScanner.Failure) -> JSONTree in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                throw .problem(JSONScanner.Problem(code: .truncated, message: "the text is empty", offset: 0))
            }
            var scanner = JSONScanner(base: base, end: buffer.count, isFinal: true, position: 0)
            let tree = try read(&scanner)
            scanner.skipWhitespace()
            guard scanner.position == scanner.end else {
                throw .problem(JSONScanner.Problem(
                    code: .trailingData, message: "unexpected \(JSONScanner.describe(byte: base[scanner.position])) after the value",
                    offset: scanner.position))
            }
            return tree
        }
    }

    private static func text(_ token: JSONScanner.StringToken, _ s: JSONScanner) throws(JSONScanner.Failure) -> String {
        guard token.hasEscapes else {
            return String(decoding: UnsafeBufferPointer(start: s.base + token.start, count: token.end - token.start), as: UTF8.self)
        }
        let scratch = ByteScratch()
        try s.unescape(token, into: scratch)
        return String(decoding: scratch.bytes, as: UTF8.self)
    }

    // MARK: Reading members

    /// The member of an object; nil when absent (or not an object).
    subscript(name: String) -> JSONTree? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.name == name }?.value
    }

    var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// What the value is, for "expected X, found Y" messages.
    var description: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string(let text): "the string \"\(text.prefix(40))\(text.count > 40 ? "…" : "")\""
        case .number(let text): "the number \(text.prefix(30))"
        case .boolean(let flag): flag ? "true" : "false"
        case .null: "null"
        }
    }
}
