import BackupJobs
import Foundation
import Testing

@testable import RuleLanguage

/// Rule text with numbered markers (1️⃣ 2️⃣ 3️⃣ …) where diagnostics are expected. The markers
/// are removed; each keeps the UTF-8 offset it stood at.
struct MarkedSource {
    static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]
    let text: String
    let offsets: [String: Int]

    init(_ marked: String) {
        var text = ""
        var offsets: [String: Int] = [:]
        var rest = Substring(marked)
        while let (marker, range) = Self.markers.compactMap({ m in rest.range(of: m).map { (m, $0) } }).min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
            text += rest[..<range.lowerBound]
            offsets[marker] = text.utf8.count
            rest = rest[range.upperBound...]
        }
        text += rest
        self.text = text
        self.offsets = offsets
    }
}

/// What a diagnostic at a marker must be.
struct DiagnosticSpec: Sendable {
    /// `nil` for a diagnostic in another file (a parameter override's value).
    var marker: String?
    var code: DiagnosticCode
    var message: String?
    var notes: [String]?

    init(_ code: DiagnosticCode, at marker: String? = "1️⃣", message: String? = nil, notes: [String]? = nil) {
        self.marker = marker
        self.code = code
        self.message = message
        self.notes = notes
    }
}

/// Compiles the marked source (one file, `test.rules`) and checks that the diagnostics are
/// exactly those specified, each starting at its marker.
func assertDiagnostics(
    _ marked: String, _ specs: [DiagnosticSpec], overrides: [(String, String)] = [], now: Timestamp? = nil,
    ignoring ignored: Set<DiagnosticCode> = [], sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let source = MarkedSource(marked)
    let file = SourceFile(name: "test.rules", text: source.text)
    let (_, diagnostics) = RuleSet.compile(
        [file], overrides: overrides.map { ParameterOverride(name: $0.0, value: $0.1) }, now: now)
    let relevant = diagnostics.filter { !ignored.contains($0.code) }
    #expect(relevant.count == specs.count, "diagnostics: \(relevant.map { "\($0.code.rawValue) at \($0.range.start): \($0.message)" })",
            sourceLocation: sourceLocation)
    for spec in specs {
        let offset = spec.marker.flatMap { source.offsets[$0] }
        if let marker = spec.marker, offset == nil {
            Issue.record("marker \(marker) is not in the source", sourceLocation: sourceLocation)
            continue
        }
        guard let match = relevant.first(where: { $0.code == spec.code && (offset == nil ? $0.file != "test.rules" : $0.range.start == offset) }) else {
            Issue.record("no \(spec.code.rawValue) at \(spec.marker ?? "another file") (offset \(offset ?? -1)); got \(relevant.map { "\($0.code.rawValue)@\($0.range.start)" })",
                         sourceLocation: sourceLocation)
            continue
        }
        if let message = spec.message { #expect(match.message == message, sourceLocation: sourceLocation) }
        if let notes = spec.notes { #expect(match.notes.map(\.message) == notes, sourceLocation: sourceLocation) }
    }
}

/// Compiles source that must have no errors; returns the program.
func compileClean(_ text: String, overrides: [(String, String)] = [], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> RuleProgram? {
    let (program, diagnostics) = RuleSet.compile(
        [SourceFile(name: "test.rules", text: text)], overrides: overrides.map { ParameterOverride(name: $0.0, value: $0.1) })
    #expect(!diagnostics.hasErrors, "\(diagnostics.map { "\($0.code.rawValue): \($0.message)" })", sourceLocation: sourceLocation)
    return program
}

/// A rule around a body, with a title so the missing-title warning stays out of the way.
func rule(_ body: String, id: String = "r") -> String {
    "rule \(id) {\n  title \"t\"\n  \(body)\n}\n"
}
