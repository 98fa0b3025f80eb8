import Foundation
import Reports
import RuleLanguage

/// Rule diagnostics in the formats `lint` offers.
enum DiagnosticOutput {
    static func render(_ diagnostics: [Diagnostic], format: DiagnosticFormat, sources: [String: SourceFile], fileCount: Int) -> String {
        switch format {
        case .text: text(diagnostics, sources: sources, fileCount: fileCount)
        case .json: json(diagnostics, sources: sources)
        case .github: diagnostics.map { github($0, sources: sources) }.joined(separator: "\n")
        }
    }

    static func text(_ diagnostics: [Diagnostic], sources: [String: SourceFile], fileCount: Int) -> String {
        let errors = diagnostics.errors.count, warnings = diagnostics.warnings.count
        let summary = "\(ReportText.count(errors, "error")), \(ReportText.count(warnings, "warning")) in \(ReportText.count(fileCount, "file"))"
        guard !diagnostics.isEmpty else { return summary }
        return DiagnosticRenderer.render(diagnostics, sources: sources) + "\n\n" + summary
    }

    struct Position: Encodable {
        let line: Int
        let column: Int
    }

    struct Entry: Encodable {
        struct Note: Encodable {
            let message: String
            let start: Position?
        }
        let file: String
        let severity: String
        let code: String
        let message: String
        let start: Position?
        let end: Position?
        let notes: [Note]
    }

    struct Document: Encodable {
        let schemaVersion = 1
        let errors: Int
        let warnings: Int
        let diagnostics: [Entry]
    }

    static func json(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
        let entries = diagnostics.map { diagnostic in
            let source = sources[diagnostic.file]
            func position(_ offset: Int) -> Position? { source.map { let p = $0.position(of: offset); return Position(line: p.line, column: p.column) } }
            return Entry(
                file: diagnostic.file, severity: diagnostic.severity.rawValue, code: diagnostic.code.rawValue, message: diagnostic.message,
                start: position(diagnostic.range.start), end: position(diagnostic.range.end),
                notes: diagnostic.notes.map { Entry.Note(message: $0.message, start: $0.range.flatMap { position($0.start) }) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Document(errors: diagnostics.errors.count, warnings: diagnostics.warnings.count, diagnostics: entries))) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// A GitHub Actions workflow command, which the runner turns into an annotation on the line.
    static func github(_ diagnostic: Diagnostic, sources: [String: SourceFile]) -> String {
        let kind = switch diagnostic.severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
        var properties = ["file=\(escapeProperty(diagnostic.file))"]
        if let source = sources[diagnostic.file] {
            let start = source.position(of: diagnostic.range.start), end = source.position(of: diagnostic.range.end)
            properties += ["line=\(start.line)", "col=\(start.column)", "endLine=\(end.line)", "endColumn=\(end.column)"]
        }
        properties.append("title=\(escapeProperty("backup-audit " + diagnostic.code.rawValue))")
        let message = ([diagnostic.message] + diagnostic.notes.map { "note: " + $0.message }).joined(separator: "\n")
        return "::\(kind) \(properties.joined(separator: ","))::\(escapeData(message))"
    }

    static func escapeData(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
