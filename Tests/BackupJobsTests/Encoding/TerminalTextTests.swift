import BackupJobs
import Testing

/// What a terminal is shown of a value: controls and bidirectional marks escaped, nothing else.
struct TerminalTextTests {
    @Test(arguments: [
        ("plain ARN arn:aws:ec2:eu-west-1:1:volume/vol-1", "plain ARN arn:aws:ec2:eu-west-1:1:volume/vol-1"),
        ("é 日本 🚀 \\ \"", "é 日本 🚀 \\ \""),
        ("\u{1B}[31mred\u{1B}[0m", "\\u{1B}[31mred\\u{1B}[0m"),
        ("bell\u{07} nul\u{00} del\u{7F}", "bell\\u{7} nul\\u{0} del\\u{7F}"),
        ("a\r\nb\tc", "a\\r\\nb\\tc"),
        ("csi\u{9B}2J nel\u{85}", "csi\\u{9B}2J nel\\u{85}"),
        ("\u{202E}evil\u{202C} \u{2066}i\u{2069} \u{200F}\u{200E}\u{061C}", "\\u{202E}evil\\u{202C} \\u{2066}i\\u{2069} \\u{200F}\\u{200E}\\u{61C}"),
        ("line\u{2028}para\u{2029}", "line\\u{2028}para\\u{2029}"),
    ])
    func escapes(_ text: String, _ shown: String) {
        #expect(TerminalText.escaped(text) == shown)
    }

    @Test func aMessageKeepsItsLinesAndASourceLineItsTabs() {
        #expect(TerminalText.escaped("one\u{1B}\ntwo\r", keeping: ["\n"]) == "one\\u{1B}\ntwo\\r")
        #expect(TerminalText.escaped("\tx\u{07}", keeping: ["\t"]) == "\tx\\u{7}")
    }
}
