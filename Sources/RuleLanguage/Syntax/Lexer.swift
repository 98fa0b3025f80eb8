import BackupJobs

/// Turns rule text into tokens and comments, reporting what it cannot read and going on.
struct Lexer {
    private let source: SourceFile
    private let bytes: [UInt8]
    private var index = 0
    private(set) var tokens: [Token] = []
    private(set) var comments: [Comment] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// The last token ended on the current line (for telling trailing comments).
    private var codeOnLine = false

    init(_ source: SourceFile) {
        self.source = source
        bytes = source.utf8
    }

    static func tokenize(_ source: SourceFile) -> (tokens: [Token], comments: [Comment], diagnostics: [Diagnostic]) {
        var lexer = Lexer(source)
        lexer.run()
        return (lexer.tokens, lexer.comments, lexer.diagnostics)
    }

    private mutating func run() {
        while true {
            skipWhitespaceAndComments()
            guard index < bytes.count else { break }
            let start = index
            let c = bytes[index]
            if isLetter(c) || c == UInt8(ascii: "_") {
                while index < bytes.count, isLetter(bytes[index]) || isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
                emit(.identifier(text(start, index)), from: start)
            } else if isDigit(c) {
                lexNumber(start)
            } else if c == UInt8(ascii: "\"") {
                lexString(start)
            } else if let symbol = punctuation(at: index) {
                index += symbol.utf8.count
                emit(.punctuation(symbol), from: start)
            } else {
                // Skip one whole character, however many bytes it takes.
                index += 1
                while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
                report(.invalidCharacter, "unexpected character '\(text(start, index))'", start, index)
            }
        }
        tokens.append(Token(kind: .endOfFile, range: SourceRange(bytes.count, bytes.count), startsLine: true))
    }

