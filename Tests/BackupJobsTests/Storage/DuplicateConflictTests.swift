import Foundation
import Testing

@testable import BackupJobs

/// Which occurrence of a job is kept depends on the records alone, never on the order of the
/// inputs; two different records of a job that had ended are a conflict.
struct DuplicateConflictTests {
    static func job(_ state: BackupJobState?, completed: Int64? = nil, percent: String? = nil, message: String? = nil,
                    extra: [String: String] = [:]) -> BackupJob {
        var job = BackupJob(backupJobId: "J")
        job.state = state
        job.completionDate = completed.map(Timestamp.init(millisecondsSinceEpoch:))
        job.percentDone = percent
        job.statusMessage = message
        job.additionalFields = extra
        return job
    }

    /// Every order of the jobs.
    static func permutations(_ jobs: [BackupJob]) -> [[BackupJob]] {
        guard jobs.count > 1 else { return [jobs] }
        return jobs.indices.flatMap { index in
            var rest = jobs
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    @Test(arguments: [
        // (one, another, a conflict?)
        ("identical finished copies", job(.completed, completed: 5), job(.completed, completed: 5), false),
        ("progress: running, then completed", job(.running, percent: "40.0"), job(.completed, completed: 5), false),
        ("progress: running further", job(.running, percent: "40.0"), job(.running, percent: "60.0"), false),
        ("no state either, different messages", job(nil, message: "a"), job(nil, message: "b"), false),
        ("aborting, then aborted", job(.aborting), job(.aborted, completed: 5), false),
        ("completed and failed", job(.completed, completed: 5), job(.failed, completed: 5), true),
        ("completed at different times", job(.completed, completed: 5), job(.completed, completed: 6), true),
        ("completed with different messages", job(.completed, completed: 5, message: "a"), job(.completed, completed: 5, message: "b"), true),
        ("completed and a newer end state", job(.completed, completed: 5), job(.unknown("ARCHIVED"), completed: 5), true),
        ("finished, differing outside the schema", job(.failed, extra: ["New": "1"]), job(.failed, extra: ["New": "2"]), true),
    ])
    func classifiesEachPair(_ name: String, _ one: BackupJob, _ another: BackupJob, _ conflict: Bool) {
        for order in [[one, another], [another, one]] {
            var builder = RecordTableBuilder(kind: .backupJob)
            for job in order { builder.append(Record(job)) }
            #expect(builder.duplicateConflicts.map(\.jobId) == (conflict ? ["J"] : []), "\(name)")
            #expect(builder.finish().duplicatesDropped == 1, "\(name)")
        }
    }

    @Test func theVersionKeptAndTheConflictsDoNotDependOnOrder() {
        // Equal state rank, CompletionDate and progress: only the content decides. Another job
        // read first interns "b" before "a", so string ids cannot be what decides.
        let other = { var job = BackupJob(backupJobId: "K"); job.statusMessage = "b"; return job }()
        let versions = [
            Self.job(.completed, completed: 5, message: "a"), Self.job(.failed, completed: 5, message: "b"),
            Self.job(.completed, completed: 5, message: "b"), Self.job(.running, percent: "99.0"),
        ]
        var kept: Set<String> = []
        for order in Self.permutations(versions) {
            for prefix in [[], [other]] {
                var builder = RecordTableBuilder(kind: .backupJob)
                for job in prefix + order { builder.append(Record(job)) }
                #expect(builder.duplicateConflicts == [DuplicateConflict(jobId: "J", inputs: [])])
                let table = builder.finish()
                kept.insert(TableJSONWriter(table).json(row: prefix.count))
            }
        }
        #expect(kept.count == 1)
        #expect(kept.first?.contains(#""State":"FAILED""#) == true)
    }

    @Test func aConflictNamesTheInputsOfItsVersions() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let completed = directory.appendingPathComponent("completed.json"), failed = directory.appendingPathComponent("failed.json")
        let same = directory.appendingPathComponent("same.json")
        try Data(listingJSON([jobJSON("J", #""State":"COMPLETED","CompletionDate":1700000000"#), jobJSON("K")]).utf8).write(to: completed)
        try Data(listingJSON([jobJSON("J", #""State":"FAILED","CompletionDate":1700000000"#)]).utf8).write(to: failed)
        try Data(listingJSON([jobJSON("K")]).utf8).write(to: same)
        var tables: [[BackupJob]] = []
        for paths in [[completed.path, failed.path, same.path], [same.path, failed.path, completed.path]] {
            let listing = try ListingLoader().load(paths)
            #expect(listing.conflicts == [DuplicateConflict(jobId: "J", inputs: [completed.path, failed.path])])
            #expect(listing.backupJobs.duplicatesDropped == 2)
            tables.append(listing.backupJobs.asBackupJobs.sorted { $0.backupJobId < $1.backupJobId })
        }
        #expect(tables[0] == tables[1])
        #expect(tables[0][0].state == .failed)
    }
}
