import BackupJobs
import Foundation
import Testing

/// A saved listing reads back as the jobs it was written from, and writing from the table's
/// columns gives exactly the bytes the per-job writer gives.
struct ListingDocumentTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/list-backup-jobs.json").path

    /// Jobs with every kind of member: nested structures present, empty and absent; members
    /// outside the schema at the top and inside structures; strings needing escapes; maps.
    static func unusualJobs() -> [BackupJob] {
        var full = BackupJob(backupJobId: "full\"\\\n\u{1}é")
        full.accountId = "123456789012"
        full.state = .unknown("PAUSED_NEW_STATE")
        full.creationDate = Timestamp(millisecondsSinceEpoch: 1_795_867_200_123)
        full.completionDate = Timestamp(millisecondsSinceEpoch: -1_500)
        full.backupSizeInBytes = -42
        full.isEncrypted = false
        full.isParent = true
        full.backupOptions = ["WindowsVSS": "enabled", "A\"b": "c\td"]
        var lifecycle = BackupJob.Lifecycle()
        lifecycle.deleteAfterDays = 35
        lifecycle.optInToArchiveForSupportedResources = true
        full.recoveryPointLifecycle = lifecycle
        var creator = BackupJob.RecoveryPointCreator()
        creator.backupPlanId = "plan"
        creator.backupRuleCron = "cron(0 5 ? * * *)"
        full.createdBy = creator
        full.additionalFields = [
            "NewTopLevel": #"{"a":[1,2,{"b":null}]}"#, "CreatedBy.NewMember": "true", "RecoveryPointLifecycle.Later": #""x""#, "Zeta": "1.5e3",
        ]
        var emptyStructures = BackupJob(backupJobId: "empty-structures")
        emptyStructures.createdBy = BackupJob.RecoveryPointCreator()
        emptyStructures.recoveryPointLifecycle = BackupJob.Lifecycle()
        emptyStructures.backupOptions = [:]
        var onlyExtraInStructure = BackupJob(backupJobId: "extra-only")
        onlyExtraInStructure.additionalFields = ["CreatedBy.Future": "[]"]
        return [full, emptyStructures, onlyExtraInStructure, BackupJob(backupJobId: "bare")]
    }

    /// A row written from a large table (strings interned with many others, maps shared) is the
    /// same text as the job written from a table of its own.
    @Test func columnsWriteWhatAOneJobTableWrites() throws {
        var jobs = Self.unusualJobs()
        jobs += try ListingLoader().load([Self.examples]).backupJobs.asBackupJobs
        let table = RecordTable(jobs)
        let document = String(decoding: ListingDocument.bytes(table), as: UTF8.self)
        let lines = document.split(separator: "\n").dropFirst().dropLast().map { $0.hasSuffix(",") ? String($0.dropLast()) : String($0) }
        try #require(lines.count == table.count)
        for (row, line) in lines.enumerated() {
            #expect(line == TableJSONWriter(RecordTable([jobs[row]])).json(row: 0), "row \(row) (\(table.id(at: row)))")
        }
    }

    @Test func aSavedListingReadsBackJobForJob() throws {
        // Not "extra-only": a member inside CreatedBy means there was a CreatedBy object, so it
        // reads back with the structure present, as any decoded job with that member has it.
        let jobs = Self.unusualJobs().filter { $0.backupJobId != "extra-only" }
        let table = RecordTable(jobs + (try ListingLoader().load([Self.examples])).backupJobs.asBackupJobs)
        let record = Array(#"{"tool":"test"}"#.utf8)
        let bytes = ListingDocument.bytes(table, members: [("BackupAuditFetch", record)], nextToken: "resume/here")
        let listing = try ListingLoader().load(bytes: bytes, name: "saved.json")
        try #require(listing.backupJobs.count == table.count)
        for row in 0..<table.count where listing.backupJobs[row] != table[row] {
            Issue.record("\(table.id(at: row)) reads back as \(listing.backupJobs[row])")
        }
        #expect(listing.completeness.gaps.map(\.resumeToken) == ["resume/here"])
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as! [String: Any]
        #expect((object["BackupAuditFetch"] as? [String: String]) == ["tool": "test"])
    }

    @Test func chunksAreBoundedAndJoinToTheDocument() throws {
        let table = try ListingLoader().load([Self.examples]).backupJobs
        var chunks: [[UInt8]] = []
        ListingDocument.write(table, chunkSize: 4096) { (chunk: [UInt8]) throws(Never) in chunks.append(chunk) }
        #expect(chunks.count > 10)
        #expect(chunks.dropLast().allSatisfy { $0.count >= 4096 && $0.count < 4096 + 8192 })
        #expect(chunks.flatMap { $0 } == ListingDocument.bytes(table))
    }

    @Test func anEmptyTableIsAnEmptyListing() throws {
        let bytes = ListingDocument.bytes(RecordTable(kind: .backupJob))
        #expect(String(decoding: bytes, as: UTF8.self) == "{\"BackupJobs\":[]}\n")
        #expect(try ListingLoader().load(bytes: bytes, name: "empty.json").backupJobs.isEmpty)
    }
}
