/// Text for a terminal, from job data, rule files or arguments: every character that could move
/// the cursor, restyle or rewrite the screen (ESC, BEL, CR, NUL...), break a line, or reorder what
/// is shown (the Unicode bidirectional controls, "Trojan Source") is written as a visible escape,
/// as the rule language writes it: `\n`, `\r`, `\t`, `\u{1B}`, `\u{202E}`. Everything else,
/// accented letters, CJK and emoji included, is left as it is.
///
/// The one place this is decided: every text report, table, test result and message a person
/// reads goes through it. Machine formats (JSON, CSV, JUnit, SARIF) keep exact values instead,
/// escaped as their own format requires.
public enum TerminalText {
    /// `text` with every unsafe character escaped, except those in `kept` (a multi-line message
    /// keeps `\n`; a source line keeps `\t`, which only moves to the next tab stop).
    public static func escaped(_ text: String, keeping kept: Set<Unicode.Scalar> = []) -> String {
        let scalars = text.unicodeScalars
        guard scalars.contains(where: { needsEscape($0) && !kept.contains($0) }) else { return text }
        // Runs of safe characters are copied whole (as UTF-8), not a scalar at a time.
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        var runStart = scalars.startIndex
        for index in scalars.indices {
            let scalar = scalars[index]
            guard needsEscape(scalar), !kept.contains(scalar) else { continue }
            out += Substring(scalars[runStart..<index])
            out += escape(scalar)
            runStart = scalars.index(after: index)
        }
        out += Substring(scalars[runStart...])
        return out
    }

    /// Whether a character is shown escaped: C0 and C1 controls, DEL, the line and paragraph
    /// separators, and the bidirectional marks, embeddings, overrides and isolates.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }

    /// How an escaped character is written.
    public static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": "\\n"
        case "\r": "\\r"
        case "\t": "\\t"
        default: "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }
}
