import BackupJobs
@_exported import TestSupport
import Foundation
import Reports
import RuleEngine
import RuleLanguage
import Testing

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared: URL = ProcessInfo.processInfo.environment["BACKUP_AUDIT_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static var sharedIsUsable: Bool {
        FileManager.default.fileExists(atPath: shared.path) || ProcessInfo.processInfo.environment["BACKUP_AUDIT_REQUIRE_SHARED"] == "1"
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rule-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Compiles rule text that must be free of errors.
func program(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RuleProgram {
    let (program, diagnostics) = RuleSet.compile([SourceFile(name: "test.rules", text: text)])
    #expect(!diagnostics.hasErrors, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    return try #require(program, sourceLocation: sourceLocation)
}

/// Evaluates rule text over jobs.
func evaluate(_ rules: String, _ jobs: [BackupJob], now: String = "2026-11-28T12:00:00Z", options: EvaluationOptions = .init()) async throws -> Evaluation {
    await Evaluator.evaluate(try program(rules), listing: Listing(RecordTable(jobs)), now: Timestamp(iso8601: now)!, options: options)
}

/// A finding with its words, as every report writes them (`FindingText`).
struct WordedFinding {
    let finding: Finding
    let message: String
    let explanation: String
    var subject: String { finding.subject }
    var status: Finding.Status { finding.status }
    var evidence: [EvidenceRecord] { finding.evidence }
    var waiver: AppliedWaiver? { finding.waiver }
}

extension Evaluation {
    func result(_ id: String) -> RuleResult? { results.first { $0.rule.id == id } }
    /// A rule's findings, worded.
    func findings(_ id: String) -> [WordedFinding] {
        guard let result = result(id) else { return [] }
        return result.findings.map {
            WordedFinding(finding: $0, message: FindingText.message($0, of: result.rule, now: now),
                          explanation: FindingText.explanation($0, of: result.rule, now: now))
        }
    }
    func failing(_ id: String) -> [String] { result(id)?.findings.filter { $0.status == .fail }.map(\.subject) ?? [] }
}
