import Foundation
import Testing

@testable import RuleLanguage

/// The language reference's examples compile, and the diagnostics catalogue is current.
struct DocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The ```rules blocks of a Markdown file.
    static func ruleBlocks(in path: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```rules" {
                current = []
            } else if current != nil, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else if current != nil {
                current!.append(line)
            }
        }
        return blocks
    }

    @Test func everyLanguageExampleCompilesWithoutWarnings() throws {
        let blocks = try Self.ruleBlocks(in: "docs/language.md")
        #expect(blocks.count >= 9)
        for (index, block) in blocks.enumerated() {
            let (program, diagnostics) = RuleSet.compile([SourceFile(name: "language.md example \(index + 1)", text: block)])
            #expect(program != nil && diagnostics.isEmpty, "example \(index + 1): \(diagnostics.map { "\($0.code.rawValue): \($0.message)" })\n\(block)")
        }
    }

    @Test func everyLanguageExampleIsFormatted() throws {
        for block in try Self.ruleBlocks(in: "docs/language.md") {
            let source = SourceFile(name: "example", text: block)
            #expect(Formatter.format(Parser.parse(source).file, source: source) == block)
        }
    }

    /// `docs/diagnostics.md`, generated from the codes and the catalogue's examples.
    static func catalogue() -> String {
        var lines = [
            "# Diagnostics",
            "",
            "<!-- GENERATED from DiagnosticCode and Tests/RuleLanguageTests/Check/DiagnosticCatalogueTests.swift;",
            "     regenerate with UPDATE_GOLDENS=1 swift test --filter DocsTests -->",
            "",
            "Every problem backup-audit finds in rule files, by its stable code. Errors stop evaluation",
            "(exit status 2); warnings do not, unless `lint --strict`. Each example below is the input of",
            "a test, and the output is what `backup-audit lint` prints for it.",
            "",
            "| code | severity | meaning |",
            "|---|---|---|",
        ]
        for code in DiagnosticCode.allCases {
            lines.append("| [`\(code.rawValue)`](#\(code.rawValue.replacingOccurrences(of: ".", with: ""))) | \(code.defaultSeverity.rawValue) | \(code.summary.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        let examples = Dictionary(DiagnosticCatalogueTests.cases.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for code in DiagnosticCode.allCases {
            lines += ["", "## \(code.rawValue)", "", code.summary.prefix(1).uppercased() + code.summary.dropFirst() + "."]
            guard let example = examples[code] else {
                lines += ["", "Reported by the command line when it reads rule files (`lint`, `fmt`, `check`)."]
                continue
            }
            let source = SourceFile(name: "example.rules", text: MarkedSource(example.source).text)
            // The overrides as `lint --param` names them: the catalogue shows what lint prints.
            let overrides = example.overrides.map { ParameterOverride(name: $0.0, value: $0.1, sourceName: "--param \($0.0)") }
            let (_, diagnostics) = RuleSet.compile([source], overrides: overrides, now: example.now)
            var sources = ["example.rules": source]
            for override in overrides { sources[override.value.name] = override.value }
            let shown = diagnostics.filter { $0.code == code }
            lines += ["", "```rules", source.text.trimmingCharacters(in: .newlines), "```"]
            if !example.overrides.isEmpty {
                lines += ["", "with " + example.overrides.map { "`--param \($0.0)=\($0.1)`" }.joined(separator: " ")]
            }
            lines += ["", "```", DiagnosticRenderer.render(shown, sources: sources), "```"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func diagnosticsCatalogueIsCurrent() throws {
        let url = Self.root.appendingPathComponent("docs/diagnostics.md")
        let generated = Self.catalogue()
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try Data(generated.utf8).write(to: url)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == generated, "regenerate with UPDATE_GOLDENS=1 swift test --filter DocsTests")
    }

    /// The shipped pack: `rules/*.rules` and `rules/copies-and-restores/*.rules`, as
    /// `check --rules rules/ rules/copies-and-restores/` reads them.
    static func pack() throws -> [ParsedRuleFile] {
        try ["rules/", "rules/copies-and-restores/"].flatMap { folder in
            let directory = root.appendingPathComponent(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".rules") }.sorted()
            return try names.map { name in
                ParsedRuleFile(SourceFile(name: folder + name, text: try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
            }
        }
    }

    @Test func everyShippedRuleHasAPassingAndAFailingTest() throws {
        let (program, diagnostics) = RuleSet.compile(try Self.pack())
        let compiled = try #require(program, "\(diagnostics)")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let expectations = compiled.tests.flatMap(\.expectations)
        for rule in compiled.rules {
            #expect(expectations.contains { $0.rule == rule.id && $0.passes }, "\(rule.id) has no test expecting it to pass")
            #expect(expectations.contains { $0.rule == rule.id && !$0.passes }, "\(rule.id) has no test expecting it to fail")
        }
    }

    /// `docs/rules.md`: the pack's rules with their tests as examples, generated, never copied by hand.
    @Test func rulePackDocumentIsCurrent() throws {
        let files = try Self.pack()
        let program = try #require(RuleSet.compile(files).program)
        let generated = RulePackDocument.markdown(files, program: program, title: "The baseline rule pack")
        let url = Self.root.appendingPathComponent("docs/rules.md")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try Data(generated.utf8).write(to: url)
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == generated, "regenerate with UPDATE_GOLDENS=1 swift test --filter DocsTests")
    }
}
