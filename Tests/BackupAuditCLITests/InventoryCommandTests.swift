import Foundation
import Testing

/// `--resources`: inventories read into the same listing as the jobs. Rules do not judge them
/// yet, so they change no verdict, and a run given only resources is a run without jobs.
struct InventoryCommandTests {
    static let now = ["--now", "2026-11-28T12:00:00Z"]
    static let jobs = ["--jobs", "examples/list-backup-jobs.json"]

    /// A directory with a protected-resources listing, a GetResources page, a CSV inventory and a
    /// GetResources page whose next page is missing, all of the example jobs' estate.
    static func inventories() throws -> (directory: URL, protected: String, tagged: String, csv: String, partial: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("inventory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let volume = "arn:aws:ec2:eu-west-1:123456789012:volume/vol-8daceee2092f073ff"
        let files = [
            ("protected.json", #"{"Results":[{"ResourceArn":"\#(volume)","ResourceType":"EBS","LastBackupTime":"2026-11-27T01:00:00Z"}]}"#),
            ("tagged.json", #"{"ResourceTagMappingList":[{"ResourceARN":"\#(volume)","Tags":[{"Key":"backup","Value":"required"}]},{"ResourceARN":"arn:aws:ec2:us-east-1:123456789012:volume/vol-never","Tags":[{"Key":"backup","Value":"required"}]}],"PaginationToken":""}"#),
            ("inventory.csv", "arn,type,tag:backup\n\(volume),,required\narn:aws:dynamodb:us-east-1:123456789012:table/unprotected,,required\n"),
            ("partial.json", #"{"ResourceTagMappingList":[{"ResourceARN":"\#(volume)","Tags":[]}],"PaginationToken":"next-page"}"#),
        ]
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        return (directory, path("protected.json"), path("tagged.json"), path("inventory.csv"), path("partial.json"))
    }

    @Test func jobsSummaryHasASectionPerInventory() throws {
        let files = try Self.inventories()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        let text = try CLI.run(["jobs", "summary"] + Self.jobs + ["--resources", files.protected, files.tagged, files.csv])
        #expect(text.status == 0, "\(text.error)")
        for heading in ["Backup jobs   107", "Protected resources   1", "Inventory resources   3  (1 duplicate merged)"] {
            #expect(text.output.contains("\n\n" + heading + "\n"), "\(heading): \(text.output)")
        }
        #expect(text.output.contains("GetResources output; inventory resources") && text.output.contains("CSV; inventory resources"))
        // An inventory has no state: no state table, no In flight line in its section.
        let inventorySection = try #require(text.output.components(separatedBy: "Inventory resources   3").last)
        #expect(!inventorySection.contains("In flight") && inventorySection.contains("Resource type   Resources"))

        let json = try CLI.run(["jobs", "summary", "--format", "json"] + Self.jobs + ["--resources", files.protected, files.tagged])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        // `jobs` counts jobs; each kind its records.
        #expect(document["jobs"] as? Int == 107)
        let kinds = try #require(document["kinds"] as? [String: [String: Any]])
        #expect(kinds.mapValues { $0["jobs"] as? Int } == ["backupJob": 107, "protectedResource": 1, "inventoryResource": 2])
    }

    /// Inventories beside the jobs leave every verdict as it was: the same findings, the same
    /// exit status, for check, eval and query.
    @Test func inventoriesBesideJobsChangeNoVerdict() throws {
        let files = try Self.inventories()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        let resources = ["--resources", files.protected, files.tagged, files.csv]
        for command in [["check", "--rules", "rules/", "--report", "json"], ["eval", "no job where State == FAILED"], ["query", "job where State == FAILED"]] {
            let alone = try CLI.run(command + Self.jobs + Self.now)
            let beside = try CLI.run(command + Self.jobs + resources + Self.now)
            #expect(alone.status == beside.status, "\(command[0])")
            #expect([0, 1].contains(alone.status), "\(command[0]): \(alone.error)")
            if command[0] == "check" {
                let a = try #require(try JSONSerialization.jsonObject(with: Data(alone.output.utf8)) as? [String: Any])
                let b = try #require(try JSONSerialization.jsonObject(with: Data(beside.output.utf8)) as? [String: Any])
                // The same summary but for the records read of each kind, which names the inventories.
                var summaryA = try #require(a["summary"] as? [String: Any]), summaryB = try #require(b["summary"] as? [String: Any])
                #expect((summaryB["records"] as? [String: Int])?["inventoryResource"] == 3)
                summaryA["records"] = nil
                summaryB["records"] = nil
                #expect(NSDictionary(dictionary: summaryA) == NSDictionary(dictionary: summaryB))
                // Each rule's result, without how long it took.
                func results(_ report: [String: Any]) throws -> [NSDictionary] {
                    try #require(report["rules"] as? [[String: Any]]).map { rule in
                        var rule = rule
                        rule["durationSeconds"] = nil
                        return NSDictionary(dictionary: rule)
                    }
                }
                #expect(try results(a) == results(b))
                #expect(try results(a).count > 5)
            } else {
                #expect(alone.output.split(separator: "\n").dropFirst() == beside.output.split(separator: "\n").dropFirst(), "\(command[0])")
            }
        }
    }

    /// Only inventories, and rules over jobs: as with no jobs at all, refused (exit 2); with
    /// --allow-empty nothing is judged, and nothing passes.
    @Test func onlyResourcesIsNoJobs() throws {
        let files = try Self.inventories()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        for command in [["check", "--rules", "rules/"], ["eval", "no job where State == FAILED"]] {
            let refused = try CLI.run(command + ["--resources", files.tagged, files.protected] + Self.now)
            #expect(refused.status == 2 && refused.output == "", "\(command[0])")
            #expect(refused.error.contains("the inputs hold no backup jobs, which the rules read (only protected resources and inventory resources)"), "\(refused.error)")
        }
        let judged = try CLI.run(["check", "--rules", "rules/", "--allow-empty", "--report", "json", "--resources", files.tagged] + Self.now)
        #expect(judged.status == 2, "\(judged.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(judged.output.utf8)) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["passed"] as? Int == 0 && summary["failed"] as? Int == 0)
        #expect(judged.output.contains("\"jobs\" : 0"))
    }

    /// Inventories given as jobs, jobs given as resources, an inventory with a page missing, and
    /// --resources with --fetch: refused with a message saying why.
    @Test func misplacedAndIncompleteInventoriesAreRefused() throws {
        let files = try Self.inventories()
        defer { try? FileManager.default.removeItem(at: files.directory) }
        let asJobs = try CLI.run(["check", "--rules", "rules/", "--jobs", files.protected] + Self.now)
        #expect(asJobs.status == 2 && asJobs.error.contains("error[input.misplaced-kind]"), "\(asJobs.error)")
        let asResources = try CLI.run(["check", "--rules", "rules/", "--resources", "examples/list-backup-jobs.json"] + Self.now)
        #expect(asResources.status == 2 && asResources.error.contains("backup jobs are job data, not an inventory of resources"), "\(asResources.error)")
        let partial = try CLI.run(["check", "--rules", "rules/"] + Self.jobs + ["--resources", files.partial] + Self.now)
        #expect(partial.status == 2 && partial.output == "")
        #expect(partial.error.contains("ends with PaginationToken next-page") && partial.error.contains("refusing to judge incomplete data"), "\(partial.error)")
        let badList = try CLI.run(["jobs", "summary", "--resources", files.csv, "examples/README.md"])
        #expect(badList.status == 2 && badList.error.contains("examples/README.md:5:1: error[input.not-an-arn]"), "\(badList.error)")
        let fetched = try CLI.run(["check", "--rules", "rules/", "--fetch", "--resources", files.tagged])
        #expect(fetched.status == 64 || fetched.status == 2, "\(fetched.status)")
        #expect(fetched.error.contains("--resources with --fetch is not supported yet"))
    }
}
