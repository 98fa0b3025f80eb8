import Foundation
import Testing

@testable import BackupJobs

/// Every shape a job listing arrives in decodes to the same jobs.
struct InputFormatTests {
    /// One job in the API's form (epoch seconds) with every member of the model set.
    static let fullAPIJob = """
        {"AccountId":"123456789012","BackupJobId":"3F2E8A41-1111-4C1D-9E2B-000000000001",
         "BackupVaultName":"prod-vault","BackupVaultArn":"arn:aws:backup:eu-west-1:123456789012:backup-vault:prod-vault",
         "VaultType":"BACKUP_VAULT","VaultLockState":"LOCKED",
         "RecoveryPointArn":"arn:aws:ec2:eu-west-1::snapshot/snap-0abc",
         "RecoveryPointLifecycle":{"MoveToColdStorageAfterDays":30,"DeleteAfterDays":120,
           "OptInToArchiveForSupportedResources":true,"DeleteAfterEvent":"DELETE_AFTER_COPY"},
         "EncryptionKeyArn":"arn:aws:kms:eu-west-1:123456789012:key/k-1","IsEncrypted":true,
         "ResourceArn":"arn:aws:ec2:eu-west-1:123456789012:volume/vol-0abc",
         "CreationDate":1516925490.087,"CompletionDate":1516929090.1,"State":"COMPLETED",
         "StatusMessage":"Done \\"fine\\" \\u00e9","PercentDone":"100.0","BackupSizeInBytes":9007199254740993,
         "IamRoleArn":"arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole",
         "CreatedBy":{"BackupPlanId":"plan-1","BackupPlanArn":"arn:aws:backup:eu-west-1:123456789012:backup-plan:plan-1",
           "BackupPlanName":"daily","BackupPlanVersion":"v1","BackupRuleId":"rule-1","BackupRuleName":"DailyBackups",
           "BackupRuleCron":"cron(0 5 ? * * *)","BackupRuleTimezone":"Europe/Dublin"},
         "ExpectedCompletionDate":1516929090,"StartBy":1.5169542900E9,"ResourceType":"EBS","BytesTransferred":0,
         "BackupOptions":{"WindowsVSS":"enabled"},"BackupType":"WindowsVSS","ParentJobId":"parent-1","IsParent":false,
         "ResourceName":"data volume","InitiationDate":1516925400,"MessageCategory":"SUCCESS"}
        """

    static func expectedFullJob() -> BackupJob {
        var job = BackupJob(backupJobId: "3F2E8A41-1111-4C1D-9E2B-000000000001")
        job.accountId = "123456789012"
        job.backupVaultName = "prod-vault"
        job.backupVaultArn = "arn:aws:backup:eu-west-1:123456789012:backup-vault:prod-vault"
        job.vaultType = "BACKUP_VAULT"
        job.vaultLockState = "LOCKED"
        job.recoveryPointArn = "arn:aws:ec2:eu-west-1::snapshot/snap-0abc"
        var lifecycle = BackupJob.Lifecycle()
        lifecycle.moveToColdStorageAfterDays = 30
        lifecycle.deleteAfterDays = 120
        lifecycle.optInToArchiveForSupportedResources = true
        lifecycle.deleteAfterEvent = "DELETE_AFTER_COPY"
        job.recoveryPointLifecycle = lifecycle
        job.encryptionKeyArn = "arn:aws:kms:eu-west-1:123456789012:key/k-1"
        job.isEncrypted = true
        job.resourceArn = "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0abc"
        job.creationDate = Timestamp(millisecondsSinceEpoch: 1_516_925_490_087)
        job.completionDate = Timestamp(millisecondsSinceEpoch: 1_516_929_090_100)
        job.state = .completed
        job.statusMessage = "Done \"fine\" é"
        job.percentDone = "100.0"
        job.backupSizeInBytes = 9_007_199_254_740_993  // 2^53 + 1: exact, not through Double
        job.iamRoleArn = "arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole"
        var creator = BackupJob.RecoveryPointCreator()
        creator.backupPlanId = "plan-1"
        creator.backupPlanArn = "arn:aws:backup:eu-west-1:123456789012:backup-plan:plan-1"
        creator.backupPlanName = "daily"
        creator.backupPlanVersion = "v1"
        creator.backupRuleId = "rule-1"
        creator.backupRuleName = "DailyBackups"
        creator.backupRuleCron = "cron(0 5 ? * * *)"
        creator.backupRuleTimezone = "Europe/Dublin"
        job.createdBy = creator
        job.expectedCompletionDate = Timestamp(millisecondsSinceEpoch: 1_516_929_090_000)
        job.startBy = Timestamp(millisecondsSinceEpoch: 1_516_954_290_000)
        job.resourceType = "EBS"
        job.bytesTransferred = 0
        job.backupOptions = ["WindowsVSS": "enabled"]
        job.backupType = "WindowsVSS"
        job.parentJobId = "parent-1"
        job.isParent = false
        job.resourceName = "data volume"
        job.initiationDate = Timestamp(millisecondsSinceEpoch: 1_516_925_400_000)
        job.messageCategory = "SUCCESS"
        return job
    }

