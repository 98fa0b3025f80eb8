/// A finding about a rule file: a value with a stable code, never printed by the library.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, Comparable {
        case error, warning, note

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// Extra context attached to a diagnostic: "did you mean", "first defined here".
    public struct Note: Hashable, Sendable {
        public var message: String
        /// Where the note points, in the same file as the diagnostic; `nil` for a plain note.
        public var range: SourceRange?

        public init(_ message: String, at range: SourceRange? = nil) {
            self.message = message
            self.range = range
        }
    }

    public var code: DiagnosticCode
    public var severity: Severity
    public var message: String
    /// The file the range is in (its `SourceFile.name`).
    public var file: String
    public var range: SourceRange
    public var notes: [Note]

    public init(
        _ code: DiagnosticCode, _ message: String, file: String, at range: SourceRange, notes: [Note] = [],
        severity: Severity? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.message = message
        self.file = file
        self.range = range
        self.notes = notes
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
}
