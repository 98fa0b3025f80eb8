import BackupJobs
import Foundation
import RuleEngine
import RuleLanguage
import Testing

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shared: URL = ProcessInfo.processInfo.environment["BACKUP_AUDIT_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static var sharedIsUsable: Bool {
        FileManager.default.fileExists(atPath: shared.path) || ProcessInfo.processInfo.environment["BACKUP_AUDIT_REQUIRE_SHARED"] == "1"
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rule-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@discardableResult
func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe(), error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let reader = Thread { errorData = error.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
}

/// Compiles rule text that must be free of errors.
func program(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> RuleProgram {
    let (program, diagnostics) = RuleSet.compile([SourceFile(name: "test.rules", text: text)])
    #expect(!diagnostics.hasErrors, "\(diagnostics.map(\.message))", sourceLocation: sourceLocation)
    return try #require(program, sourceLocation: sourceLocation)
}

/// Evaluates rule text over jobs.
func evaluate(_ rules: String, _ jobs: [BackupJob], now: String = "2026-11-28T12:00:00Z", options: EvaluationOptions = .init()) async throws -> Evaluation {
    await Evaluator.evaluate(try program(rules), jobs: JobTable(jobs), now: Timestamp(iso8601: now)!, options: options)
}

/// A job for tests: an id, a state, times given as hours before 2026-11-28T12:00:00Z.
func job(
    _ id: String, _ state: JobState? = .completed, resource: String? = nil, type: String? = "EBS", account: String? = "111111111111",
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

extension Evaluation {
    func result(_ id: String) -> RuleResult? { results.first { $0.rule.id == id } }
    func failing(_ id: String) -> [String] { result(id)?.findings.filter { $0.status == .fail }.map(\.subject) ?? [] }
}