    @Test func decodesEveryMemberOfTheModel() throws {
        let listing = try decode(listingJSON([Self.fullAPIJob]))
        #expect(listing.backupJobs.count == 1)
        #expect(listing.backupJobs.asBackupJobs[0] == Self.expectedFullJob())
        #expect(listing.backupJobs.asBackupJobs[0].region == "eu-west-1")
        // Every schema field was present in the fixture: none is silently unread.
        for descriptor in RecordSchema.backupJob.fields {
            #expect(listing.backupJobs.has(descriptor.index, at: 0), "\(descriptor.path) not decoded")
        }
    }

    @Test func awsCLIOutputWithOffsetsMatchesTheAPIForm() throws {
        let cli = """
            {
                "BackupJobs": [
                    {
                        "BackupJobId": "3F2E8A41-1111-4C1D-9E2B-000000000001",
                        "CreationDate": "2018-01-25T17:11:30.087000-07:00",
                        "CompletionDate": "2018-01-26T05:41:30.1+05:30",
                        "ExpectedCompletionDate": "2018-01-26T01:11:30Z",
                        "StartBy": "2018-01-26T08:11:30.000Z",
                        "InitiationDate": "2018-01-26T00:10:00"
                    }
                ]
            }
            """
        let job = try decode(cli).backupJobs.asBackupJobs[0]
        #expect(job.creationDate == Timestamp(millisecondsSinceEpoch: 1_516_925_490_087))
        #expect(job.completionDate == Timestamp(millisecondsSinceEpoch: 1_516_925_490_100))
        #expect(job.expectedCompletionDate == Timestamp(millisecondsSinceEpoch: 1_516_929_090_000))
        #expect(job.startBy == Timestamp(millisecondsSinceEpoch: 1_516_954_290_000))
        #expect(job.initiationDate == Timestamp(millisecondsSinceEpoch: 1_516_925_400_000))
        let listing = try decode(cli)
        #expect(listing.inputs[0].formatDescription == "AWS CLI output")
        #expect(listing.inputs[0].isoTimestamps == 5)
    }

