import Foundation
import Testing

struct JobsSummaryCommandTests {
    @Test func summarisesTheBundledExamplesAsText() throws {
        let result = try CLI.run(["jobs", "summary", "--jobs", "examples/list-backup-jobs.json", "examples/api-pages"])
        #expect(result.status == 0)
        #expect(result.error == "")
        try Golden.check(result.output, against: "summary-examples.txt")
    }

    @Test func summarisesAsJSON() throws {
        let result = try CLI.run(["jobs", "summary", "--jobs", "examples/list-backup-jobs.json", "--format", "json"])
        #expect(result.status == 0)
        try Golden.check(result.output, against: "summary-example.json")
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        #expect(document["schemaVersion"] as? Int == 1)
        #expect(document["jobs"] as? Int == 107)
        let kinds = try #require(document["kinds"] as? [String: [String: Any]])
        #expect(Set(kinds.keys) == ["backupJob"])
        #expect(kinds["backupJob"]?["jobs"] as? Int == 107)
        #expect(kinds["backupJob"]?["member"] as? String == "BackupJobs")
    }

    @Test func readsStandardInput() throws {
        let data = try Data(contentsOf: CLI.packageRoot.appendingPathComponent("examples/list-backup-jobs.json"))
        let result = try CLI.run(["jobs", "summary", "--jobs", "-", "--format", "json"], stdin: data)
        #expect(result.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        #expect(document["jobs"] as? Int == 107)
        #expect((document["inputs"] as? [[String: Any]])?.first?["path"] as? String == "-")
    }

    @Test func badDataExitsWithStatus2AndNamesThePlace() throws {
        let bad = Data(#"{"BackupJobs": [{"BackupJobId": "a", "CreationDate": "yesterday"}]}"#.utf8)
        let result = try CLI.run(["jobs", "summary", "--jobs", "-"], stdin: bad)
        #expect(result.status == 2)
        #expect(result.output == "")
        #expect(result.error == #"backup-audit: <stdin>:1:54: error[input.wrong-type]: BackupJobs[0].CreationDate: expected a timestamp (epoch seconds, or ISO 8601 text such as 2026-11-21T16:27:59.885Z), found the string "yesterday" (byte 53)"# + "\n")
    }

    @Test func aMissingFileExitsWithStatus2() throws {
        let result = try CLI.run(["jobs", "summary", "--jobs", "no-such-file.json"])
        #expect(result.status == 2)
        #expect(result.error == "backup-audit: no-such-file.json: error[input.unreadable]: cannot open: No such file or directory\n")
    }

    @Test func usageErrorsExitWithStatus2() throws {
        let missing = try CLI.run(["jobs", "summary"])
        #expect(missing.status == 2)
        #expect(missing.error.contains("give the data to summarise: --jobs <path> ... and/or --resources <path> ..."))
        let badFormat = try CLI.run(["jobs", "summary", "--jobs", "examples/api-pages", "--format", "xml"])
        #expect(badFormat.status == 2)
        #expect(badFormat.error.contains("xml"))
        let twice = try CLI.run(["jobs", "summary", "--jobs", "-", "-"])
        #expect(twice.status == 2)
    }

    @Test func warnsWhenTheLastPageIsMissing() throws {
        let page = Data(#"{"BackupJobs": [{"BackupJobId": "a"}], "NextToken": "resume-here"}"#.utf8)
        let result = try CLI.run(["jobs", "summary", "--jobs", "-"], stdin: page)
        #expect(result.status == 0)
        #expect(result.error.contains("<stdin> ends with NextToken resume-here, and nothing follows it: the pages after it are missing"))
        #expect(result.error.contains("--starting-token resume-here"))
        #expect(result.output.contains(/Complete +no: <stdin> ends with NextToken resume-here/))
    }

    @Test func helpDocumentsExitStatuses() throws {
        let result = try CLI.run(["jobs", "summary", "--help"])
        #expect(result.status == 0)
        try Golden.check(result.output, against: "help-jobs-summary.txt")
        let top = try CLI.run(["--help"])
        #expect(top.output.contains("2  invalid rules, parameters, waivers, input data or usage"))
    }
}

/// The README's commands are the project's front door: they must work as written, and what the
/// tour shows must be what the tool prints.
struct ReadmeTests {
    static let readme = (try? String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""

    @Test func theMainCommandRunsTheGate() throws {
        let line = try #require(Self.readme.split(separator: "\n").first { $0.hasPrefix("swift run backup-audit ") })
        let arguments = line.dropFirst("swift run backup-audit ".count).split(separator: " ").map(String.init)
        let result = try CLI.run(arguments)
        #expect(result.status == 1, "the example data fails rules, as the README says: \(result.error)")
        #expect(result.output.contains("21 rules: 9 passed, 9 failed, 3 empty"))
        // Every kind of record is given: the copy and restore rules are judged, and find faults.
        #expect(!result.output.contains("NOT JUDGED"))
        for rule in ["copy-cross-region", "copy-vault-locked", "restore-tested"] {
            #expect(result.output.contains("✗ FAIL  \(rule)"), "\(rule)")
        }
        #expect(Self.readme.contains("prints nine failing rules"))
        // The tour's excerpt is real output.
        for excerpt in [
            "✗ FAIL  rpo-freshness  [high]  Every resource has a completed backup within the RPO",
            "    fail arn:aws:rds:us-east-1:123456789012:db:orders-db-3",
            "21 rules: 9 passed, 9 failed, 3 empty; 43 findings",
        ] {
            #expect(Self.readme.contains(excerpt) && result.output.contains(excerpt), "\(excerpt)")
        }
    }

    /// Every `$ backup-audit ...` example of the README whose output it shows: run, compared.
    @Test func theTourExamplesPrintWhatTheReadmeShows() throws {
        let blocks = Self.readme.components(separatedBy: "```\n$ backup-audit ").dropFirst().map { $0.components(separatedBy: "```")[0] }
        var checked = 0
        for block in blocks {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let command = lines[0]
            // Only examples that need nothing beyond the repository (not AWS, not a user's files).
            guard command.hasPrefix("test ") || command.hasPrefix("query ") else { continue }
            let shown = lines.dropFirst().joined(separator: "\n")
            let result = try CLI.run(Self.shellWords(command))
            #expect(result.output == shown, "README example `\(command)`")
            checked += 1
        }
        #expect(checked >= 2)
    }

    /// Splits a command line on spaces outside single quotes (what the README's examples use).
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "'" { quoted.toggle(); continue }
            if character == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
                continue
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
