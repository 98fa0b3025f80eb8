/// Where a part of a string's value is written in its literal, so a diagnostic about a fragment of
/// a pattern (`\1` in `matches "(a)\\1"`) points at the fragment, escapes and all. It reads the
/// escapes as `Lexer.lexString` does.
enum StringLiteralOffsets {
    /// The source range of the value's UTF-8 bytes `fragment`, in the string literal at `literal`
    /// (its quotes included). Offsets past the value end at the closing quote.
    static func range(of fragment: Range<Int>, inLiteralAt literal: SourceRange, of source: SourceFile) -> SourceRange {
        let bytes = source.utf8
        // The content: after the opening quote, before the closing one (if the literal has it).
        let start = min(literal.start + 1, literal.end)
        var end = literal.end
        if end > start, bytes[end - 1] == UInt8(ascii: "\"") { end -= 1 }

        /// The source offset where value byte `target` begins (or `end`).
        func sourceOffset(ofValueOffset target: Int) -> Int {
            var index = start, value = 0
            while index < end, value < target {
                guard bytes[index] == UInt8(ascii: "\\"), index + 1 < end else {
                    index += 1
                    value += 1
                    continue
                }
                let escaped = bytes[index + 1]
                index += 2
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"):
                    value += 1
                case UInt8(ascii: "u") where index < end && bytes[index] == UInt8(ascii: "{"):
                    var close = index + 1
                    while close < end, close - index <= 9, bytes[close] != UInt8(ascii: "}") { close += 1 }
                    if close < end, bytes[close] == UInt8(ascii: "}"),
                       let scalar = UInt32(String(decoding: bytes[(index + 1)..<close], as: UTF8.self), radix: 16).flatMap(Unicode.Scalar.init) {
                        value += scalar.utf8.count
                    }
                    index = min(close + 1, end)
                default:
                    // An invalid escape (already reported) adds nothing; skip the escaped character.
                    while index < end, bytes[index] & 0xC0 == 0x80 { index += 1 }
                }
            }
            return index
        }

        let lower = sourceOffset(ofValueOffset: fragment.lowerBound)
        let upper = max(lower, sourceOffset(ofValueOffset: fragment.upperBound))
        return SourceRange(lower, upper)
    }
}
