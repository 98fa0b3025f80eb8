/// A pattern where `*` stands for any run of characters, empty included, and every other
/// character for itself, case sensitive; the whole text must match. It is the wildcard of
/// selection ARNs (`arn:aws:ec2:*:*:volume/*`) and of `StringLike` tag values (`*rod*`).
///
/// Matching is by the pattern's literal pieces: the first must begin the text, the last end it,
/// and each one between is found leftmost after the one before (leftmost is never wrong: a later
/// place leaves less room for what follows). Time is at most the text's length times the
/// pattern's; both are bounded by the decoder.
public struct WildcardPattern: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let text: String
    private let pieces: [[UInt8]]

    public init(_ text: String) {
        self.text = text
        pieces = text.utf8.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
    }

    public var hasWildcard: Bool { pieces.count > 1 }

    /// `*` only (or `**`...): everything.
    public var matchesEverything: Bool { pieces.allSatisfy(\.isEmpty) && hasWildcard }

    public var description: String { text }

    public func matches(_ candidate: String) -> Bool {
        matches(utf8: Array(candidate.utf8))
    }

    /// The same for text already in UTF-8: a resource's ARN is converted once for all selections.
    public func matches(utf8 bytes: [UInt8]) -> Bool {
        guard hasWildcard else { return bytes == pieces[0] }
        let first = pieces[0]
        let last = pieces[pieces.count - 1]
        guard bytes.count >= first.count + last.count, bytes.starts(with: first), bytes.suffix(last.count).elementsEqual(last)
        else { return false }
        var position = first.count
        let end = bytes.count - last.count
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = Self.find(piece, in: bytes, from: position, before: end) else { return false }
            position = found + piece.count
        }
        return true
    }

    /// The first index at or after `start` where `piece` lies wholly before `end`.
    private static func find(_ piece: [UInt8], in bytes: [UInt8], from start: Int, before end: Int) -> Int? {
        guard end - start >= piece.count else { return nil }
        var index = start
        while index + piece.count <= end {
            if bytes[index] == piece[0], bytes[index..<index + piece.count].elementsEqual(piece) { return index }
            index += 1
        }
        return nil
    }
}
