import Foundation
import Testing

@testable import RuleLanguage

struct FormatterTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Goldens")
    static let packageRoot = goldens.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func format(_ text: String) -> String {
        let source = SourceFile(name: "t.rules", text: text)
        let (file, diagnostics) = Parser.parse(source)
        #expect(!diagnostics.hasErrors, "\(diagnostics.map(\.message))")
        return Formatter.format(file, source: source)
    }

    static func tree(_ text: String) -> String {
        SyntaxDump.dump(Parser.parse(SourceFile(name: "t.rules", text: text)).file)
    }

    /// Every rule file the project ships, plus the messy golden input.
    static func corpus() throws -> [String] {
        let files = [goldens.appendingPathComponent("messy.rules"), packageRoot.appendingPathComponent("examples/benchmark/pack.rules")]
            + ((try? FileManager.default.contentsOfDirectory(at: packageRoot.appendingPathComponent("rules"), includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "rules" }
        return try files.map { try String(contentsOf: $0, encoding: .utf8) }
    }

    @Test func matchesTheGolden() throws {
        let input = try String(contentsOf: Self.goldens.appendingPathComponent("messy.rules"), encoding: .utf8)
        let formatted = Self.format(input)
        let goldenURL = Self.goldens.appendingPathComponent("messy.formatted.rules")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try Data(formatted.utf8).write(to: goldenURL)
        }
        #expect(formatted == (try String(contentsOf: goldenURL, encoding: .utf8)), "rerun with UPDATE_GOLDENS=1 if the change is intended")
    }

    @Test func isIdempotentAndKeepsTheTreeAndEveryComment() throws {
        for text in try Self.corpus() {
            let once = Self.format(text)
            #expect(Self.format(once) == once)
            #expect(Self.tree(once) == Self.tree(text))
            let comments = Parser.parse(SourceFile(name: "t", text: text)).file.comments.map(\.text)
            #expect(Parser.parse(SourceFile(name: "t", text: once)).file.comments.map(\.text) == comments)
        }
    }

    @Test func shippedRuleFilesAreFormatted() throws {
        let files = ["examples/benchmark/pack.rules", "examples/benchmark/kinds.rules", "rules/copies-and-restores/aws-backup-copies-and-restores.rules",
                     "rules/copies-and-restores/aws-backup-copies-and-restores_test.rules"].map(Self.packageRoot.appendingPathComponent)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(Self.format(text) == text, "\(file.lastPathComponent) is not formatted: run backup-audit fmt")
        }
    }

    @Test func longConditionsBreakBeforeAndOr() {
        let long = "rule r {\n  title \"t\"\n  every job where ResourceType == \"EC2\" and BackupOptions.WindowsVSS exists and IamRoleArn contains \"AWSBackup\" and Duration < 8h satisfies BackupOptions.WindowsVSS == \"enabled\"\n}\n"
        let formatted = Self.format(long)
        #expect(formatted.split(separator: "\n").allSatisfy { $0.count <= Formatter.width })
        #expect(Self.tree(formatted) == Self.tree(long))
    }

    @Test func stringsAreEscapedCanonically() {
        #expect(ExpressionPrinter.quoted("a\"b\\c\nd\u{1}é") == "\"a\\\"b\\\\c\\nd\\u{1}é\"")
    }
}