    @Test func everyContainerShapeGivesTheSameJobs() throws {
        let a = jobJSON("A", #""State":"COMPLETED","CreationDate":1700000000"#)
        let b = jobJSON("B", #""State":"FAILED","CreationDate":"2023-11-14T22:13:21Z""#)
        let shapes: [(String, String)] = [
            ("one listing", listingJSON([a, b])),
            ("concatenated pages", listingJSON([a], nextToken: "t2") + "\n" + listingJSON([b])),
            ("pages without separators", listingJSON([a], nextToken: "t2") + listingJSON([b])),
            ("a bare array", "[\(a),\(b)]"),
            ("JSON Lines", "\(a)\n\(b)\n"),
            ("JSON Lines with CRLF and blank lines", "\(a)\r\n\r\n\(b)\r\n"),
            ("a listing with other members", #"{"ResponseMetadata":{"RequestId":"x","Retries":[1,2]},"BackupJobs":["# + a + "," + b + #"],"NextToken":null}"#),
            ("a byte order mark", "\u{FEFF}" + listingJSON([a, b])),
            ("mixed", listingJSON([a]) + "[\(b)]"),
        ]
        for (name, text) in shapes {
            let table = try decode(text).backupJobs.asBackupJobs
            #expect(table.map(\.backupJobId) == ["A", "B"], "\(name)")
            #expect(table.map(\.state) == [.completed, .failed], "\(name)")
            #expect(table[1].creationDate == Timestamp(millisecondsSinceEpoch: 1_700_000_001_000), "\(name)")
        }
    }

    @Test func describesTheFormatsItRecognised() throws {
        let a = jobJSON("A", #""CreationDate":1700000000"#)
        #expect(try decode(listingJSON([a])).inputs[0].formatDescription == "API response")
        #expect(try decode(listingJSON([a], nextToken: "n") + listingJSON([a])).inputs[0].formatDescription == "API response, 2 documents")
        #expect(try decode("[\(a)]").inputs[0].formatDescription == "JSON array")
        #expect(try decode(a + "\n").inputs[0].formatDescription == "JSON Lines")
    }

    @Test func anEmptyListingIsValid() throws {
        for text in [#"{"BackupJobs": []}"#, "[]", #"{"BackupJobs":[],"NextToken":null}"#] {
            let listing = try decode(text)
            #expect(listing.backupJobs.isEmpty)
            #expect(listing.completeness == .complete)
        }
    }

    @Test func nullMembersAreMissing() throws {
        let job = try decode(listingJSON([jobJSON("A", #""State":null,"CompletionDate":null,"CreatedBy":null,"BackupOptions":null"#)])).backupJobs
        #expect(job.asBackupJobs[0] == BackupJob(backupJobId: "A"))
        #expect(!job.has(BackupJobField.state, at: 0))
        #expect(job.stateValue(at: 0) == nil)
        #expect(job.stateCode(at: 0) == RecordStates.missingCode)
    }

    @Test func unknownStatesAreKept() throws {
        let table = try decode(listingJSON([jobJSON("A", #""State":"HIBERNATING""#)])).backupJobs
        #expect(table.asBackupJobs[0].state == .unknown("HIBERNATING"))
        #expect(table.string(BackupJobField.state, at: 0) == "HIBERNATING")
        #expect(table.stateCode(at: 0) == RecordStates.unknownCode)
        #expect(table.stateValue(at: 0) == "HIBERNATING")
    }

    @Test func membersAWSAddsLaterAreKeptAsJSON() throws {
        let text = listingJSON([jobJSON("A", #""ScanResults":[{"Status": "CLEAN"}],"CreatedBy":{"BackupPlanId":"p","PlanOwner":"team-a"},"RecoveryPointLifecycle":{"DeleteAfterDays":7,"ArchiveTier":"DEEP"},"Zone\u00e9":1.5e3"#)])
        let job = try decode(text).backupJobs.asBackupJobs[0]
        #expect(job.additionalFields == [
            "ScanResults": #"[{"Status": "CLEAN"}]"#,
            "CreatedBy.PlanOwner": #""team-a""#,
            "RecoveryPointLifecycle.ArchiveTier": #""DEEP""#,
            "Zoneé": "1.5e3",
        ])
        #expect(job.createdBy?.backupPlanId == "p")
        #expect(job.recoveryPointLifecycle?.deleteAfterDays == 7)
    }

    /// Only a job's member named `CreatedBy.…` or `RecoveryPointLifecycle.…` is ambiguous (refused,
    /// see BadInputTests); other dots in names are kept, and written back where they were.
    @Test func dotsInNamesOutsideTheSchemaAreKept() throws {
        let text = listingJSON([jobJSON("A", #""Scan.Status":"x","CreatedBy":{"Owner.Team":"t"},"CreatedByTeam.X":1"#)])
        let table = try decode(text).backupJobs
        #expect(table[0].additionalFields == ["Scan.Status": #""x""#, "CreatedBy.Owner.Team": #""t""#, "CreatedByTeam.X": "1"])
        let reread = try decode(bytes: ListingDocument.bytes(table)).backupJobs
        #expect(Array(reread) == Array(table))
    }

    @Test func aListingWhoseLastPageIsMissingIsFlagged() throws {
        let a = jobJSON("A")
        #expect(try decode(listingJSON([a], nextToken: "more")).completeness.gaps.map(\.resumeToken) == ["more"])
        #expect(try decode(listingJSON([a], nextToken: "t2") + listingJSON([a], nextToken: "t3")).completeness.gaps.map(\.resumeToken) == ["t3"])
        #expect(try decode(listingJSON([a], nextToken: "t2") + listingJSON([jobJSON("B")])).completeness == .complete)
    }

    /// Jobs cut at every byte by the chunk boundary decode exactly as when read whole.
    @Test(arguments: [1, 2, 3, 5, 8, 13, 64, 1000])
    func chunkBoundariesDoNotChangeTheResult(_ chunkSize: Int) throws {
        let text = listingJSON([Self.fullAPIJob, jobJSON("B", #""StatusMessage":"\u65e5\u672c \ud83c\udf8c 日本","New":{"a":[true,false,null]}"#)], nextToken: "x")
            + "\n" + """
            {
                "BackupJobs": [
                    {
                        "BackupJobId": "C",
                        "CreationDate": "2026-11-21T16:27:59.885000-07:00"
                    }
                ]
            }
            """
        let whole = try decode(text)
        let chunked = try decode(text, chunkSize: chunkSize)
        #expect(Array(chunked.backupJobs.asBackupJobs) == Array(whole.backupJobs.asBackupJobs))
        #expect(chunked.inputs == whole.inputs)
        #expect(chunked.backupJobs.asBackupJobs[1].statusMessage == "日本 🎌 日本")
    }

    @Test func gzipOfEveryShapeDecodes() throws {
        let a = jobJSON("A", #""CreationDate":1700000000"#), b = jobJSON("B")
        for text in [listingJSON([a, b]), "[\(a),\(b)]", "\(a)\n\(b)\n"] {
            let compressed = try gzip(Array(text.utf8))
            let listing = try decode(bytes: compressed, chunkSize: 7)
            #expect(listing.backupJobs.asBackupJobs.map(\.backupJobId) == ["A", "B"])
            #expect(listing.inputs[0].compressedFiles == 1)
            #expect(listing.inputs[0].bytes == text.utf8.count)
            #expect(listing.inputs[0].storedBytes == compressed.count)
        }
    }

    @Test func concatenatedGzipMembersDecode() throws {
        let first = try gzip(Array(listingJSON([jobJSON("A")], nextToken: "2").utf8))
        let second = try gzip(Array(listingJSON([jobJSON("B")]).utf8))
        #expect(try decode(bytes: first + second).backupJobs.asBackupJobs.map(\.backupJobId) == ["A", "B"])
    }

    @Test func corruptGzipIsAnError() throws {
        let compressed = try gzip(Array(listingJSON([jobJSON("A"), jobJSON("B")]).utf8))
        let truncated = try #require(decodingError(Array(compressed.dropLast(12))))
        #expect(truncated.code == .corruptGzip)
        #expect(truncated.message == "the gzip data is truncated")
        var flipped = compressed
        flipped[14] ^= 0xFF
        flipped[15] ^= 0xFF
        for chunkSize in [1, 7, 1 << 16] {
            // Whatever the damaged data inflates to, the damage is what is reported.
            let corrupt = try #require(decodingError(flipped, chunkSize: chunkSize))
            #expect(corrupt.code == .corruptGzip, "\(corrupt)")
        }
        let trailing = try #require(decodingError(compressed + Array("junk".utf8)))
        #expect(trailing.code == .corruptGzip)
        #expect(trailing.message == "unexpected data after the end of the gzip stream")
    }

    /// Found by fuzzing (`Scripts/fuzz.sh listings`): two gzip members, the first damaged so that
    /// it inflates to a stray `|` at byte 36 before zlib sees the damage. Read 49 bytes at a time
    /// the JSON decoder stopped there first, and the file was reported as a JSON syntax error;
    /// read whole, as corrupt gzip.
    @Test(arguments: [1, 16, 49, 1 << 16])
    func damagedGzipIsReportedAsSuchWhateverTheReadSize(_ chunkSize: Int) throws {
        let damaged = Array(try #require(Data(base64Encoded:
            "H4sIAAAAAAACA6tWckpMzi4t8MpPKlayiq5GcD1TlKyU0g2VamNroACVC4wfJgAAAB+LCAAAAAAAAgOrVnJKTM4uLfDKT/JMUbJSSjdSquUCAH/wdjEVAAAA")))
        let error = try #require(decodingError(damaged, chunkSize: chunkSize))
        #expect(error.code == .corruptGzip, "\(error)")
        #expect(error.message == "corrupt gzip data: invalid distance too far back")
    }

    /// Found by fuzzing: a damaged member whose bad back-reference zlib reported when inflating
    /// into a large buffer but not when the decoder asked for a few bytes at a time (zlib's
    /// checks of a distance depend on the output room of each call), so 7-byte reads said
    /// "truncated". GzipSource inflates every call into the same room, whatever the reads.
    @Test(arguments: Array(1...64) + [1 << 16])
    func aBadDistanceIsReportedWhateverTheReadSize(_ chunkSize: Int) throws {
        let damaged = Array(try #require(Data(base64Encoded: "H4sIAAAAAAACA6tWckpMzi4v8MpPKlayiq5GcD1TlKyU8g2VakVFRUVFMDgsIkJh//90ZSIyAA==")))
        let error = try #require(decodingError(damaged, chunkSize: chunkSize))
        #expect(error.code == .corruptGzip, "\(error)")
        #expect(error.message == "corrupt gzip data: invalid distance too far back")
    }

    @Test func errorsInCompressedDataSayTheOffsetIsDecompressed() throws {
        let compressed = try gzip(Array(#"{"BackupJobs":[{"BackupJobId":"a","State":5}]}"#.utf8))
        let error = try #require(decodingError(compressed, name: "jobs.json.gz"))
        #expect(error.description == "jobs.json.gz:1:43: error[input.wrong-type]: BackupJobs[0].State: expected a string (BackupJobState), found the number 5 (byte 42 of the decompressed data)")
    }
}
