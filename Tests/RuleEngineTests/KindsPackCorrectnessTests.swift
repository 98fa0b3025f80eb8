import BackupJobs
import Foundation
import RuleEngine
import RuleLanguage
import Testing

/// The benchmark rules across record kinds (R10-R13) over generated listings of one estate,
/// subject for subject against an independent computation (`reference_kinds.py`: plain Python
/// over the JSON, written from RULEPACK.md).
@Suite(.enabled(if: Paths.sharedIsUsable, "needs ../shared/bench/gen_backup_jobs.py (set BACKUP_AUDIT_SHARED)"))
struct KindsPackCorrectnessTests {
    static let pack = Paths.packageRoot.appendingPathComponent("examples/benchmark/kinds.rules")
    static let oracle = Paths.packageRoot.appendingPathComponent("Tests/RuleEngineTests/reference_kinds.py")

    @Test(arguments: [(seed: 1, format: "api"), (seed: 2, format: "jsonl"), (seed: 3, format: "api"), (seed: 4, format: "jsonl")])
    func failingSubjectsMatchTheIndependentComputation(_ seed: Int, _ format: String) async throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for kind in ["backup", "copy", "restore"] {
            let path = directory.appendingPathComponent("\(kind).\(format == "jsonl" ? "jsonl" : "json")").path
            let generated = try ProcessRunner.run("/usr/bin/env", ["python3", Paths.shared.appendingPathComponent("bench/gen_backup_jobs.py").path,
                                     "--preset", "small", "--seed", String(seed), "--kind", kind, "--format", format, "--out", path])
            #expect(generated.status == 0, "\(generated.error)")
            paths.append(path)
        }
        let listing = try ListingLoader().load(paths)
        #expect(listing.kinds == [.backupJob, .copyJob, .restoreJob])
        let source = SourceFile(name: "kinds.rules", text: try String(contentsOf: Self.pack, encoding: .utf8))
        let (compiled, diagnostics) = RuleSet.compile([source])
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        let program = try #require(compiled)
        // The generator's now, and two days earlier: records after `now` must drop out of windows.
        for now in ["2026-11-28T12:00:00Z", "2026-11-26T06:30:00Z"] {
            let evaluation = await Evaluator.evaluate(program, listing: listing, now: Timestamp(iso8601: now)!)
            let result = try ProcessRunner.run("/usr/bin/env", ["python3", Self.oracle.path, now] + paths)
            #expect(result.status == 0, "\(result.error)")
            let expected = try JSONDecoder().decode([String: [String]].self, from: Data(result.output.utf8))
            #expect(expected.count == 4)
            for (rule, subjects) in expected.sorted(by: { $0.key < $1.key }) {
                let ours = evaluation.failing(rule)
                #expect(ours == subjects, "\(rule) at \(now), seed \(seed), \(format): \(ours.count) failing here, \(subjects.count) in the reference; only here: \(Set(ours).subtracting(subjects).prefix(3)), only there: \(Set(subjects).subtracting(ours).prefix(3))")
            }
            // The data has the faults the rules exist to find.
            #expect(expected.values.filter { !$0.isEmpty }.count >= 3, "\(expected.mapValues(\.count))")
        }
    }
}
