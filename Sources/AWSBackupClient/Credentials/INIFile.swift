/// The INI dialect of `~/.aws/credentials` and `~/.aws/config`, read as botocore (Python's
/// `configparser`) and the other SDKs read it:
///
/// - `[section]` headers; a `#` or `;` comment may follow the `]`;
/// - `name = value` (or `name: value`) settings; names are case-insensitive (lower-cased here),
///   names and values are trimmed; a `#` or `;` after whitespace starts a comment in a value;
/// - whole-line `#` and `;` comments, blank lines;
/// - a line indented deeper than the setting above it continues that setting: under an empty
///   value (`s3 =`) the indented lines are a sub-section (kept apart, never mixed into the
///   section's own settings), under a non-empty value they are joined to it with newlines;
/// - a section repeated later adds to the first; a setting repeated later replaces the first.
///
/// Errors name the line, never its text: the line may hold a secret.
public struct INIFile: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var name: String
        public var values: [String: String]
        /// `s3 =` followed by indented `name = value` lines: `["s3": ["addressing_style": "path"]]`.
        public var subsections: [String: [String: String]]

        public init(name: String, values: [String: String] = [:], subsections: [String: [String: String]] = [:]) {
            self.name = name
            self.values = values
            self.subsections = subsections
        }
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String

        public var description: String { "line \(line): \(message)" }
    }

    /// In the order they first appear.
    public var sections: [Section]

    public init(sections: [Section]) {
        self.sections = sections
    }

    public func section(_ name: String) -> Section? {
        sections.first { $0.name == name }
    }

    public static func parse(_ text: String) throws(ParseError) -> INIFile {
        var sections: [Section] = []
        var index: [String: Int] = [:]
        var current: Int?
        /// The setting that indented lines continue: its name, its line's indentation, and
        /// whether it opened a sub-section (empty value).
        var open: (name: String, indent: Int, isSubsection: Bool)?

        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        // `\r\n` is one Character in Swift: split on it, `\n` and a lone `\r` alike.
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        for (offset, rawLine) in lines.enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count
            let content = trimmed(line)
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix(";") { continue }

            if let setting = open, indent > setting.indent, let section = current {
                if setting.isSubsection {
                    // `s3 =` then `  addressing_style = path`: keep it apart. A line without a
                    // delimiter in a sub-section is skipped rather than failing the whole file.
                    if let (name, value) = splitSetting(content) {
                        sections[section].subsections[setting.name, default: [:]][name] = value
                    }
                } else {
                    sections[section].values[setting.name, default: ""] += "\n" + stripComment(content)
                }
                continue
            }

            if content.hasPrefix("[") {
                guard let close = content.firstIndex(of: "]") else {
                    throw ParseError(line: lineNumber, message: "a section header must end with ']'")
                }
                let after = trimmed(content[content.index(after: close)...])
                guard after.isEmpty || after.hasPrefix("#") || after.hasPrefix(";") else {
                    throw ParseError(line: lineNumber, message: "unexpected text after the section header's ']'")
                }
                let name = trimmed(content[content.index(after: content.startIndex)..<close])
                guard !name.isEmpty else { throw ParseError(line: lineNumber, message: "empty section name") }
                if let existing = index[name] {
                    current = existing
                } else {
                    index[name] = sections.count
                    current = sections.count
                    sections.append(Section(name: name))
                }
                open = nil
                continue
            }

            guard let section = current else {
                throw ParseError(line: lineNumber, message: "a setting before any [section] header")
            }
            guard let (name, value) = splitSetting(content) else {
                throw ParseError(line: lineNumber, message: "expected 'name = value', a [section] header or a comment")
            }
            sections[section].values[name] = value
            if value.isEmpty { sections[section].subsections[name] = sections[section].subsections[name] ?? [:] }
            open = (name, indent, value.isEmpty)
        }
        return INIFile(sections: sections)
    }

    /// `Name = value # note` → (`name`, `value`); nil without a delimiter or with an empty name.
    static func splitSetting<S: StringProtocol>(_ content: S) -> (String, String)? {
        guard let delimiter = content.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return nil }
        let name = trimmed(content[..<delimiter]).lowercased()
        guard !name.isEmpty else { return nil }
        return (name, stripComment(content[content.index(after: delimiter)...]))
    }

    /// A value without a trailing comment: `#` or `;` preceded by whitespace.
    static func stripComment<S: StringProtocol>(_ value: S) -> String {
        var previousIsBlank = false
        var end = value.endIndex
        for index in value.indices {
            let character = value[index]
            if (character == "#" || character == ";") && previousIsBlank {
                end = index
                break
            }
            previousIsBlank = character == " " || character == "\t"
        }
        return trimmed(value[..<end])
    }

    static func trimmed<S: StringProtocol>(_ text: S) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(text[first...last])
    }
}
