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
        let (text, underline) = layout.shown(diagnostic.range)
        lines.append("\(gutter) |")
        lines.append("\(number) | \(text)")
        lines.append("\(gutter) | " + underline)
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

    /// One source line as shown: where each character starts (a file offset) with the columns
    /// shown before it, so placing an underline is two binary searches. A line wider than
    /// `maximumColumns` is shown as a window around the range, cut with `…` as rustc cuts long
    /// lines, so a diagnostic costs the window, not the line.
    struct LineLayout {
        static let maximumColumns = 120
        /// The line's UTF-8 bytes, without its line break.
        private let bytes: [UInt8]
        private let lineStart: Int
        /// The file offset of each character of the line, ascending, and the line's end.
        private let characterStarts: [Int]
        /// `columnsBefore[i]`: the columns the first `i` characters take as shown (a tab one:
        /// the text keeps it, and a terminal moves the carets with it).
        private let columnsBefore: [Int]

        init(source: SourceFile, lineIndex: Int) {
            let text = source.line(lineIndex)
            bytes = Array(text.utf8)
            lineStart = source.lineStart(lineIndex)
            var starts: [Int] = [], columns = [0], offset = lineStart
            for character in text {
                starts.append(offset)
                columns.append(columns[columns.count - 1] + (character == "\t" ? 1 : shownWidth(character)))
                offset += character.utf8.count
            }
            starts.append(offset)
            characterStarts = starts
            columnsBefore = columns
        }

        private var characterCount: Int { columnsBefore.count - 1 }

        /// The line as shown (escaped; a window of it when it is too wide) and its underline:
        /// spaces under the characters starting before the range, then a caret per column of the
        /// characters starting inside it (at least one).
        func shown(_ range: SourceRange) -> (text: String, underline: String) {
            let first = charactersStarting(before: range.start)
            let last = charactersStarting(before: max(range.start, range.end))
            let (from, to) = window(around: first)
            var text = TerminalText.escaped(
                String(decoding: bytes[(characterStarts[from] - lineStart)..<(characterStarts[to] - lineStart)], as: UTF8.self),
                keeping: ["\t"])
            var spaces = columnsBefore[first] - columnsBefore[from]
            if from > 0 { text = "…" + text; spaces += 1 }
            if to < characterCount { text += "…" }
            let carets = columnsBefore[min(last, to)] - columnsBefore[first]
            return (text, String(repeating: " ", count: spaces) + String(repeating: "^", count: max(1, carets)))
        }

        /// The characters `from..<to` to show: the whole line when it fits, else at most
        /// `maximumColumns` columns holding the character `first`, a third of the way in.
        private func window(around first: Int) -> (from: Int, to: Int) {
            let width = Self.maximumColumns
            guard columnsBefore[characterCount] > width else { return (0, characterCount) }
            let left = min(max(0, columnsBefore[first] - width / 3), columnsBefore[characterCount] - width)
            var from = firstCharacter(atOrAfterColumn: left)
            from = min(from, first)
            let to = max(from + 1, firstCharacter(atOrAfterColumn: columnsBefore[from] + width + 1) - 1)
            return (from, min(to, characterCount))
        }

        /// How many characters of the line start before `offset`.
        private func charactersStarting(before offset: Int) -> Int {
            var low = 0, high = characterCount
            while low < high {
                let middle = (low + high) / 2
                if characterStarts[middle] < offset { low = middle + 1 } else { high = middle }
            }
            return low
        }

        /// The first `i` with `columnsBefore[i] >= column` (`characterCount + 1` if none).
        private func firstCharacter(atOrAfterColumn column: Int) -> Int {
            var low = 0, high = columnsBefore.count
            while low < high {
                let middle = (low + high) / 2
                if columnsBefore[middle] < column { low = middle + 1 } else { high = middle }
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
