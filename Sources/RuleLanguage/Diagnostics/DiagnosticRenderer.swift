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
        var layouts = LineLayouts()
        return render(diagnostic, sources: sources, layouts: &layouts)
    }

    /// Renders every diagnostic; a line several diagnostics point into is laid out once, so a
    /// long line with many diagnostics costs its length once, not once per diagnostic.
    public static func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
        var layouts = LineLayouts()
        return diagnostics.map { render($0, sources: sources, layouts: &layouts) }.joined(separator: "\n\n")
    }

    static func render(_ diagnostic: Diagnostic, sources: [String: SourceFile], layouts: inout LineLayouts) -> String {
        let message = TerminalText.escaped(diagnostic.message)
        guard let source = sources[diagnostic.file] else {
            return "\(TerminalText.escaped(diagnostic.file)): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(message)"
                + diagnostic.notes.map { "\n  = note: \(TerminalText.escaped($0.message))" }.joined()
        }
        let name = TerminalText.escaped(source.name)
        let position = source.position(of: diagnostic.range.start)
        var lines = ["\(name):\(position): \(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]: \(message)"]
        let lineIndex = source.lineIndex(of: diagnostic.range.start)
        let layout = layouts.layout(of: lineIndex, in: source)
        let number = String(lineIndex + 1)
        let gutter = String(repeating: " ", count: number.count)
        lines.append("\(gutter) |")
        lines.append("\(number) | \(layout.shownText)")
        lines.append("\(gutter) | " + layout.underline(diagnostic.range))
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

    /// Spaces up to the range's start, then carets under its first line (at least one).
    static func underline(_ range: SourceRange, in source: SourceFile, lineIndex: Int) -> String {
        LineLayout(source: source, lineIndex: lineIndex).underline(range)
    }

    /// The lines laid out so far in one render call, by file and line.
    struct LineLayouts {
        private var laidOut: [String: [Int: LineLayout]] = [:]

        mutating func layout(of lineIndex: Int, in source: SourceFile) -> LineLayout {
            if let layout = laidOut[source.name]?[lineIndex] { return layout }
            let layout = LineLayout(source: source, lineIndex: lineIndex)
            laidOut[source.name, default: [:]][lineIndex] = layout
            return layout
        }
    }

    /// One source line as shown: its escaped text, and where each character starts (a file
    /// offset) with the columns shown before it, so an underline is two binary searches.
    struct LineLayout {
        let shownText: String
        /// The file offset of each character of the line, ascending.
        private let characterStarts: [Int]
        /// `columnsBefore[i]`: the columns the first `i` characters take as shown (a tab one:
        /// the text keeps it, and a terminal moves the carets with it).
        private let columnsBefore: [Int]

        init(source: SourceFile, lineIndex: Int) {
            let text = source.line(lineIndex)
            shownText = TerminalText.escaped(text, keeping: ["\t"])
            var starts: [Int] = [], columns = [0], offset = source.lineStart(lineIndex)
            for character in text {
                starts.append(offset)
                columns.append(columns[columns.count - 1] + (character == "\t" ? 1 : shownWidth(character)))
                offset += character.utf8.count
            }
            characterStarts = starts
            columnsBefore = columns
        }

        /// Spaces under the characters starting before the range, then a caret per column of
        /// the characters starting inside it (at least one).
        func underline(_ range: SourceRange) -> String {
            let spaces = columnsBefore[charactersStarting(before: range.start)]
            let carets = columnsBefore[charactersStarting(before: max(range.start, range.end))] - spaces
            return String(repeating: " ", count: spaces) + String(repeating: "^", count: max(1, carets))
        }

        /// How many characters of the line start before `offset`.
        private func charactersStarting(before offset: Int) -> Int {
            var low = 0, high = characterStarts.count
            while low < high {
                let middle = (low + high) / 2
                if characterStarts[middle] < offset { low = middle + 1 } else { high = middle }
            }
            return low
        }
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
