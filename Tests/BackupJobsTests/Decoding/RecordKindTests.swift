import Foundation
import TestSupport
import Testing

@testable import BackupJobs

/// A minimal record object of a kind (its id member only), with extra members spliced in.
func recordJSON(_ kind: RecordKind, _ id: String, _ members: String = "") -> String {
    #"{"\#(kind.schema[kind.schema.idField].path)":"\#(id)""# + (members.isEmpty ? "" : "," + members) + "}"
}

/// A listing document of a kind, as the API sends it.
func documentJSON(_ kind: RecordKind, _ records: [String], nextToken: String? = nil) -> String {
    #"{"\#(kind.member)":["# + records.joined(separator: ",") + "]" + (nextToken.map { #","NextToken":"\#($0)""# } ?? "") + "}"
}

/// Copy and restore listings are read in every format backup job listings are, recognised by
/// their member (documents) or their id member (arrays, JSON Lines).
struct RecordKindDecodingTests {
    /// Two records of a kind: A finished (1700000000.5 to 1700000600), B in flight.
    static func pair(_ kind: RecordKind, iso: Bool = false) -> (a: String, b: String) {
        let state = kind.schema[kind.schema.stateField!].path
        let (finished, inFlight) = (kind.schema.states.finished[0], kind.schema.states.inFlight[0])
        let created = iso ? #""2023-11-14T15:13:20.500-07:00""# : "1700000000.5"
        let completed = iso ? #""2023-11-14T22:23:20Z""# : "1700000600"
        return (recordJSON(kind, "A", #""\#(state)":"\#(finished)","CreationDate":\#(created),"CompletionDate":\#(completed)"#),
                recordJSON(kind, "B", #""\#(state)":"\#(inFlight)""#))
    }

    static func expectPair(_ listing: Listing, _ kind: RecordKind, _ format: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(listing.kinds == [kind], "\(format)", sourceLocation: sourceLocation)
        #expect(listing.backupJobs.isEmpty, "\(format)", sourceLocation: sourceLocation)
        guard let table = listing[kind] else { return }
        #expect(table.kind == kind && table.map(\.id) == ["A", "B"], "\(format)", sourceLocation: sourceLocation)
        #expect(table.stateValue(at: 0) == kind.schema.states.finished[0], "\(format)", sourceLocation: sourceLocation)
        #expect(kind.schema.states.isFinished(table.stateCode(at: 0)), "\(format)", sourceLocation: sourceLocation)
        #expect(kind.schema.states.isInFlight(table.stateCode(at: 1)), "\(format)", sourceLocation: sourceLocation)
        #expect(table.timestamp(kind.schema.creationField!, at: 0) == Timestamp(millisecondsSinceEpoch: 1_700_000_000_500),
                "\(format)", sourceLocation: sourceLocation)
        #expect(table.timestamp(kind.schema.completionField!, at: 0) == Timestamp(millisecondsSinceEpoch: 1_700_000_600_000),
                "\(format)", sourceLocation: sourceLocation)
        #expect(listing.completeness == .complete, "\(format)", sourceLocation: sourceLocation)
        #expect(listing.inputs.flatMap(\.files).allSatisfy { $0.jobsReadByKind == [kind: $0.jobsRead] }, "\(format)", sourceLocation: sourceLocation)
    }

    @Test(arguments: [RecordKind.copyJob, .restoreJob])
    func everyFormatOfAKind(_ kind: RecordKind) throws {
        let (a, b) = Self.pair(kind)
        let (isoA, isoB) = Self.pair(kind, iso: true)
        let cli = "{\n    \"\(kind.member)\": [\n        \(isoA),\n        \(isoB)\n    ]\n}\n"
        let shapes: [(String, String)] = [
            ("API body", documentJSON(kind, [a, b])),
            ("API pages", documentJSON(kind, [a], nextToken: "t1") + "\n" + documentJSON(kind, [b], nextToken: nil)),
            ("AWS CLI output", cli),
            ("JSON array", "[\(a),\(b)]"),
            ("JSON Lines", a + "\n" + b + "\n"),
        ]
        for (format, text) in shapes {
            Self.expectPair(try decode(text, chunkSize: 7), kind, format)
        }
        let gzipped = try gzip(Array(documentJSON(kind, [a, b]).utf8))
        Self.expectPair(try decode(bytes: gzipped, name: "copy.json.gz"), kind, "gzip")

        // Pages in a directory, read in name order.
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(documentJSON(kind, [a], nextToken: "t1").utf8).write(to: directory.appendingPathComponent("page-1.json"))
        try Data(documentJSON(kind, [b]).utf8).write(to: directory.appendingPathComponent("page-2.json"))
        Self.expectPair(try ListingLoader().load([directory.path]), kind, "pages")
    }

    /// The generator's listings of one estate (`--kind copy|restore`): the API body and the AWS
    /// CLI output decode to the same table, with the records Python reads.
    @Test(.enabled(if: Paths.sharedIsUsable, "needs ../shared (set BACKUP_AUDIT_SHARED)"), arguments: [("copy", RecordKind.copyJob), ("restore", .restoreJob)])
    func generatedListingsOfTheEstate(_ name: String, _ kind: RecordKind) throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var tables: [RecordTable] = []
        for format in ["api", "cli", "jsonl"] {
            let file = directory.appendingPathComponent("\(name)-\(format).json")
            try generateJobs(["--preset", "small", "--seed", "5", "--kind", name, "--format", format], output: file)
            let listing = try ListingLoader().load([file.path])
            #expect(listing.kinds == [kind], "\(format)")
            tables.append(try #require(listing[kind]))
        }
        let script = """
            import json, sys
            text = open(sys.argv[1]).read()
            records = json.loads(text)[sys.argv[2]]
            print(json.dumps([[r[sys.argv[3]], r[sys.argv[4]]] for r in records]))
            """
        let schema = kind.schema
        let python = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, directory.appendingPathComponent("\(name)-api.json").path,
                                              kind.member, schema[schema.idField].path, schema[schema.stateField!].path])
        #expect(python.status == 0, "\(python.error)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [[String]])
        #expect(expected.count > 10)
        #expect(tables[0].indices.map { [tables[0].id(at: $0), tables[0].stateValue(at: $0) ?? ""] } == expected)
        #expect(Array(tables[0]) == Array(tables[1]))
        #expect(Array(tables[0]) == Array(tables[2]))
    }

    /// Backup, copy and restore listings in one run: a table each, one string pool, so a
    /// resource has the same string id in every table.
    @Test func mixedKindsInOneRun() throws {
        let resource = "arn:aws:rds:eu-west-1:111111111111:db:orders"
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = [
            ("backup.json", listingJSON([jobJSON("B1", #""ResourceArn":"\#(resource)""#), jobJSON("B2", #""ResourceArn":"arn:other""#)])),
            ("copy.json", documentJSON(.copyJob, [recordJSON(.copyJob, "C1", #""ResourceArn":"\#(resource)","State":"COMPLETED""#)])),
            ("restore.jsonl", recordJSON(.restoreJob, "R1", #""SourceResourceArn":"\#(resource)","Status":"RUNNING""#) + "\n"),
        ].map { name, text in
            let url = directory.appendingPathComponent(name)
            try? Data(text.utf8).write(to: url)
            return url.path
        }
        let listing = try ListingLoader().load(files.reversed())
        #expect(listing.kinds == [.backupJob, .copyJob, .restoreJob])
        #expect(listing.recordCount == 4)
        let backups = try #require(listing[.backupJob]), copies = try #require(listing[.copyJob]), restores = try #require(listing[.restoreJob])
        let id = try #require(listing.strings.id(of: resource))
        #expect(backups.stringID(BackupJobField.resourceArn, at: 0) == id)
        #expect(copies.stringID(CopyJobField.resourceArn, at: 0) == id)
        #expect(restores.stringID(RestoreJobField.sourceResourceArn, at: 0) == id)
        #expect(restores.stateValue(at: 0) == "RUNNING" && copies.stateValue(at: 0) == "COMPLETED")
        #expect(listing.inputs.map(\.jobsReadByKind) == [[.restoreJob: 1], [.copyJob: 1], [.backupJob: 2]])
        #expect(listing.completeness == .complete)
    }

    /// JSON Lines may interleave kinds: each object is its own record.
    @Test func jsonLinesOfSeveralKinds() throws {
        let text = [jobJSON("B1"), recordJSON(.copyJob, "C1"), recordJSON(.restoreJob, "R1"), recordJSON(.copyJob, "C2")].joined(separator: "\n")
        let listing = try decode(text)
        #expect(listing.kinds == [.backupJob, .copyJob, .restoreJob])
        #expect(listing[.copyJob]?.map(\.id) == ["C1", "C2"])
    }

    @Test(arguments: [
        ("an array", "[" + recordJSON(.copyJob, "C1") + ",1️⃣" + jobJSON("B1") + "]", "[1]", "a backup job (it has a BackupJobId) among copy jobs"),
        ("a document", #"{"CopyJobs":["# + recordJSON(.copyJob, "C1") + ",1️⃣" + recordJSON(.restoreJob, "R1") + "]}",
         "CopyJobs[1]", "a restore job (it has a RestoreJobId) among copy jobs"),
        ("an array of backup jobs", "[" + jobJSON("B1") + ",1️⃣" + recordJSON(.copyJob, "C1") + "]", "[1]", "a copy job (it has a CopyJobId) among backup jobs"),
    ])
    func aMixedArrayIsAnInputErrorNamingThePlace(_ name: String, _ marked: String, _ context: String, _ message: String) throws {
        let text = MarkedText(marked)
        let error = try #require(decodingError(Array(text.text.utf8)), "\(name)")
        #expect(error.code == .mixedKinds, "\(name)")
        #expect(error.context == context, "\(name)")
        #expect(error.location == text.location, "\(name)")
        #expect(error.message.hasPrefix(message), "\(name): \(error.message)")
    }

    @Test func aDocumentHoldsOneKind() throws {
        let error = try #require(decodingError(Array(#"{"BackupJobs":[],"CopyJobs":[]}"#.utf8)))
        #expect(error.code == .duplicateMember)
        #expect(error.message == "the document holds both BackupJobs and CopyJobs: a listing document holds records of one kind")
    }

    /// A page of copy jobs does not continue a page of backup jobs: each kind is its own chain.
    @Test func nextTokenChainsArePerKind() throws {
        let copy = documentJSON(.copyJob, [recordJSON(.copyJob, "C1")])
        let broken = try decode(listingJSON([jobJSON("A")], nextToken: "t1") + copy, name: "mixed.json")
        #expect(broken.completeness.gaps.map(\.recordKind) == [.backupJob])
        #expect(broken.completeness.gaps.map(\.resumeToken) == ["t1"])
        #expect(broken.completeness(of: .copyJob) == .complete)
        #expect(!broken.completeness(of: .backupJob).isComplete)

        // A copy page between two backup pages leaves the backup chain whole, and the other way round.
        let interleaved = try decode(listingJSON([jobJSON("A")], nextToken: "t1") + copy + listingJSON([jobJSON("B")]))
        #expect(interleaved.completeness == .complete)
        let copies = try decode(documentJSON(.copyJob, [recordJSON(.copyJob, "C1")], nextToken: "c1") + listingJSON([jobJSON("A")])
                                + documentJSON(.copyJob, [recordJSON(.copyJob, "C2")]))
        #expect(copies.completeness == .complete)
        let unfinished = try decode(documentJSON(.restoreJob, [recordJSON(.restoreJob, "R1")], nextToken: "r1"))
        #expect(unfinished.completeness.gaps.map(\.recordKind) == [.restoreJob])
    }

    /// Duplicates keep the occurrence later in the kind's lifecycle, in either order.
    @Test(arguments: [
        (RecordKind.copyJob, "CREATED", "RUNNING", "RUNNING"), (.copyJob, "RUNNING", "COMPLETED", "COMPLETED"),
        (.copyJob, "FAILED", "RUNNING", "FAILED"), (.copyJob, "PARTIAL", "CREATED", "PARTIAL"),
        (.copyJob, "RUNNING", "NEWER_END_STATE", "NEWER_END_STATE"),
        (.restoreJob, "PENDING", "RUNNING", "RUNNING"), (.restoreJob, "RUNNING", "COMPLETED", "COMPLETED"),
        (.restoreJob, "ABORTED", "RUNNING", "ABORTED"), (.restoreJob, "FAILED", "PENDING", "FAILED"),
    ])
    func duplicatesKeepTheLaterStateOfTheirKind(_ kind: RecordKind, _ one: String, _ another: String, _ kept: String) throws {
        let state = kind.schema[kind.schema.stateField!].path
        for order in [[one, another], [another, one]] {
            let listing = try decode(documentJSON(kind, order.map { recordJSON(kind, "X", #""\#(state)":"\#($0)""#) }))
            let table = try #require(listing[kind])
            #expect(table.count == 1 && table.duplicatesDropped == 1)
            #expect(table.stateValue(at: 0) == kept, "\(order)")
        }
    }

    @Test func restoreProgressBreaksTiesAndFinishedVersionsThatDifferConflict() throws {
        let less = recordJSON(.restoreJob, "R", #""Status":"RUNNING","PercentDone":"9.5""#)
        let more = recordJSON(.restoreJob, "R", #""Status":"RUNNING","PercentDone":"10.0""#)
        for order in [[less, more], [more, less]] {
            #expect(try decode(documentJSON(.restoreJob, order))[.restoreJob]?.string(RestoreJobField.percentDone, at: 0) == "10.0")
        }
        let completed = recordJSON(.copyJob, "C", #""State":"COMPLETED","CompletionDate":1700000000"#)
        let failed = recordJSON(.copyJob, "C", #""State":"FAILED","CompletionDate":1700000000"#)
        let listing = try decode(documentJSON(.copyJob, [completed, failed]) + listingJSON([jobJSON("C")]))
        #expect(listing.conflicts == [DuplicateConflict(kind: .copyJob, jobId: "C", inputs: ["jobs.json"])])
        #expect(listing.conflicts(of: .backupJob).isEmpty)
        // The same id in two kinds is two records.
        #expect(listing[.backupJob]?.count == 1 && listing[.copyJob]?.count == 1)
    }

    /// CopyJob.ChildJobsInState maps a CopyJobState to a long: kept as an integer map, keys
    /// interned, values exact; written back as it was read.
    @Test func childJobsInStateIsAMapOfIntegers() throws {
        let descriptor = CopyJobField.childJobsInState.descriptor
        #expect(descriptor.type == .integerMap)
        #expect(descriptor.mapKeys == RecordSchema.copyJob.states.values)
        let text = documentJSON(.copyJob, [recordJSON(.copyJob, "C", #""IsParent":true,"NumberOfChildJobs":4,"ChildJobsInState":{"COMPLETED":3,"FAILED":1,"RUNNING":-9223372036854775808}"#)])
        let table = try #require(try decode(text)[.copyJob])
        #expect(table.integerMap(CopyJobField.childJobsInState, at: 0) == ["COMPLETED": 3, "FAILED": 1, "RUNNING": .min])
        #expect(table.integer(CopyJobField.numberOfChildJobs, at: 0) == 4)
        let reread = try #require(try decode(bytes: ListingDocument.bytes(table))[.copyJob])
        #expect(Array(reread) == Array(table))

        for (members, message) in [
            (#""ChildJobsInState":{"COMPLETED":"3"}"#, #"expected an integer value in ChildJobsInState, found the string "3""#),
            (#""ChildJobsInState":{"COMPLETED":1e30}"#, "expected an integer from -9223372036854775808 to 9223372036854775807 in ChildJobsInState, found the number 1e30"),
            (#""ChildJobsInState":[1]"#, "expected an object of integers, found an array"),
            (#""ChildJobsInState":{"COMPLETED":1,"COMPLETED":2}"#, "the key appears twice in the same map"),
        ] {
            let error = try #require(decodingError(Array(documentJSON(.copyJob, [recordJSON(.copyJob, "C", members)]).utf8)))
            #expect(error.context == "CopyJobs[0].ChildJobsInState", "\(members)")
            #expect(error.message == message, "\(members)")
        }
    }
}

/// `jobs summary` counts each kind by its own fields: a copy job's state and source vault, a
/// restore job's Status and SourceResourceArn.
struct RecordSummaryKindTests {
    @Test func summarisesCopyAndRestoreJobsByTheirFields() throws {
        let copies = try #require(try decode(documentJSON(.copyJob, [
            recordJSON(.copyJob, "C1", #""State":"COMPLETED","ResourceArn":"arn:aws:rds:eu-west-1:1:db:a","SourceBackupVaultArn":"arn:aws:backup:eu-west-1:1:backup-vault:v","ResourceType":"RDS","CreationDate":1700000000"#),
            recordJSON(.copyJob, "C2", #""State":"RUNNING","ResourceArn":"arn:aws:rds:eu-west-1:1:db:a","SourceBackupVaultArn":"arn:aws:backup:eu-west-1:1:backup-vault:v","CreationDate":1700000100"#),
            recordJSON(.copyJob, "C3", #""State":"PARTIAL","ResourceArn":"arn:aws:ec2:us-east-1:1:volume/v","DestinationBackupVaultArn":"arn:aws:backup:eu-west-1:1:backup-vault:dr""#),
        ]))[.copyJob])
        let summary = RecordSummary(copies)
        #expect(summary.kind == .copyJob && summary.jobs == 3)
        #expect(summary.byState == ["COMPLETED": 1, "RUNNING": 1, "PARTIAL": 1])
        #expect(summary.finished == 2 && summary.inFlight == 1 && summary.otherStates == 0)
        #expect(summary.distinctResources == 2)
        #expect(summary.byRegion == ["eu-west-1": 2, "us-east-1": 1])
        #expect(summary.byVault == ["arn:aws:backup:eu-west-1:1:backup-vault:v": 2, RecordSummary.missing: 1])
        #expect(summary.byResourceType == ["RDS": 1, RecordSummary.missing: 2])
        #expect(summary.earliestCreation == Timestamp(millisecondsSinceEpoch: 1_700_000_000_000))
        #expect(summary.jobsWithoutCreationDate == 1)

        let restores = try #require(try decode(documentJSON(.restoreJob, [
            recordJSON(.restoreJob, "R1", #""Status":"ABORTED","SourceResourceArn":"arn:aws:s3:::bucket","BackupVaultArn":"arn:aws:backup:us-east-1:1:backup-vault:v""#),
            recordJSON(.restoreJob, "R2", #""Status":"PENDING","SourceResourceArn":"arn:aws:s3:::bucket""#),
        ]))[.restoreJob])
        let restoreSummary = RecordSummary(restores)
        #expect(restoreSummary.byState == ["ABORTED": 1, "PENDING": 1])
        #expect(restoreSummary.finished == 1 && restoreSummary.inFlight == 1)
        #expect(restoreSummary.distinctResources == 1)
        #expect(restoreSummary.byVault == ["arn:aws:backup:us-east-1:1:backup-vault:v": 1, RecordSummary.missing: 1])
    }
}
