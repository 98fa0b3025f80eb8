import Testing

@testable import BackupJobs

struct TimestampTests {
    @Test(arguments: [
        ("2026-11-21T16:27:59.885000-07:00", "2026-11-21T23:27:59.885Z"),
        ("2026-11-21T16:27:59.885+05:30", "2026-11-21T10:57:59.885Z"),
        ("2026-11-21T16:27:59Z", "2026-11-21T16:27:59.000Z"),
        ("2026-11-21T16:27:59.8Z", "2026-11-21T16:27:59.800Z"),
        ("2026-11-21T16:27:59.123999Z", "2026-11-21T16:27:59.123Z"),  // cut, not rounded
        ("2026-11-21T16:27:59", "2026-11-21T16:27:59.000Z"),  // no offset: UTC
        ("2026-11-21 16:27:59+0100", "2026-11-21T15:27:59.000Z"),
        ("2026-11-21t16:27:59z", "2026-11-21T16:27:59.000Z"),
        ("2026-11-21T16:27:59,5+01", "2026-11-21T15:27:59.500Z"),
        ("2024-02-29T23:59:59.999-00:01", "2024-03-01T00:00:59.999Z"),
        ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
    ])
    func parsesISO8601(_ text: String, _ utc: String) throws {
        let timestamp = try #require(Timestamp(iso8601: text))
        #expect(timestamp.iso8601 == utc)
        #expect(Timestamp(iso8601: utc) == timestamp)
    }

