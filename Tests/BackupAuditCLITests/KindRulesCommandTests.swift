import Foundation
import Testing

/// Rules over copy and restore jobs on the command line: a rule whose kind the inputs lack is
/// not judged, fails the gate with exit status 2 unless that kind is allowed absent, and every
/// report says so.
struct KindRulesCommandTests {
    static let now = ["--now", "2026-11-28T12:00:00Z"]
    static let backups = #"{"BackupJobs": [{"BackupJobId": "a", "State": "COMPLETED", "ResourceArn": "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1", "CreationDate": 1795860000}]}"#
    static let copies = #"{"CopyJobs": [{"CopyJobId": "c1", "State": "COMPLETED", "ResourceArn": "arn:aws:ec2:eu-west-1:111111111111:volume/vol-1", "DestinationVaultLockState": "UNLOCKED", "CreationDate": 1795860000}]}"#
    static let rules = """
        rule copies-locked {
          title "Completed copies go to locked vaults"
          every copy job where State == COMPLETED satisfies DestinationVaultLockState == "LOCKED"
        }

        rule backed-up {
          title "Every resource has a completed backup"
          every resource has job where State == COMPLETED
        }

        """

    static func directory(_ files: [String: String]) throws -> URL {
        try DataPolicyCommandTests.temporaryFiles(files)
    }

    @Test func aRuleWithoutItsKindsInputFailsTheGateUnlessAllowed() throws {
        let dir = try Self.directory(["kinds.rules": Self.rules, "backups.json": Self.backups])
        let check = ["check", "--rules", dir.appendingPathComponent("kinds.rules").path, "--jobs", dir.appendingPathComponent("backups.json").path] + Self.now
        let refused = try CLI.run(check + ["--report", "text", "--report", "json=\(dir.appendingPathComponent("r.json").path)"])
        #expect(refused.status == 2, "\(refused.error)")
        #expect(refused.error.contains("rule copies-locked was not judged: the inputs hold no copy jobs"))
        #expect(refused.error.contains("--allow-missing-kind copy"))
        #expect(refused.output.contains("? NOT JUDGED  copies-locked"))
        #expect(refused.output.contains("not judged: the inputs hold no copy jobs, which the rule reads"))
        #expect(refused.output.contains("✓ PASS  backed-up"))
        let json = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        #expect(json.contains(#""status" : "not-judged""#) && json.contains(#""missingKinds" : ["#))

        let allowed = try CLI.run(check + ["--allow-missing-kind", "copy"])
        #expect(allowed.status == 0, "\(allowed.error)")
        #expect(allowed.output.contains("not judged: the inputs hold no copy jobs, which the rule reads (allowed to be absent)"))
        #expect(try CLI.run(check + ["--allow-missing-kind", "copies"]).status == 2)
    }

    @Test func copyJobsAreJudgedAndReportsNameTheirKind() throws {
        let dir = try Self.directory(["kinds.rules": Self.rules, "backups.json": Self.backups, "copies.json": Self.copies])
        let result = try CLI.run(["check", "--rules", dir.appendingPathComponent("kinds.rules").path, "--jobs",
                                  dir.appendingPathComponent("backups.json").path, dir.appendingPathComponent("copies.json").path,
                                  "--report", "csv"] + Self.now)
        #expect(result.status == 1, "\(result.error)")
        let row = try #require(result.output.split(separator: "\r\n").first { $0.contains("copies-locked") && $0.contains(",fail,") })
        #expect(row.contains(",fail,copy job,c1,"))
        #expect(row.hasSuffix(",copyJob"))
    }
}
