import Testing

@testable import BackupJobs

struct StringPoolTests {
    @Test func internsEachDistinctStringOnce() {
        var pool = StringPool()
        let a = pool.intern("arn:aws:backup:eu-west-1:123456789012:backup-vault:prod")
        let b = pool.intern("arn:aws:backup:eu-west-1:123456789012:backup-vault:prod")
        let c = pool.intern("arn:aws:backup:eu-west-1:123456789012:backup-vault:prod2")
        let empty = pool.intern("")
        #expect(a == b && a != c && empty != a)
        #expect(a >= 1)
        #expect(pool[a] == "arn:aws:backup:eu-west-1:123456789012:backup-vault:prod")
        #expect(pool[empty] == "")
        #expect(pool.id(of: "arn:aws:backup:eu-west-1:123456789012:backup-vault:prod2") == c)
        #expect(pool.id(of: "missing") == nil)
        #expect(pool.count == 3)
    }

    @Test func growsPastManyRehashesWithoutLosingStrings() {
        var pool = StringPool()
        let ids = (0..<50_000).map { pool.intern("job-\($0)-日本") }
        #expect(Set(ids).count == 50_000)
        for (n, id) in ids.enumerated() where n % 997 == 0 {
            #expect(pool[id] == "job-\(n)-日本")
            #expect(pool.id(of: "job-\(n)-日本") == id)
        }
    }

    @Test func copiesAreIndependentValues() {
        var original = StringPool()
        let id = original.intern("a")
        var copy = original
        let added = copy.intern("b")
        #expect(original.id(of: "b") == nil)
        #expect(copy[added] == "b" && copy[id] == "a")
    }
}

struct DuplicateJobTests {
    func job(_ id: String, _ state: BackupJobState?, completed: Int64? = nil, percent: String? = nil, message: String? = nil) -> BackupJob {
        var job = BackupJob(backupJobId: id)
        job.state = state
        job.completionDate = completed.map(Timestamp.init(millisecondsSinceEpoch:))
        job.percentDone = percent
        job.statusMessage = message
        return job
    }

    @Test func keepsTheOccurrenceWithTheLaterKnownStateInEitherOrder() {
        let running = job("J", .running, percent: "40.0"), completed = job("J", .completed, completed: 5, percent: "100.0")
        for order in [[running, completed], [completed, running]] {
            let table = RecordTable(order + [job("K", .failed)])
            #expect(table.count == 2)
            #expect(table.duplicatesDropped == 1)
            #expect(table[0] == Record(completed))
            #expect(table.id(at: 1) == "K")
        }
    }

    @Test(arguments: [
        // (first, second, which one is kept)
        (BackupJobState.created, BackupJobState.pending, 1), (.pending, .created, 0), (.running, .aborting, 1), (.aborting, .aborted, 1),
        (.completed, .running, 0), (.unknown("NEW_END_STATE"), .running, 0),
    ])
    func lifecycleOrderDecides(_ first: BackupJobState, _ second: BackupJobState, _ kept: Int) {
        let jobs = [job("J", first), job("J", second)]
        #expect(RecordTable(jobs)[0] == Record(jobs[kept]))
    }

    @Test func laterCompletionThenProgressThenContentBreakTies() {
        let early = job("J", .failed, completed: 10, message: "early"), late = job("J", .failed, completed: 20, message: "late")
        #expect(RecordTable([late, early])[0] == Record(late))
        let less = job("J", .running, percent: "9.5"), more = job("J", .running, percent: "10.0")
        #expect(RecordTable([more, less])[0] == Record(more))
        // A full tie goes to the record that orders last by content, whichever came first.
        let first = job("J", .completed, completed: 1, message: "first"), second = job("J", .completed, completed: 1, message: "second")
        #expect(RecordTable([first, second])[0] == Record(second))
        #expect(RecordTable([second, first])[0] == Record(second))
    }

    @Test func duplicatesAcrossDocumentsAndFilesAreMerged() throws {
        let text = listingJSON([jobJSON("A", #""State":"RUNNING""#), jobJSON("B")], nextToken: "2")
            + listingJSON([jobJSON("A", #""State":"COMPLETED","CompletionDate":1700000000"#), jobJSON("A", #""State":"PENDING""#)])
        let listing = try decode(text)
        #expect(listing.backupJobs.asBackupJobs.map(\.backupJobId) == ["A", "B"])
        #expect(listing.backupJobs.asBackupJobs[0].state == .completed)
        #expect(listing.backupJobs.duplicatesDropped == 2)
        #expect(listing.inputs[0].jobsRead == 4)
    }

    @Test func additionalFieldsFollowTheOccurrenceKept() throws {
        let text = listingJSON([jobJSON("A", #""State":"RUNNING","Extra":1"#), jobJSON("A", #""State":"COMPLETED","Extra":2"#)])
        #expect(try decode(text).backupJobs.asBackupJobs[0].additionalFields == ["Extra": "2"])
    }
}

struct JobTableTests {
    @Test func readsFieldsByColumnWithoutMaterializingJobs() throws {
        let table = try decode(listingJSON([InputFormatTests.fullAPIJob, jobJSON("B")])).backupJobs
        #expect(table.string(BackupJobField.resourceType, at: 0) == "EBS")
        #expect(table.stringID(BackupJobField.resourceType, at: 0) == table.strings.id(of: "EBS"))
        #expect(table.stringID(BackupJobField.resourceType, at: 1) == nil)
        #expect(table.timestamp(BackupJobField.creationDate, at: 0) == Timestamp(millisecondsSinceEpoch: 1_516_925_490_087))
        #expect(table.integer(BackupJobField.backupSizeInBytes, at: 0) == 9_007_199_254_740_993)
        #expect(table.boolean(BackupJobField.isParent, at: 0) == false)
        #expect(table.stringMap(BackupJobField.backupOptions, at: 0) == ["WindowsVSS": "enabled"])
        #expect(table.stateCode(at: 0) == BackupJobState.completed.code)
        #expect(table.stateValue(at: 0) == "COMPLETED")
        #expect(table.stateCode(at: 1) == RecordStates.missingCode)
        #expect(table.stateValue(at: 1) == nil)
        #expect(table.has(BackupJobField.createdBy, at: 0) && !table.has(BackupJobField.createdBy, at: 1))
        #expect(table.value(BackupJobField.createdBy, at: 0) == nil)
        #expect(table.value(BackupJobField.state, at: 0) == .string("COMPLETED"))
    }

    @Test func equalMapsShareOneEntry() {
        var first = BackupJob(backupJobId: "1"), second = BackupJob(backupJobId: "2")
        first.backupOptions = ["WindowsVSS": "enabled", "Other": "x"]
        second.backupOptions = ["Other": "x", "WindowsVSS": "enabled"]
        let table = RecordTable([first, second])
        #expect(table.maps.count == 1)
        #expect(table.asBackupJobs[1].backupOptions == second.backupOptions)
    }
}
