import BackupJobs

/// Renders diagnostics as swiftc and rustc do:
///
///     rules/pack.rules:12:23: error[type.unknown-field]: unknown field 'IamRoleARN'
///        |
///     12 |   every job satisfies IamRoleARN contains "x"
///        |                       ^^^^^^^^^^
///        = note: did you mean 'IamRoleArn'?
///
/// Carets line up under the source however wide its characters are (CJK and emoji take two
/// columns). Control and bidirectional characters of the file, its name and the messages quoting
/// it are shown escaped (`TerminalText`), and the carets count the escapes' width.
public enum DiagnosticRenderer {
    /// - Parameter sources: the files diagnostics may point into, by name.
    public static func render(_ diagnostic: Diagnostic, sources: [String: SourceFile]) -> String {
        let message = TerminalText.escaped(diagnostic.message)
        guard let source = sources[diagnostic.file] else {
            return "\(TerminalText.escaped(diagnostic.file)): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(message)"
                + diagnostic.notes.map { "\n  = note: \(TerminalText.escaped($0.message))" }.joined()
        }
        let name = TerminalText.escaped(source.name)
        let position = source.position(of: diagnostic.range.start)
        var lines = ["\(name):\(position): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(message)"]
        let lineIndex = source.lineIndex(of: diagnostic.range.start)
        let number = String(lineIndex + 1)
        let gutter = String(repeating: " ", count: number.count)
        let text = TerminalText.escaped(source.line(lineIndex), keeping: ["\t"])
        lines.append("\(gutter) |")
        lines.append("\(number) | \(text)")
        lines.append("\(gutter) | " + underline(diagnostic.range, in: source, lineIndex: lineIndex))
        for note in diagnostic.notes {
            let noteMessage = TerminalText.escaped(note.message)
            if let range = note.range {
                lines.append("\(gutter) = note: \(noteMessage) (\(name):\(source.position(of: range.start)))")
            } else {
                lines.append("\(gutter) = note: \(noteMessage)")
            }
        }
        return lines.joined(separator: "\n")
    }

    public static func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
        diagnostics.map { render($0, sources: sources) }.joined(separator: "\n\n")
    }

    /// Spaces up to the range's start, then carets under its first line (at least one).
    static func underline(_ range: SourceRange, in source: SourceFile, lineIndex: Int) -> String {
        let text = source.line(lineIndex)
        var spaces = 0, carets = 0, offset = source.lineStart(lineIndex)
        for character in text {
            let width = shownWidth(character)
            let size = character.utf8.count
            if offset < range.start {
                spaces += character == "\t" ? 1 : width
            } else if offset < range.end {
                carets += width
            }
            offset += size
        }
        return String(repeating: " ", count: spaces) + String(repeating: "^", count: max(1, carets))
    }

    /// Columns a character of the source takes as shown: its escape's length when it is shown
    /// escaped (ESC is `\u{1B}`, six columns), else its display width.
    static func shownWidth(_ character: Character) -> Int {
        guard character != "\t", character.unicodeScalars.contains(where: TerminalText.needsEscape) else { return displayWidth(character) }
        return character.unicodeScalars.reduce(0) { width, scalar in
            width + (TerminalText.needsEscape(scalar) ? TerminalText.escape(scalar).count : displayWidth(Character(scalar)))
        }
    }

    /// Terminal columns a character takes: 2 for East Asian wide characters and emoji.
    static func displayWidth(_ character: Character) -> Int {
        if character.isASCII { return 1 }
        guard let scalar = character.unicodeScalars.first else { return 0 }
        if character.unicodeScalars.count > 1 && character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation || $0.value == 0xFE0F }) {
            return 2
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
