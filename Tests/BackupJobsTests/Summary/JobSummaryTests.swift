import Testing

@testable import BackupJobs

struct JobSummaryTests {
    @Test func countsWhatTheListingHolds() throws {
        let text = listingJSON([
            jobJSON("1", #""State":"COMPLETED","ResourceType":"EBS","AccountId":"111111111111","ResourceArn":"arn:aws:ec2:eu-west-1:111111111111:volume/vol-1","BackupVaultArn":"arn:aws:backup:eu-west-1:111111111111:backup-vault:prod","CreationDate":1700000000"#),
            jobJSON("2", #""State":"RUNNING","ResourceType":"EBS","AccountId":"111111111111","ResourceArn":"arn:aws:ec2:eu-west-1:111111111111:volume/vol-1","BackupVaultArn":"arn:aws:backup:eu-west-1:111111111111:backup-vault:prod","CreationDate":1700000500.5"#),
            jobJSON("3", #""State":"ABORTING","ResourceType":"S3","AccountId":"222222222222","ResourceArn":"arn:aws:s3:::bucket","CreationDate":1699999999"#),
            jobJSON("4", #""State":"HIBERNATING","ResourceArn":"arn:aws:rds:us-east-1:222222222222:db:x""#),
            jobJSON("5"),
            jobJSON("1", #""State":"RUNNING""#),
        ])
        let summary = RecordSummary(try decode(text).backupJobs)
        #expect(summary.jobs == 5)
        #expect(summary.duplicatesDropped == 1)
        #expect(summary.earliestCreation == Timestamp(millisecondsSinceEpoch: 1_699_999_999_000))
        #expect(summary.latestCreation == Timestamp(millisecondsSinceEpoch: 1_700_000_500_500))
        #expect(summary.jobsWithoutCreationDate == 2)
        #expect(summary.distinctResources == 3)
        #expect(summary.inFlight == 1)
        #expect(summary.finished == 1)
        #expect(summary.otherStates == 3)
        #expect(summary.byState == ["COMPLETED": 1, "RUNNING": 1, "ABORTING": 1, "HIBERNATING": 1, "(missing)": 1])
        #expect(summary.byResourceType == ["EBS": 2, "S3": 1, "(missing)": 2])
        #expect(summary.byAccount == ["111111111111": 2, "222222222222": 1, "(missing)": 2])
        #expect(summary.byRegion == ["eu-west-1": 2, "us-east-1": 1, "(missing)": 2])
        #expect(summary.byVault == ["arn:aws:backup:eu-west-1:111111111111:backup-vault:prod": 2, "(missing)": 3])
    }

    @Test func anEmptyListingHasNoTimeRange() throws {
        let summary = RecordSummary(try decode(#"{"BackupJobs":[]}"#).backupJobs)
        #expect(summary == RecordSummary(kind: .backupJob))
    }
}
