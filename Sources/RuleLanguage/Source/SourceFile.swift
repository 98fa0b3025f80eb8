/// A range of a source file in UTF-8 byte offsets, `start..<end`.
public struct SourceRange: Hashable, Sendable, Comparable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(min(start, other.start), max(end, other.end))
    }

    public static func < (lhs: SourceRange, rhs: SourceRange) -> Bool {
        (lhs.start, lhs.end) < (rhs.start, rhs.end)
    }
}

/// The text of one rule file, with a line table for turning offsets into lines and columns.
public struct SourceFile: Sendable {
    /// How the file is named in diagnostics: its path as given, `<stdin>`, `<eval>`.
    public let name: String
    public let text: String
    /// The text's UTF-8 bytes, which every range indexes.
    public let utf8: [UInt8]
    /// Offsets where each line starts.
    private let lineStarts: [Int]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        utf8 = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in utf8.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// A position for people: line and column, both 1-based; columns count characters
    /// (Unicode scalars), as editors do, so CJK and emoji count once.
    public struct Position: Hashable, Sendable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var description: String { "\(line):\(column)" }
    }

    public func position(of offset: Int) -> Position {
        let line = lineIndex(of: offset)
        let start = lineStarts[line]
        let clamped = min(max(offset, start), utf8.count)
        // Count scalars: every byte that is not a UTF-8 continuation byte starts one.
        let column = utf8[start..<clamped].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } + 1
        return Position(line: line + 1, column: column)
    }

    /// The 0-based index of the line holding `offset`.
    public func lineIndex(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// The text of a 0-based line, without its line break.
    public func line(_ index: Int) -> String {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : utf8.count
        if end > start && utf8[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: utf8[start..<max(start, end)], as: UTF8.self)
    }

    /// The offset where a 0-based line starts.
    public func lineStart(_ index: Int) -> Int { lineStarts[index] }

    /// The source text of a range.
    public func text(_ range: SourceRange) -> String {
        String(decoding: utf8[max(0, range.start)..<min(range.end, utf8.count)], as: UTF8.self)
    }
}
