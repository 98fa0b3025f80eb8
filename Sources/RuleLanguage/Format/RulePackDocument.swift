/// A rule pack as Markdown: each rule's metadata and body, and the tests that exercise it quoted
/// from the test files, so the examples in the docs are the ones `backup-audit test` runs.
public enum RulePackDocument {
    public static func markdown(_ files: [ParsedRuleFile], program: RuleProgram, title: String) -> String {
        var lines = ["# \(title)", ""]
        lines.append("Generated from \(files.map { "`\($0.source.name)`" }.joined(separator: ", ")); do not edit by hand.")
        lines.append("")
        if !program.parameters.isEmpty {
            lines.append("| parameter | default |")
            lines.append("|---|---|")
            for declared in files.flatMap({ $0.syntax.items }) {
                guard case .parameter(let parameter) = declared else { continue }
                lines.append("| `\(parameter.name.text)` | `\(Formatter.format(parameter.value))` |")
            }
            lines.append("")
        }
        let tests = files.flatMap { file in
            file.syntax.items.compactMap { item -> (TestDecl, ParsedRuleFile)? in
                if case .test(let test) = item { (test, file) } else { nil }
            }
        }
        for rule in program.rules {
            lines.append("## `\(rule.id)`: \(rule.title ?? rule.bodyText)")
            lines.append("")
            var facts = ["severity **\(rule.severity.rawValue)**"]
            if !rule.controls.isEmpty { facts.append("controls " + rule.controls.joined(separator: ", ")) }
            facts.append("`\(rule.location.file):\(rule.location.line)`")
            lines.append(facts.joined(separator: " · "))
            lines.append("")
            if let description = rule.description {
                lines.append(description)
                lines.append("")
            }
            lines.append("```")
            lines.append(rule.bodyText)
            lines.append("```")
            lines.append("")
            if let remediation = rule.remediation {
                lines.append("**Remediation:** \(remediation)")
                lines.append("")
            }
            let mine = tests.filter { test, _ in
                test.statements.contains { if case .expectation(let e) = $0 { e.rule.text == rule.id } else { false } }
            }
            if mine.isEmpty {
                lines.append("_No test exercises this rule._")
                lines.append("")
                continue
            }
            lines.append("Examples (run by `backup-audit test`):")
            lines.append("")
            for (test, file) in mine {
                lines.append("```")
                lines.append(file.source.text(test.range))
                lines.append("```")
                lines.append("")
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}
