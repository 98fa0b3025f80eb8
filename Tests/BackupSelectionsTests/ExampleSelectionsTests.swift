import BackupSelections
import Foundation
import Testing

/// examples/selections/: the plans and selections of the estate of examples/list-backup-jobs.json,
/// with the tags of its resources (and four more) in get-resources.json.
@Suite struct ExampleSelectionsTests {
    static let folder = packageRoot.appendingPathComponent("examples/selections")

    static func documents() throws -> SelectionDocuments {
        var documents = SelectionDocuments()
        for name in ["get-backup-plan.json", "list-backup-plans.json", "list-backup-selections.json", "get-backup-selection.json"] {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            documents.append(try SelectionDocumentDecoder.decode(bytes, source: name))
        }
        return documents
    }

    /// get-resources.json (`aws resourcegroupstaggingapi get-resources`), read here with Foundation:
    /// reading inventories is not this module's work.
    static func resources() throws -> [SelectableResource] {
        struct Output: Decodable {
            struct Mapping: Decodable {
                struct Tag: Decodable { var Key: String; var Value: String }
                var ResourceARN: String
                var Tags: [Tag]
            }
            var ResourceTagMappingList: [Mapping]
        }
        let data = try Data(contentsOf: folder.appendingPathComponent("get-resources.json"))
        return try JSONDecoder().decode(Output.self, from: data).ResourceTagMappingList.map { mapping in
            SelectableResource(arn: mapping.ResourceARN, tags: Dictionary(uniqueKeysWithValues: mapping.Tags.map { ($0.Key, $0.Value) }))
        }
    }

    @Test func everyListedPlanAndSelectionIsGivenInFull() throws {
        let documents = try Self.documents()
        #expect(documents.plans.count == 3)
        #expect(documents.selections.count == 3)
        #expect(documents.planSummaries.count == 3)
        #expect(documents.selectionSummaries.count == 3)
        #expect(documents.plansWithoutDetails.isEmpty)
        #expect(documents.selectionsWithoutDetails.isEmpty)
        let assignments = BackupAssignments(documents)
        #expect(assignments.conflictingPlanIDs.isEmpty)
        #expect(assignments.schedules.mapValues { $0.expectedInterval?.longestGapSeconds } == [
            "db5b5fab-8f4d-4e27-9da1-494c73cf256d": 86_400,
            "0d650372-e907-44df-ad52-a24135b00a54": 43_200,
            "3e361858-a2f7-447a-952e-1b8b356f8bd1": 86_400,
        ])
    }

    /// Resource (by the end of its ARN): the selections that select it, those that exclude it, and
    /// the interval its plans promise.
    static let expected: [String: (selected: [String], excluded: [String], hours: Int64?)] = [
        "db:orders-db-0": (["databases-and-gateway-volumes"], [], 24),
        "instance/i-02f29a422eb14ab2f": (["tagged-backup-daily"], [], 12),
        "volume/vol-8daceee2092f073ff": (["tagged-backup-daily"], ["prod-volumes"], 12),
        "volume/vol-6d66c7a644fb12853": (["prod-volumes"], [], 24),
        "volume/vol-18b904ce6087413e3": (["prod-volumes"], [], 24),
        "instance/i-8b5c72dc4ee60caea": (["tagged-backup-daily"], [], 12),
        "volume/vol-ad8f062d15a4f4ef2": (["prod-volumes"], [], 24),
        ":::data-123456789012-7": (["tagged-backup-daily"], [], 12),
        "volume/vol-87FF4ADF": (["databases-and-gateway-volumes"], [], 24),
        "table/sessions": ([], [], nil),
        "volume/vol-0legacy0a1b2c3d4": ([], ["prod-volumes"], nil),
        "volume/vol-0testdata5e6f7a8b": ([], [], nil),
        ":::scratch-123456789012": ([], [], nil),
    ]

    @Test func theEstatesResourcesAndTheirSelections() throws {
        let assignments = BackupAssignments(try Self.documents())
        let resources = try Self.resources()
        #expect(resources.count == Self.expected.count)
        for resource in resources {
            let key = try #require(Self.expected.keys.first { resource.arn.hasSuffix($0) }, "\(resource.arn)")
            let expected = Self.expected[key]!
            let assignment = assignments.assignment(for: resource)
            #expect(assignment.selectedBy.map(\.selection.name) == expected.selected, "\(resource.arn)")
            #expect(assignment.excludedBy.map(\.selection.name) == expected.excluded, "\(resource.arn)")
            #expect(assignment.expectedInterval?.longestGapSeconds == expected.hours.map { $0 * 3_600 }, "\(resource.arn)")
            #expect(assignment.undeterminedBy.isEmpty)
            #expect(assignment.isSurelyUnselected == expected.selected.isEmpty)
        }
    }

    /// The jobs of examples/list-backup-jobs.json were made by the plans that select their resources.
    @Test func theJobsCameFromThePlansThatSelectTheirResources() throws {
        struct Listing: Decodable {
            struct Job: Decodable {
                struct CreatedBy: Decodable { var BackupPlanId: String }
                var ResourceArn: String
                var ResourceType: String
                var CreatedBy: CreatedBy
            }
            var BackupJobs: [Job]
        }
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("examples/list-backup-jobs.json"))
        let jobs = try JSONDecoder().decode(Listing.self, from: data).BackupJobs
        let assignments = BackupAssignments(try Self.documents())
        let tags = Dictionary(uniqueKeysWithValues: try Self.resources().map { ($0.arn, $0.tags) })
        for job in jobs {
            let resource = SelectableResource(arn: job.ResourceArn, resourceType: job.ResourceType, tags: tags[job.ResourceArn] ?? [:])
            let plans = assignments.assignment(for: resource).selectedBy.compactMap(\.selection.planID)
            #expect(plans.contains(job.CreatedBy.BackupPlanId), "\(job.ResourceArn) is backed up by \(job.CreatedBy.BackupPlanId), selected by \(plans)")
        }
    }
}
