public import BackupJobs

/// A token of the rule language. Keywords are identifiers: the parser reads them by context,
/// so a new keyword never breaks an existing field name.
public struct Token: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case identifier(String)
        case string(String)
        /// A plain number, kept as written so values are exact.
        case number(String)
        /// Milliseconds: `90m`, `24h`, `1h30m`.
        case duration(Int64)
        /// A number with a size unit written against it (`500MiB`); `500 MiB` is a number and an identifier.
        case size(Int64)
        /// A fraction: `5%` is 0.05.
        case percent(Double)
        /// `2027-01-31` (midnight UTC) or `2027-01-31T12:00:00Z`.
        case timestamp(Timestamp, isDate: Bool)
        case punctuation(String)
        case endOfFile
    }

    public var kind: Kind
    public var range: SourceRange
    /// The first token on its line: where error recovery may resume.
    public var startsLine = false

    public func isIdentifier(_ word: String) -> Bool {
        if case .identifier(word) = kind { return true }
        return false
    }

    public func isPunctuation(_ symbol: String) -> Bool {
        if case .punctuation(symbol) = kind { return true }
        return false
    }

    public var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }

    /// How the token reads in "expected X, found Y".
    public var displayName: String {
        switch kind {
        case .identifier(let name): "'\(name)'"
        case .string: "a string"
        case .number(let text): "the number \(text)"
        case .duration: "a duration"
        case .size: "a size"
        case .percent: "a percentage"
        case .timestamp(_, let isDate): isDate ? "a date" : "a timestamp"
        case .punctuation(let symbol): "'\(symbol)'"
        case .endOfFile: "the end of the file"
        }
    }
}

/// A `#` comment: kept for the formatter.
public struct Comment: Hashable, Sendable {
    /// The text after `#`, without the line break.
    public var text: String
    public var range: SourceRange
    /// Code precedes the comment on its line.
    public var isTrailing: Bool
}

/// Units a size may be written in: decimal (1 GB = 10^9 bytes) and binary (1 GiB = 2^30).
enum SizeUnit {
    static let bytes: [String: Int64] = [
        "B": 1, "KB": 1_000, "MB": 1_000_000, "GB": 1_000_000_000, "TB": 1_000_000_000_000,
        "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40,
    ]

    /// `number × unit` bytes exactly (`1.5 GiB` is 1610612736), the fraction rounded to the
    /// nearest byte; nil beyond `Int64`. `number` is digits with at most one `.`, as the lexer
    /// reads it.
    static func bytes(_ number: String, times unit: Int64) -> Int64? {
        let parts = number.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, let whole = Int64(wholeText) else { return nil }
        let (product, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        guard parts.count == 2 else { return product }
        // A fraction of one unit (at most 2^40 bytes) always converts.
        guard let fraction = Double("0." + parts[1]) else { return nil }
        let (sum, overflow2) = product.addingReportingOverflow(Int64((fraction * Double(unit)).rounded()))
        return overflow2 ? nil : sum
    }
}

