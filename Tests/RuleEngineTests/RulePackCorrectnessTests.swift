import BackupJobs
import Foundation
import RuleEngine
import RuleLanguage
import TestSupport
import Testing

/// The benchmark pack over generated listings, subject for subject against an independent
/// computation (`reference_rulepack.py`: plain Python over the JSON, written from RULEPACK.md).
@Suite(.enabled(if: Paths.sharedIsUsable, "needs ../shared/bench/gen_backup_jobs.py (set BACKUP_AUDIT_SHARED)"))
struct RulePackCorrectnessTests {
    static let pack = Paths.packageRoot.appendingPathComponent("examples/benchmark/pack.rules")
    static let oracle = Paths.packageRoot.appendingPathComponent("Tests/RuleEngineTests/reference_rulepack.py")

    static func reference(now: String, path: URL) throws -> [String: [String]] {
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", oracle.path, now, path.path])
        #expect(result.status == 0, "\(result.error)")
        return try JSONDecoder().decode([String: [String]].self, from: Data(result.output.utf8))
    }

    @Test(arguments: [
        (seed: 1, format: ["--format", "api"], name: "jobs.json"),
        (seed: 2, format: ["--format", "cli", "--utc-offset", "-7"], name: "jobs.json"),
        (seed: 3, format: ["--format", "pages", "--page-size", "1000"], name: "pages"),
        (seed: 4, format: ["--format", "cli", "--utc-offset", "5.5"], name: "jobs.json"),
    ])
    func failingSubjectsMatchTheIndependentComputation(_ seed: Int, _ format: [String], _ name: String) async throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(name)
        let generated = try ProcessRunner.run("/usr/bin/env", ["python3", Paths.shared.appendingPathComponent("bench/gen_backup_jobs.py").path,
                                 "--preset", "small", "--seed", String(seed), "--out", path.path] + format)
        #expect(generated.status == 0, "\(generated.error)")
        let listing = try ListingLoader().load([path.path])
        let source = SourceFile(name: "pack.rules", text: try String(contentsOf: Self.pack, encoding: .utf8))
        let program = try #require(RuleSet.compile([source]).program)
        // The generator's now, and two days earlier: jobs after `now` must drop out of windows.
        for now in ["2026-11-28T12:00:00Z", "2026-11-26T06:30:00Z"] {
            let evaluation = await Evaluator.evaluate(program, listing: listing, now: Timestamp(iso8601: now)!)
            let expected = try Self.reference(now: now, path: path)
            #expect(expected.count == 9)
            for (rule, subjects) in expected.sorted(by: { $0.key < $1.key }) {
                let ours = evaluation.failing(rule)
                #expect(ours == subjects, "\(rule) at \(now), seed \(seed): \(ours.count) failing here, \(subjects.count) in the reference; only here: \(Set(ours).subtracting(subjects).prefix(3)), only there: \(Set(subjects).subtracting(ours).prefix(3))")
            }
            // The data has the faults the pack exists to find.
            #expect(expected.values.filter { !$0.isEmpty }.count >= 5)
        }
    }
}
