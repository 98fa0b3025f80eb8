import BackupJobs

/// Text from the data or the rule files, made safe for an HTML page: the characters that could
/// end an element or an attribute (`<`, `>`, `&`, `"`, `'`) become references, and the controls
/// and bidirectional marks that could hide or reorder what is shown are written visibly
/// (`\u{202E}`), as every report a person reads writes them (`TerminalText`).
///
/// Plot (the HTML library on the package list) was not used for this: it writes attribute values
/// as given, keeps `&amp;`-like references in text as references (so data holding `&#x202E;` would
/// show a real override), and compares Characters, where `<` followed by a combining mark is not `<`.
/// This goes by Unicode scalars, like the Markdown writer.
enum HTMLText {
    /// `text` for an element's content or an attribute's value (quoted with `"`).
    static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
        let visible = TerminalText.escaped(text, keeping: keepingNewlines ? ["\n"] : [])
        guard visible.unicodeScalars.contains(where: { reference(for: $0) != nil }) else { return visible }
        var out = String.UnicodeScalarView()
        for scalar in visible.unicodeScalars {
            if let reference = reference(for: scalar) { out.append(contentsOf: reference.unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    private static func reference(for scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "&": "&amp;"
        case "<": "&lt;"
        case ">": "&gt;"
        case "\"": "&quot;"
        case "'": "&#39;"
        default: nil
        }
    }
}