    private mutating func skipWhitespaceAndComments() {
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\n") {
                codeOnLine = false
                index += 1
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                index += 1
            } else if c == UInt8(ascii: "#") {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                var end = index
                // Trailing blanks and carriage returns are not part of the comment: printing it
                // back must read the same (fuzzing found "#\r\r").
                while end > start + 1, [UInt8(ascii: "\r"), UInt8(ascii: " "), UInt8(ascii: "\t")].contains(bytes[end - 1]) { end -= 1 }
                comments.append(Comment(text: text(start + 1, end), range: SourceRange(start, end), isTrailing: codeOnLine))
            } else {
                return
            }
        }
    }

    private mutating func emit(_ kind: Token.Kind, from start: Int) {
        tokens.append(Token(kind: kind, range: SourceRange(start, index), startsLine: !codeOnLine))
        codeOnLine = true
    }

    private mutating func report(_ code: DiagnosticCode, _ message: String, _ start: Int, _ end: Int) {
        diagnostics.append(Diagnostic(code, message, file: source.name, at: SourceRange(start, end)))
    }

    // MARK: Numbers, durations, sizes, percentages, dates

    private mutating func lexNumber(_ start: Int) {
        if looksLikeDate(at: start) {
            lexTimestamp(start)
            return
        }
        var end = scanDigits(start)
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), isDigit(bytes[end + 1]) {
            end = scanDigits(end + 1)
        }
        if let exponentEnd = exponent(at: end) {
            // 1e6, 2.5E-3: a number in scientific notation, never a duration or a size.
            index = exponentEnd
            let number = text(start, index)
            guard let value = Double(number), value.isFinite else {
                report(.outOfRange, "the number \(number) is out of range: \(ValueType.number.rangeDescription)", start, index)
                emit(.number("0"), from: start)
                return
            }
            emit(.number(number), from: start)
            return
        }
        index = end
        let number = text(start, end)
        if Double(number)?.isFinite != true {
            // One error, here: the token becomes 0 so the checker does not report it again.
            if index < bytes.count, bytes[index] == UInt8(ascii: "%") {
                index += 1
                report(.outOfRange, "the percentage \(number)% is out of range: \(ValueType.percent.rangeDescription)", start, index)
            } else {
                report(.outOfRange, "the number \(number) is out of range: \(ValueType.number.rangeDescription)", start, end)
            }
            emit(.number("0"), from: start)
            return
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "%") {
            index += 1
            emit(.percent((Double(number) ?? 0) / 100), from: start)
            return
        }
        guard index < bytes.count, isLetter(bytes[index]) else {
            emit(.number(number), from: start)
            return
        }
        // A unit written against the number: a duration (24h, 1h30m) or a size (500MiB).
        var unitEnd = index
        while unitEnd < bytes.count, isLetter(bytes[unitEnd]) { unitEnd += 1 }
        let unit = text(index, unitEnd)
        if let bytesPerUnit = SizeUnit.bytes[unit] {
            index = unitEnd
            guard let value = SizeUnit.bytes(number, times: bytesPerUnit) else {
                report(.outOfRange, "the size \(text(start, index)) is out of range: \(ValueType.size.rangeDescription)", start, index)
                emit(.size(0), from: start)
                return
            }
            emit(.size(value), from: start)
            return
        }
        lexDuration(start, firstNumber: number)
    }

    /// `90m`, `24h`, `1h30m`: whole numbers each followed by a unit, with nothing between.
    private mutating func lexDuration(_ start: Int, firstNumber: String) {
        var total: Int64 = 0
        var number = firstNumber
        var valid = !number.contains(".")
        var overflowed = false
        while true {
            var unitEnd = index
            while unitEnd < bytes.count, isLetter(bytes[unitEnd]) { unitEnd += 1 }
            let unit = text(index, unitEnd)
            index = unitEnd
            if let perUnit = DurationUnit(symbol: unit)?.milliseconds, !number.contains(".") {
                // Digits only: a number too long for Int64 is out of range, not malformed.
                if let value = Int64(number) {
                    let (product, overflow) = value.multipliedReportingOverflow(by: perUnit)
                    let (sum, overflow2) = total.addingReportingOverflow(product)
                    if overflow || overflow2 { overflowed = true } else { total = sum }
                } else {
                    overflowed = true
                }
            } else {
                valid = false
            }
            guard index < bytes.count, isDigit(bytes[index]) else { break }
            let next = index
            index = scanDigits(next)
            number = text(next, index)
            guard index < bytes.count, isLetter(bytes[index]) else {
                valid = false
                break
            }
        }
        if !valid {
            report(
                .invalidNumber,
                "invalid duration '\(text(start, index))'; write whole numbers with \(DurationUnit.symbols) (90m, 24h, 7d, 1h30m), or a size unit (500 MiB)",
                start, index)
        } else if overflowed {
            report(.outOfRange, "the duration \(text(start, index)) is out of range: \(ValueType.duration.rangeDescription)", start, index)
        }
        emit(.duration(valid && !overflowed ? total : 0), from: start)
    }

    /// The end of an exponent (`e6`, `E-3`) starting at `offset`, when one is there and no
    /// letter follows it.
    private func exponent(at offset: Int) -> Int? {
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") else { return nil }
        var digits = offset + 1
        if digits < bytes.count, bytes[digits] == UInt8(ascii: "+") || bytes[digits] == UInt8(ascii: "-") { digits += 1 }
        guard digits < bytes.count, isDigit(bytes[digits]) else { return nil }
        let end = scanDigits(digits)
        guard end == bytes.count || !isLetter(bytes[end]) else { return nil }
        return end
    }

    private func looksLikeDate(at start: Int) -> Bool {
        guard start + 10 <= bytes.count else { return false }
        let shape = Array(bytes[start..<start + 10])
        for (offset, byte) in shape.enumerated() {
            let wantsDash = offset == 4 || offset == 7
            if wantsDash ? byte != UInt8(ascii: "-") : !isDigit(byte) { return false }
        }
        return true
    }

    /// `2027-01-31`, `2027-01-31T12:00Z`, `2027-01-31T12:00:00.5+02:00`.
    private mutating func lexTimestamp(_ start: Int) {
        index = start + 10
        var isDate = true
        if index < bytes.count, bytes[index] == UInt8(ascii: "T") {
            isDate = false
            while index < bytes.count, isDigit(bytes[index]) || [UInt8(ascii: "T"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "Z"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[index]) {
                index += 1
            }
        }
        let written = text(start, index)
        guard let timestamp = Timestamp(written: written) else {
            report(.invalidTimestamp, "'\(written)' is not a valid \(isDate ? "date" : "timestamp") (write 2027-01-31 or 2027-01-31T12:00:00Z)", start, index)
            emit(.timestamp(Timestamp(millisecondsSinceEpoch: 0), isDate: isDate), from: start)
            return
        }
        emit(.timestamp(timestamp, isDate: isDate), from: start)
    }

    private func scanDigits(_ from: Int) -> Int {
        var end = from
        while end < bytes.count, isDigit(bytes[end]) { end += 1 }
        return end
    }

    // MARK: Strings

    private mutating func lexString(_ start: Int) {
        index += 1
        var value: [UInt8] = []
        while true {
            guard index < bytes.count, bytes[index] != UInt8(ascii: "\n") else {
                report(.unterminatedString, "this string has no closing quote", start, index)
                break
            }
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                break
            }
            if c != UInt8(ascii: "\\") {
                value.append(c)
                index += 1
                continue
            }
            let escapeStart = index
            index += 1
            guard index < bytes.count else { continue }
            let escaped = bytes[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "\""): value.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): value.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "r"): value.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "u") where index < bytes.count && bytes[index] == UInt8(ascii: "{"):
                var end = index + 1
                while end < bytes.count, end - index <= 9, bytes[end] != UInt8(ascii: "}"), bytes[end] != UInt8(ascii: "\"") { end += 1 }
                if end < bytes.count, bytes[end] == UInt8(ascii: "}"), let scalar = UInt32(text(index + 1, end), radix: 16).flatMap(Unicode.Scalar.init) {
                    value.append(contentsOf: Array(String(Character(scalar)).utf8))
                    index = end + 1
                } else {
                    report(.invalidEscape, "invalid \\u{...} escape: write the code point in hexadecimal, like \\u{E9}", escapeStart, min(end + 1, bytes.count))
                    index = min(end + 1, bytes.count)
                }
            default:
                // Step over the whole escaped character.
                while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
                report(.invalidEscape, "invalid escape '\(text(escapeStart, index))'; strings allow \\\" \\\\ \\n \\t \\r \\u{...}", escapeStart, index)
            }
        }
        emit(.string(String(decoding: value, as: UTF8.self)), from: start)
    }

    // MARK: Helpers

    private static let singlePunctuation = Set("(){}[],.=<>+-*/".utf8)
    private static let firstOfTwo = Set("=!<>".utf8)

    /// The punctuation token at `index` (`==`, `!=`, `<=`, `>=`, or one of `(){}[],.=<>+-*/`),
    /// read from the bytes: this runs for every byte that starts no other token.
    private func punctuation(at index: Int) -> String? {
        let byte = bytes[index]
        if Self.firstOfTwo.contains(byte), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") {
            return text(index, index + 2)
        }
        return Self.singlePunctuation.contains(byte) ? text(index, index + 1) : nil
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private func isLetter(_ c: UInt8) -> Bool {
        (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
    }

    private func isDigit(_ c: UInt8) -> Bool {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
    }
}
