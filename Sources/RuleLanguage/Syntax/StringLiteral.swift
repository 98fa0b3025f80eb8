import BackupJobs

/// Strings written as the rule language writes them: between quotes, with `\"`, `\\`, `\n`,
/// `\t`, `\r` and `\u{...}` for the other control characters. The formatter prints string
/// literals this way, and explanations quote data this way, so a quote or a newline inside a
/// value cannot end the value or forge a line of a report.
///
/// A control character is written as terminal text writes it (`TerminalText.escape`), so a value
/// reads the same in a rule file and on a terminal.
public enum StringLiteral {
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += TerminalText.escape(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