    @Test(arguments: [
        "", "yesterday", "2026-11-21", "2026-11-21T16:27", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-21T24:00:00Z", "2026-11-21T16:60:00Z", "2026-11-21T16:27:60Z", "2026-11-21T16:27:59.Z",
        "2026-11-21T16:27:59+25:00", "2026-11-21T16:27:59 ", "26-11-21T16:27:59Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59-01:00",
    ])
    func rejectsWhatIsNotAnInstant(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test(arguments: [
        ("1516925490.087", 1_516_925_490_087 as Int64),
        ("1516925490.1", 1_516_925_490_100),
        ("1516925490", 1_516_925_490_000),
        ("1516925490.0879", 1_516_925_490_087),  // cut toward the past
        ("1.516925490087E9", 1_516_925_490_087),
        ("1516925490087e-3", 1_516_925_490_087),
        ("0", 0),
        ("0.0005", 0),
        ("-0.0005", -1),
        ("-1.5", -1_500),
        ("-1.0005", -1_001),
        ("253402300799.999", 253_402_300_799_999),
    ])
    func parsesEpochSeconds(_ text: String, _ milliseconds: Int64) throws {
        var text = text
        let parsed = text.withUTF8 { TimestampParser.parseEpochSeconds($0) }
        #expect(parsed == Timestamp(millisecondsSinceEpoch: milliseconds))
    }

    @Test(arguments: ["", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1.5.5", "253402300800", "1e400", "NaN", "0x10"])
    func rejectsBadEpochSeconds(_ text: String) {
        var text = text
        #expect(text.withUTF8 { TimestampParser.parseEpochSeconds($0) } == nil)
    }

    @Test func ordersByInstant() {
        let early = Timestamp(iso8601: "2026-11-21T16:27:59.885-07:00")!
        let late = Timestamp(iso8601: "2026-11-21T23:28:00Z")!
        #expect(early < late)
    }

    @Test(arguments: [-62_135_596_800_000 as Int64, -1, 0, 951_782_400_000, 1_709_251_199_999, 253_402_300_799_999])
    func formattingRoundTrips(_ milliseconds: Int64) throws {
        let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
        #expect(Timestamp(iso8601: timestamp.iso8601) == timestamp)
    }
}

struct DecimalNumberTests {
    @Test(arguments: [
        ("5", 5 as Int64?), ("-3", -3), ("2e3", 2000), ("2.0", 2), ("2.50", nil), ("9223372036854775807", .max),
        ("-9223372036854775808", .min), ("9223372036854775808", nil), ("1.5", nil), ("12345678901234567890123", nil),
    ])
    func exactIntegers(_ text: String, _ expected: Int64?) throws {
        var text = text
        let value = text.withUTF8 { DecimalNumber($0)?.exactInteger }
        #expect(value == expected)
    }
}

struct JobStateTests {
    @Test func knowsTheModelsStatesAndKeepsNewOnes() {
        #expect(BackupJobState.known.map(\.rawValue) == ["CREATED", "PENDING", "RUNNING", "ABORTING", "ABORTED", "COMPLETED", "FAILED", "EXPIRED", "PARTIAL"])
        #expect(BackupJobState(rawValue: "COMPLETED") == .completed)
        #expect(BackupJobState(rawValue: "completed") == .unknown("completed"))
        #expect(BackupJobState.known.filter(\.isFinished) == [.aborted, .completed, .failed, .expired, .partial])
        #expect(BackupJobState.known.filter(\.isInFlight) == [.created, .pending, .running])
        #expect(!BackupJobState.aborting.isFinished && !BackupJobState.aborting.isInFlight)
    }

    @Test func enumValuesMatchTheSchema() throws {
        let descriptor = try #require(RecordSchema.backupJob.descriptor(path: "State"))
        #expect(descriptor.type == .enumeration(name: "BackupJobState", values: BackupJobState.known.map(\.rawValue)))
        #expect(RecordSchema.backupJob.states.values == BackupJobState.known.map(\.rawValue))
        #expect(BackupJobState.known.map(\.code) == Array(0..<UInt8(BackupJobState.known.count)))
    }
}

struct ARNTests {
    @Test(arguments: [
        ("arn:aws:backup:eu-west-1:123456789012:backup-vault:v", "eu-west-1" as String?),
        ("arn:aws-cn:ec2:cn-north-1:123456789012:volume/vol-1", "cn-north-1"),
        ("arn:aws:s3:::bucket", nil), ("arn:aws:iam::123456789012:role/x", nil), ("not-an-arn", nil), ("arn:aws:ec2", nil),
    ])
    func region(_ arn: String, _ region: String?) {
        #expect(ARN.region(of: arn) == region)
    }

    /// A truncated or damaged ARN names no Region: read as one, a copy to
    /// `arn:aws:backup:us-west-2:123456789012` (no resource) counted as cross-Region.
    @Test(arguments: [
        ("arn:aws-us-gov:backup:us-gov-west-1:123456789012:backup-vault:v", "us-gov-west-1" as String?),
        ("arn:aws-iso-b:backup:us-isob-east-1:123456789012:backup-vault:v", "us-isob-east-1"),
        ("arn:aws:backup:us-west-2:123456789012", nil), ("arn:aws:backup:us-west-2:123456789012:", nil),
        ("arn:aws:backup:us-west-2:", nil), ("arn::backup:us-west-2:123456789012:backup-vault:v", nil),
        ("arn:aws::us-west-2:123456789012:backup-vault:v", nil), ("arn:AWS:backup:us-west-2:123456789012:backup-vault:v", nil),
        ("arn:aws:backup:US-WEST-2:123456789012:backup-vault:v", nil), ("arn:aws:backup:us-west:123456789012:backup-vault:v", nil),
        ("arn:aws:backup:us west 2:123456789012:backup-vault:v", nil), ("arn:aws:backup:us--2:123456789012:backup-vault:v", nil),
    ])
    func regionOfAMalformedOrOtherPartitionsARN(_ arn: String, _ region: String?) {
        #expect(ARN.region(of: arn) == region)
    }

    @Test(arguments: [
        ("arn:aws:backup:eu-west-1:123456789012:backup-vault:v", "123456789012" as String?),
        ("arn:aws-cn:iam::123456789012:role/x", "123456789012"), ("arn:aws-us-gov:backup:us-gov-east-1:210987654321:backup-vault:v", "210987654321"),
        ("arn:aws:s3:::bucket", nil), ("arn:aws:backup:eu-west-1:1234:backup-vault:v", nil), ("arn:aws:backup:eu-west-1:12345678901x:backup-vault:v", nil),
        ("arn:aws:backup:eu-west-1:123456789012", nil), ("arn:aws:backup:eu-west-1:123456789012:", nil), ("not:aws:backup:eu-west-1:123456789012:v", nil),
    ])
    func account(_ arn: String, _ account: String?) {
        #expect(ARN.account(of: arn) == account)
    }
}
