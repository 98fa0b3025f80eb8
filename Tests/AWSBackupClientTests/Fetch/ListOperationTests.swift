import AWSBackupClient
import BackupJobs
import Foundation
import Testing

/// Each operation's description is the vendored service model's: its HTTP method and path, every
/// filter's member and query name in the model's order, their types and enums, its result member
/// and paginator, and the record field each filter compares with exists in the kind's schema.
struct ListOperationTests {
    static let modelDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("model/aws-backup")

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: modelDirectory.appendingPathComponent(name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: ListOperation.all)
    func agreesWithTheServiceModel(operation: ListOperation) throws {
        let model = try Self.json("backup-listings.service-model.json")
        let shapes = try #require(model["shapes"] as? [String: [String: Any]])
        let description = try #require((model["operations"] as? [String: [String: Any]])?[operation.name])
        let http = try #require(description["http"] as? [String: Any])
        #expect(http["method"] as? String == "GET")
        #expect(http["requestUri"] as? String == operation.path)

        let inputShape = try #require((description["input"] as? [String: Any])?["shape"] as? String)
        // Swift's JSONSerialization keeps no member order: read the members' order from the text.
        let members = try #require(shapes[inputShape]?["members"] as? [String: [String: Any]])
        let text = try String(contentsOf: Self.modelDirectory.appendingPathComponent("backup-listings.service-model.json"), encoding: .utf8)
        let inputText = try #require(text.range(of: "\"\(inputShape)\": {"))
        func position(_ member: String) -> String.Index {
            text.range(of: "\"\(member)\": {", range: inputText.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
        }
        let filters = members.keys.filter { $0 != "NextToken" && $0 != "MaxResults" }.sorted { position($0) < position($1) }
        #expect(operation.parameters.map(\.member) == filters)
        #expect(members["NextToken"]?["locationName"] as? String == "nextToken")
        #expect(members["MaxResults"]?["locationName"] as? String == "maxResults")

        for parameter in operation.parameters {
            let member = try #require(members[parameter.member])
            #expect(member["location"] as? String == "querystring")
            #expect(member["locationName"] as? String == parameter.query, "\(operation.name).\(parameter.member)")
            let shapeName = try #require(member["shape"] as? String)
            let shape = try #require(shapes[shapeName])
            switch parameter.value {
            case .timestamp:
                #expect(shape["type"] as? String == "timestamp", "\(parameter.member)")
            case .state:
                #expect(shape["enum"] as? [String] == operation.kind.schema.states.values, "\(parameter.member)")
            case .vaultName:
                #expect(shape["pattern"] as? String == #"^[a-zA-Z0-9\-\_]{2,50}$"#)
            case .resourceType:
                #expect(shape["pattern"] as? String == #"^[a-zA-Z0-9\-\_\.]{1,50}$"#)
            case .accountId:
                #expect(shape["pattern"] as? String == "^[0-9]{12}$")
                // `*` beyond the pattern only where the model's documentation of the member says so
                // ("passing <code>*</code> returns all jobs across the organization": ListBackupJobs).
                let documentsEveryAccount = (member["documentation"] as? String)?.contains("<code>*</code>") == true
                #expect(parameter.wildcards.contains("*") == documentsEveryAccount, "\(operation.name).\(parameter.member)")
            case .text:
                #expect(shape["type"] as? String == "string", "\(parameter.member)")
                #expect(shape["enum"] == nil && shape["pattern"] == nil, "\(parameter.member) has constraints the client does not check")
            }
            #expect(operation.kind.schema.index(path: parameter.field) != nil, "\(operation.kind) has no field \(parameter.field)")
        }
        #expect(operation.parameter(operation.createdAfter)?.isTimestamp == true)
        #expect(operation.parameter(operation.createdBefore)?.isTimestamp == true)
        #expect(operation.kind.operation == operation.name)
        #expect(ListOperation.listing(operation.kind) == operation)

        let outputShape = try #require((description["output"] as? [String: Any])?["shape"] as? String)
        let output = try #require(shapes[outputShape]?["members"] as? [String: Any])
        #expect(Set(output.keys) == [operation.member, "NextToken"])
        let paginator = try #require((try Self.json("backup-listings.paginators.json")["pagination"] as? [String: [String: String]])?[operation.name])
        #expect(paginator == ["input_token": "NextToken", "output_token": "NextToken", "limit_key": "MaxResults", "result_key": operation.member])
    }

    @Test func everyKindOfJobHasItsOperation() {
        #expect(RecordKind.jobKinds.map(ListOperation.listing) == ListOperation.all)
        // Inventories are read from files, not fetched (yet).
        #expect(RecordKind.inventoryKinds.allSatisfy { ListOperation.listing($0) == nil })
    }

    @Test(arguments: [
        ("ByDestinationVaultArn", "byDestinationVaultArn"), ("BySourceRecoveryPointArn", "bySourceRecoveryPointArn"),
        ("ByRestoreTestingPlanArn", "byRestoreTestingPlanArn"), ("ByStatus", "byStatus"), ("ByCreatedAfter", "byCreatedAfter"),
    ])
    func messagesNameFiltersAsParameters(member: String, name: String) throws {
        let parameter = try #require(ListOperation.all.lazy.compactMap { $0.parameter(member) }.first)
        #expect(parameter.requestParameter.rawValue == name)
    }

    /// The emulator reads a time filter named ...After as a lower bound and ...Before as an upper one.
    @Test(arguments: ListOperation.all)
    func timeFiltersAreBounds(operation: ListOperation) {
        for parameter in operation.parameters where parameter.isTimestamp {
            #expect(parameter.member.hasSuffix("After") || parameter.member.hasSuffix("Before"), "\(parameter.member)")
        }
    }
}

/// A filter holds only what its operation has, sends it under the operation's query names in the
/// model's order, and is checked against the model before anything is sent.
struct ListFilterTests {
    @Test func aFilterOfAnotherOperationIsRefusedNamingBoth() {
        var filter = ListFilter(.listRestoreJobs)
        #expect {
            try filter.set("ByDestinationVaultArn", "arn:aws:backup:us-west-2:1:backup-vault:x")
        } throws: { error in
            "\(error)" == "byDestinationVaultArn is not a filter of ListRestoreJobs (restore jobs); it filters ListCopyJobs (copy jobs)"
        }
        #expect(filter.queryItems.isEmpty)
        var backup = ListFilter(.listBackupJobs)
        #expect {
            try backup.set("ByStatus", "COMPLETED")
        } throws: { error in
            "\(error)".contains("byStatus is not a filter of ListBackupJobs (backup jobs); it filters ListRestoreJobs (restore jobs)")
        }
    }

    @Test func aValueOfTheWrongTypeIsRefused() {
        var filter = ListFilter(.listCopyJobs)
        #expect(throws: FilterError.self) { try filter.set("ByCreatedAfter", "yesterday") }
        #expect(throws: FilterError.self) { try filter.set("ByState", Timestamp(millisecondsSinceEpoch: 0)) }
    }

    @Test func queryItemsFollowTheModelOrderUnderTheOperationsNames() throws {
        var filter = ListFilter(.listRestoreJobs)
        try filter.set("ByRestoreTestingPlanArn", "arn:plan")
        try filter.set("ByStatus", "COMPLETED")
        try filter.set("ByCreatedAfter", Timestamp(iso8601: "2026-11-01T00:00:00.5Z")!)
        try filter.set("ByAccountId", "123456789012")
        #expect(filter.queryItems.map(\.name) == ["accountId", "createdAfter", "status", "restoreTestingPlanArn"])
        #expect(filter.queryItems[1].value == "2026-11-01T00:00:00.500000Z")
        #expect(BackupService.listRequest(filter, nextToken: "t", maxResults: 5).path == "/restore-jobs/")
        try filter.set("ByStatus", nil)
        #expect(filter["ByStatus"] == nil)
        #expect(filter.queryItems.map(\.name) == ["accountId", "createdAfter", "restoreTestingPlanArn"])
    }

    @Test(arguments: [
        (ListOperation.listCopyJobs, "ByState", "CREATED", true), (.listCopyJobs, "ByState", "ABORTED", false),
        (.listRestoreJobs, "ByStatus", "ABORTED", true), (.listRestoreJobs, "ByStatus", "EXPIRED", false),
        (.listBackupJobs, "ByState", "EXPIRED", true), (.listBackupJobs, "ByAccountId", "*", true),
        (.listCopyJobs, "ByAccountId", "*", false), (.listRestoreJobs, "ByAccountId", "*", false),
        (.listRestoreJobs, "ByAccountId", "1234", false), (.listRestoreJobs, "ByResourceType", "SAP HANA on Amazon EC2", true),
        (.listCopyJobs, "ByDestinationVaultArn", "", false),
    ])
    func valuesAreCheckedAgainstTheModel(operation: ListOperation, member: String, value: String, valid: Bool) throws {
        var filter = ListFilter(operation)
        try filter.set(member, value)
        if valid {
            try filter.validate()
        } else {
            #expect(throws: FilterError.self) { try filter.validate() }
        }
    }
}
