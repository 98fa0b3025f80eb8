import Foundation
import TestSupport
import Testing

@testable import BackupJobs

/// moto's Resource Groups Tagging API (server mode) as a peer: the raw GetResources bodies it
/// sends for tagged EBS volumes, an RDS instance and a DynamoDB table, paged two resources a page,
/// read as an inventory hold every resource with the tags boto3 reads, and their pages chain by
/// PaginationToken.
struct InventoryMotoTests {
    static let motoAvailable: Bool = {
        (try? ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import moto.server, boto3"]).status) == 0
    }()

    @Test(.enabled(if: motoAvailable, "needs moto and boto3 for python3"), .timeLimit(.minutes(2)))
    func getResourcesFromMoto() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = Paths.packageRoot.appendingPathComponent("Tests/BackupJobsTests/Decoding/moto_get_resources.py").path
        let run = try ProcessRunner.run("/usr/bin/env", ["python3", script, directory.path])
        #expect(run.status == 0, "\(run.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        let pages = try #require(report["pages"] as? Int), expected = try #require(report["resources"] as? [String: [String: String]])
        #expect(pages == 3 && expected.count == 5)

        let listing = try ListingLoader().load(jobs: [], resources: [directory.path])
        #expect(listing.completeness == .complete)
        let rows = try InventoryDecodingTests.rows(listing)
        #expect(rows.mapValues { $0.tags ?? [:] } == expected)
        let types = Dictionary(grouping: rows.values.compactMap(\.type), by: { $0 }).mapValues(\.count)
        #expect(types == ["EBS": 3, "RDS": 1, "DynamoDB": 1])

        // The pages but the last: the second page's PaginationToken is followed by nothing.
        let firstTwo = (1...2).map { directory.appendingPathComponent("page-\($0).json").path }
        let partial = try ListingLoader().load(jobs: [], resources: firstTwo)
        let gap = try #require(partial.completeness.gaps.first)
        #expect(gap.recordKind == .inventoryResource && gap.tokenMember == "PaginationToken" && gap.resumeToken != nil)
    }
}
