public import BackupJobs

/// A job for tests: an id, a state, times given as hours before 2026-11-28T12:00:00Z.
public func job(
    _ id: String, _ state: BackupJobState? = .completed, resource: String? = nil, type: String? = "EBS", account: String? = "111111111111",
    createdHoursAgo: Double? = 10, durationHours: Double? = 1, role: String? = "arn:aws:iam::111111111111:role/AWSBackupDefaultServiceRole",
    plan: String? = "plan-1", message: String? = nil, configure: (inout BackupJob) -> Void = { _ in }
) -> BackupJob {
    let now: Int64 = 1_795_867_200_000  // 2026-11-28T12:00:00Z
    var job = BackupJob(backupJobId: id)
    job.state = state
    job.resourceArn = resource ?? "arn:aws:ec2:eu-west-1:111111111111:volume/vol-\(id)"
    job.resourceType = type
    job.accountId = account
    job.backupVaultArn = "arn:aws:backup:eu-west-1:111111111111:backup-vault:prod"
    if let createdHoursAgo {
        let created = now - Int64(createdHoursAgo * 3_600_000)
        job.creationDate = Timestamp(millisecondsSinceEpoch: created)
        if let durationHours, state?.isFinished == true {
            job.completionDate = Timestamp(millisecondsSinceEpoch: created + Int64(durationHours * 3_600_000))
        }
    }
    job.iamRoleArn = role
    if let plan {
        var creator = BackupJob.RecoveryPointCreator()
        creator.backupPlanId = plan
        job.createdBy = creator
    }
    job.statusMessage = message
    configure(&job)
    return job
}
