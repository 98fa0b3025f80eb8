import Foundation
import Testing

@testable import RuleLanguage

/// The parser, checker and formatter on arbitrary input: never a crash or a hang, and the
/// formatter's promises (idempotent, same tree) on every input that parses. `Scripts/fuzz.sh rules`
/// runs the same invariants under libFuzzer for longer.
struct RobustnessTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let vocabulary = [
        "rule", "r", "ebs-daily", "{", "}", "title", "\"t\"", "severity", "high", "controls", "\"a\"", ",", "every", "no",
        "job", "resource", "type", "account", "group", "by", "where", "satisfies", "has", "at", "least", "most", "exactly",
        "jobs", "latest", "in", "each", "of", "the", "last", "days", "and", "or", "not", "(", ")", "[", "]", "==", "!=", "<",
        ">=", "+", "-", "*", "/", ".", "State", "COMPLETED", "CreatedBy", "BackupPlanId", "BackupOptions", "WindowsVSS",
        "CreationDate", "within", "24h", "7d", "5%", "500 MiB", "2027-01-31", "now", "count", "share", "extra", "contains",
        "starts", "with", "matches", "\"^a(\"", "like", "\"p-*\"", "\"a\\\\\"", "ignoring", "case", "exists", "is", "missing", "param", "p", "=", "waive",
        "for", "until", "because", "\"why\"", "#c\n", "\n", "日本", "🎌", "\"unterminated", "\\", "@", "0", "1.5",
    ]

    static func check(_ text: String) {
        let source = SourceFile(name: "fuzz.rules", text: text)
        let (file, diagnostics) = Parser.parse(source)
        _ = RuleSet.compile([source])
        _ = DiagnosticRenderer.render(diagnostics, sources: [source.name: source])
        guard !diagnostics.hasErrors else { return }
        let formatted = Formatter.format(file, source: source)
        let reparsedSource = SourceFile(name: "fuzz.rules", text: formatted)
        let (reparsed, again) = Parser.parse(reparsedSource)
        #expect(!again.hasErrors, "formatted text does not parse:\n\(formatted)\nfrom:\n\(text)")
        #expect(SyntaxDump.dump(reparsed) == SyntaxDump.dump(file), "formatting changed the tree of:\n\(text)")
        #expect(Formatter.format(reparsed, source: reparsedSource) == formatted, "formatting is not idempotent on:\n\(text)")
    }

    @Test(arguments: 0..<6)
    func tokenSoupNeverBreaksTheParser(_ seed: Int) {
        var random = SplitMix64(state: UInt64(seed) &* 1_000_003)
        for _ in 0..<300 {
            let count = Int.random(in: 1...40, using: &random)
            let text = (0..<count).map { _ in Self.vocabulary.randomElement(using: &random)! }.joined(separator: " ")
            Self.check(text)
        }
    }

    @Test(arguments: 0..<4)
    func mutatedRuleFilesNeverBreakTheParser(_ seed: Int) throws {
        let pack = try String(contentsOf: CheckerTests.packURL, encoding: .utf8)
        var random = SplitMix64(state: UInt64(seed) &+ 77)
        for _ in 0..<150 {
            var bytes = Array(pack.utf8)
            for _ in 0..<Int.random(in: 1...4, using: &random) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert(Array("{}()[]\"#\n=-.,%".utf8).randomElement(using: &random)!, at: index)
                default: bytes[index] = UInt8.random(in: 0x20...0x7E, using: &random)
                }
            }
            Self.check(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func deepNestingIsADiagnosticNotAStackOverflow() {
        for opener in ["(", "not ", "-", "["] {
            let text = "rule r {\n  title \"t\"\n  every job satisfies " + String(repeating: opener, count: 100_000) + "Finished\n}\n"
            let (_, diagnostics) = Parser.parse(SourceFile(name: "deep", text: text))
            #expect(diagnostics.contains { $0.code == .tooDeep }, "\(opener)")
        }
    }

    @Test func aLongChainOfAndsIsFine() {
        let chain = Array(repeating: "Finished", count: 5_000).joined(separator: " and ")
        _ = compileClean(rule("every job satisfies " + chain))
    }
}

/// Inputs fuzzing found (`Scripts/fuzz.sh rules`); each once broke an invariant.
struct FuzzRegressionTests {
    @Test func aFieldOfAPickedJobIsChecked() {
        assertDiagnostics("rule r {\n  title \"t\"\n  every account satisfies latest(jobs).1️⃣X == 1\n}\n",
                          [DiagnosticSpec(.unknownField, message: "unknown field 'X'")])
        _ = RuleSet.compile([SourceFile(name: "f", text: "rule b{every group by CreatedBy.BackupPlanId satisfies latest(jobs).S")])
    }

    @Test(arguments: ["#\r\r", "rule r { every job satisfies A }\n#\r\r\n", "# a  \t\r\n", "rule r { title \"t\"\n every job satisfies Finished } # x \r\r\n"])
    func commentsWithTrailingBlanksFormatIdempotently(_ text: String) {
        RobustnessTests.check(text)
    }

    @Test func aCombiningMarkAfterAQuoteDoesNotHideTheString() {
        let text = "rule a {\n  every job satisfies A == \"x\" and Name == \"\u{0301}" + String(repeating: "a", count: 60) + " and "
            + String(repeating: "b", count: 40) + "\"\n}\n"
        RobustnessTests.check(text)
        RobustnessTests.check(text.replacingOccurrences(of: "\u{0301}", with: "\u{0600}"))
    }
}
