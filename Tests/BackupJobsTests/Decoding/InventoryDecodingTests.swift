import Foundation
import TestSupport
import Testing

@testable import BackupJobs

/// Reads the inventories into the listing: protected resources (ListProtectedResources), and the
/// resources that should be protected from GetResources, AWS Config, terraform state and plain
/// lists, in every format jobs are read in where the format has one.
struct InventoryDecodingTests {
    static let volume = "arn:aws:ec2:us-east-1:123456789012:volume/vol-1"
    static let table = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"

    /// Reads files written to a fresh directory as resources (and jobs).
    static func load(resources: [(String, String)], jobs: [(String, String)] = []) throws(ListingInputError) -> Listing {
        let directory = try! Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ files: [(String, String)]) -> [String] {
            files.map { name, text in
                let url = directory.appendingPathComponent(name)
                try! Data(text.utf8).write(to: url)
                return url.path
            }
        }
        return try ListingLoader().load(jobs: write(jobs), resources: write(resources))
    }

    static func error(resources: [(String, String)], jobs: [(String, String)] = [], sourceLocation: SourceLocation = #_sourceLocation) -> ListingInputError? {
        do {
            let listing = try load(resources: resources, jobs: jobs)
            Issue.record("expected an error, read \(listing.recordCount) records", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    static func protectedJSON(_ arn: String, lastBackup: String) -> String {
        #"{"ResourceArn":"\#(arn)","ResourceType":"EBS","LastBackupTime":\#(lastBackup),"LastBackupVaultArn":"arn:aws:backup:us-east-1:123456789012:backup-vault:v"}"#
    }

    /// The rows of an inventory table by ARN: type, account, tags, source.
    static func rows(_ listing: Listing) throws -> [String: (type: String?, account: String?, tags: [String: String]?, source: String?)] {
        let table = try #require(listing[.inventoryResource])
        var rows: [String: (String?, String?, [String: String]?, String?)] = [:]
        for record in table {
            var tags: [String: String]?
            if case .stringMap(let map)? = record[InventoryResourceField.tags] { tags = map }
            func text(_ field: InventoryResourceField) -> String? {
                if case .string(let value)? = record[field] { return value }
                return nil
            }
            rows[record.id] = (text(.resourceType), text(.accountId), tags, text(.source))
        }
        return rows
    }

    // MARK: Protected resources

    /// ListProtectedResources in every format: API page chain, CLI output, JSON Lines, gzip.
    @Test func protectedResourcesInEveryFormat() throws {
        let a = Self.protectedJSON(Self.volume, lastBackup: "1700000000.5")
        let b = Self.protectedJSON(Self.table, lastBackup: "1700000600")
        let cli = Self.protectedJSON(Self.volume, lastBackup: #""2023-11-14T22:13:20.500000+00:00""#)
        let pages = #"{"Results":[\#(a)],"NextToken":"t1"}"# + #"{"Results":[\#(b)]}"#
        for (name, text) in [("pages.json", pages), ("cli.json", #"{"Results":[\#(cli),\#(b)]}"#), ("lines.jsonl", a + "\n" + b + "\n")] {
            let listing = try Self.load(resources: [(name, text)])
            #expect(listing.kinds == [.protectedResource], "\(name)")
            let table = try #require(listing[.protectedResource])
            #expect(table.count == 2 && listing.completeness == .complete, "\(name)")
            #expect(table.timestamp(ProtectedResourceField.lastBackupTime.index, at: 0) == Timestamp(millisecondsSinceEpoch: 1_700_000_000_500), "\(name)")
        }
        let gzipped = try gzip(Array(pages.utf8))
        var loader = ListingLoader()
        loader.chunkSize = 64
        #expect(try loader.load(bytes: gzipped, name: "p.json.gz")[.protectedResource]?.count == 2)
        // A page announcing another that never comes: incomplete, as for jobs.
        let partial = try Self.load(resources: [("p.json", #"{"Results":[\#(a)],"NextToken":"t1"}"#)])
        #expect(partial.completeness.gaps.map(\.recordKind) == [.protectedResource])
    }

    /// The same resource in two exports: the later LastBackupTime is kept, in either order.
    @Test func duplicateProtectedResourcesKeepTheLaterLastBackup() throws {
        let older = #"{"Results":[\#(Self.protectedJSON(Self.volume, lastBackup: "1700000000"))]}"#
        let newer = #"{"Results":[\#(Self.protectedJSON(Self.volume, lastBackup: "1700086400"))]}"#
        for order in [[older, newer], [newer, older]] {
            let listing = try Self.load(resources: order.enumerated().map { ("\($0.offset).json", $0.element) })
            let table = try #require(listing[.protectedResource])
            #expect(table.count == 1 && table.duplicatesDropped == 1)
            #expect(table.timestamp(ProtectedResourceField.lastBackupTime.index, at: 0) == Timestamp(millisecondsSinceEpoch: 1_700_086_400_000))
            // No state: two versions of a resource are progress, never a conflict.
            #expect(listing.conflicts.isEmpty)
        }
    }

    /// A backup job names its resource in ResourceArn too: a JSON Lines record is a resource only
    /// without a job's id, whatever the member order.
    @Test func aJobWithItsResourceFirstIsStillAJob() throws {
        let line = #"{"ResourceArn":"\#(Self.volume)","BackupJobId":"B1","State":"COMPLETED"}"#
        #expect(try decode(line).kinds == [.backupJob])
        #expect(try decode(#"{"ResourceArn":"\#(Self.volume)","LastBackupTime":1700000000}"#).kinds == [.protectedResource])
        // Among jobs, it is a job without its id, as it always was.
        #expect(Self.error(resources: [], jobs: [("jobs.jsonl", #"{"ResourceArn":"\#(Self.volume)","State":"COMPLETED"}"#)])?.code == .missingJobID)
    }

    /// Job data among resources, or an inventory among jobs, is refused: never read as the other.
    @Test func misplacedKindsAreRefused() throws {
        let job = listingJSON([jobJSON("B1")])
        #expect(Self.error(resources: [("jobs.json", job)])?.code == .misplacedKind)
        let protected = #"{"Results":[\#(Self.protectedJSON(Self.volume, lastBackup: "1700000000"))]}"#
        let error = Self.error(resources: [], jobs: [("protected.json", protected)])
        #expect(error?.code == .misplacedKind)
        #expect(error?.description.contains("protected resources are an inventory of resources, not job data") == true)
        #expect(Self.error(resources: [], jobs: [("list.txt", Self.volume + "\n")])?.code == .notAListing)
    }

    // MARK: GetResources

    @Test func getResourcesPagesWithTheirPaginationToken() throws {
        let page1 = #"{"PaginationToken":"p2","ResourceTagMappingList":[{"ResourceARN":"\#(Self.volume)","Tags":[{"Key":"backup","Value":"required"},{"Key":"team","Value":""}],"ComplianceDetails":{"ComplianceStatus":true}}]}"#
        let page2 = #"{"ResourceTagMappingList":[{"ResourceARN":"\#(Self.table)","Tags":[]}],"PaginationToken":""}"#
        let listing = try Self.load(resources: [("a.json", page1), ("b.json", page2)])
        #expect(listing.completeness == .complete)
        let rows = try Self.rows(listing)
        #expect(rows[Self.volume]?.tags == ["backup": "required", "team": ""])
        #expect(rows[Self.volume]?.type == "EBS" && rows[Self.volume]?.account == "123456789012" && rows[Self.volume]?.source == "GetResources")
        #expect(rows[Self.table]?.tags == [:] && rows[Self.table]?.type == "DynamoDB")
        #expect(listing.inputs.map(\.formatDescription) == ["GetResources output; inventory resources", "GetResources output; inventory resources"])

        // The first page alone: its PaginationToken is followed by nothing (fail closed).
        let partial = try Self.load(resources: [("a.json", page1)])
        let gap = try #require(partial.completeness.gaps.first)
        #expect(gap.recordKind == .inventoryResource && gap.resumeToken == "p2" && gap.tokenMember == "PaginationToken")
        #expect(gap.description.contains("ends with PaginationToken p2"))
        // A page of another inventory does not continue it.
        let config = #"{"Results":["{\"arn\":\"\#(Self.table)\"}"],"QueryInfo":{}}"#
        #expect(!(try Self.load(resources: [("a.json", page1), ("c.json", config)])).completeness.isComplete)
    }

    // MARK: AWS Config

    @Test func configResultsAreJSONTexts() throws {
        let cluster = "arn:aws:rds:us-east-1:123456789012:cluster:orders"
        let results = [
            #"{\"arn\":\"\#(Self.volume)\",\"resourceType\":\"AWS::EC2::Volume\",\"accountId\":\"210987654321\",\"tags\":[{\"key\":\"backup\",\"value\":\"required\"}]}"#,
            #"{\"arn\":\"\#(cluster)\",\"configuration\":{\"engine\":\"aurora-postgresql\"},\"tags\":[]}"#,
            #"{\"arn\":\"arn:aws:rds:us-east-1:123456789012:cluster:graph\"}"#,
        ]
        let document = #"{"Results":[\#(results.map { "\"\($0)\"" }.joined(separator: ","))],"QueryInfo":{"SelectFields":[{"Name":"arn"}]}}"#
        let rows = try Self.rows(try Self.load(resources: [("config.json", document)]))
        #expect(rows[Self.volume]?.type == "EBS" && rows[Self.volume]?.account == "210987654321")
        #expect(rows[Self.volume]?.tags == ["backup": "required"] && rows[Self.volume]?.source == "SelectResourceConfig")
        // The engine tells an Aurora cluster from DocumentDB and Neptune; without it, no type.
        #expect(rows[cluster]?.type == "Aurora")
        #expect(rows["arn:aws:rds:us-east-1:123456789012:cluster:graph"].map { $0.type == nil } == true)
    }

    /// `Results` is both ListProtectedResources' member and AWS Config's: objects or JSON texts
    /// tell them apart; QueryInfo beside objects is neither, and an error.
    @Test func resultsOfBothShapes() throws {
        let empty = try Self.load(resources: [("p.json", #"{"Results":[]}"#)])
        #expect(empty.kinds == [.protectedResource])
        let emptyConfig = try Self.load(resources: [("c.json", #"{"Results": [ ],"QueryInfo":{"SelectFields":[]}}"#)])
        #expect(emptyConfig.kinds == [.inventoryResource])
        for ambiguous in [#"{"Results":[{"ResourceArn":"\#(Self.volume)"}],"QueryInfo":{}}"#, #"{"QueryInfo":{},"Results":[{"ResourceArn":"\#(Self.volume)"}]}"#] {
            let error = Self.error(resources: [("x.json", ambiguous)])
            #expect(error?.code == .ambiguousListing, "\(ambiguous)")
        }
        let mixed = Self.error(resources: [("x.json", #"{"Results":["{\"arn\":\"\#(Self.volume)\"}",{"ResourceArn":"\#(Self.table)"}]}"#)])
        #expect(mixed?.code == .mixedKinds)
        #expect(mixed?.context == "Results[1]")
    }

    // MARK: terraform

    @Test func terraformStateResourcesWithAnARN() throws {
        let state = """
            {"format_version":"1.0","values":{"root_module":{"resources":[
              {"address":"aws_ebs_volume.data","mode":"managed","type":"aws_ebs_volume","values":{"arn":"\(Self.volume)","tags":{"backup":"required"},"tags_all":{"backup":"required","env":"prod"}}},
              {"address":"data.aws_caller_identity.me","mode":"data","type":"aws_caller_identity","values":{"arn":"arn:aws:iam::123456789012:user/me"}},
              {"address":"aws_iam_role_policy_attachment.x","mode":"managed","type":"aws_iam_role_policy_attachment","values":{"role":"r"}}
            ],"child_modules":[{"address":"module.db","child_modules":[{"resources":[
              {"address":"module.db.module.t.aws_dynamodb_table.t","mode":"managed","type":"aws_dynamodb_table","values":{"arn":"\(Self.table)","tags":null,"tags_all":{}}}
            ]}]}]}}}
            """
        let listing = try Self.load(resources: [("state.json", state)])
        let rows = try Self.rows(listing)
        #expect(Set(rows.keys) == [Self.volume, Self.table])
        // tags_all: the provider's default tags too, what the resource carries.
        #expect(rows[Self.volume]?.tags == ["backup": "required", "env": "prod"] && rows[Self.volume]?.source == "TerraformState")
        #expect(rows[Self.table]?.tags == [:] && rows[Self.table]?.type == "DynamoDB")
        #expect(listing.inputs[0].formatDescription == "terraform state; inventory resources")
        let bad = state.replacingOccurrences(of: #""arn":"\#(Self.table)""#, with: #""arn":5"#)
        let error = Self.error(resources: [("state.json", bad)])
        #expect(error?.code == .wrongType)
        #expect(error?.context == "values.root_module.child_modules[0].child_modules[0].resources[0].values.arn")
    }

    // MARK: Plain lists

    @Test func listsOfARNsAndCSV() throws {
        let list = "# production\n\(Self.volume)\r\n\n  \(Self.table)  \n"
        let csv = "arn,type,name,tag:backup,tag:team\n\(Self.volume),,data,required,\"a, b\"\n\"arn:aws:s3:::bucket\",S3,,,\n"
        let listing = try Self.load(resources: [("list.txt", list), ("inventory.csv", csv)])
        let rows = try Self.rows(listing)
        #expect(rows.count == 3 && listing[.inventoryResource]?.duplicatesDropped == 1)
        #expect(rows[Self.table]?.tags == nil && rows[Self.table]?.source == "ARNList")
        #expect(rows["arn:aws:s3:::bucket"]?.type == "S3" && rows["arn:aws:s3:::bucket"]?.tags == [:])
        #expect(rows["arn:aws:s3:::bucket"].map { $0.account == nil } == true)
        #expect(listing.inputs.map(\.formatDescription) == ["list of ARNs; inventory resources", "CSV; inventory resources"])
    }

    /// Every malformed plain inventory is an error at its line and column, with its own code.
    @Test(arguments: [
        ("arns.txt", "\(volume)\nvol-1234\n", ListingInputError.Code.notAnARN, 2, 1),
        ("arns.txt", "# nothing\n\n", .empty, 0, 0),
        ("inv.csv", "arn,tpye\n\(volume),EBS\n", .csv, 1, 5),
        ("inv.csv", "type,name\nEBS,x\n", .csv, 1, 1),
        ("inv.csv", "arn,type\n\(volume),EBS,extra\n", .csv, 2, 1),
        ("inv.csv", "arn,type\n,EBS\n", .missingResourceARN, 2, 1),
        ("inv.csv", "arn,name\n\(volume),\"unclosed\n", .csv, 2, 49),
        ("inv.csv", "arn,arn\n\(volume),\(volume)\n", .csv, 1, 5),
    ])
    func malformedListsAreErrorsAtTheirPlace(_ name: String, _ text: String, _ code: ListingInputError.Code, _ line: Int, _ column: Int) {
        let error = Self.error(resources: [(name, text)])
        #expect(error?.code == code)
        if line > 0 { #expect(error.flatMap(\.location).map { [$0.line, $0.column] } == [line, column]) }
    }

    /// Malformed JSON inventories: each its code, at its entry and field.
    @Test(arguments: [
        (#"{"ResourceTagMappingList":[{"Tags":[]}]}"#, ListingInputError.Code.missingResourceARN, "ResourceTagMappingList[0]"),
        (#"{"ResourceTagMappingList":[{"ResourceARN":"i-123"}]}"#, .notAnARN, "ResourceTagMappingList[0].ResourceARN"),
        (#"{"ResourceTagMappingList":[{"ResourceARN":"\#(volume)","Tags":[{"Key":"a","Value":"1"},{"Key":"a","Value":"2"}]}]}"#, .duplicateMember, "ResourceTagMappingList[0].Tags[1]"),
        (#"{"ResourceTagMappingList":[{"ResourceARN":"\#(volume)","Tags":{"a":"1"}}]}"#, .wrongType, "ResourceTagMappingList[0].Tags"),
        (#"{"ResourceTagMappingList":{}}"#, .backupJobsNotArray, nil),
        (#"{"Results":["{\"resourceType\":\"AWS::EC2::Volume\"}"],"QueryInfo":{}}"#, .missingResourceARN, "Results[0]"),
        (#"{"Results":["{\"arn\":"],"QueryInfo":{}}"#, .truncated, "Results[0]"),
        (#"{"ResourceTagMappingList":[],"Results":[]}"#, .duplicateMember, nil),
    ] as [(String, ListingInputError.Code, String?)])
    func malformedJSONInventories(_ text: String, _ code: ListingInputError.Code, _ context: String?) {
        let error = Self.error(resources: [("inv.json", text)])
        #expect(error?.code == code, "\(text)")
        #expect(error?.context == context, "\(text)")
    }

    /// Inventory resources written by this tool (`{"InventoryResources": [...]}`) read back the same.
    @Test func inventoryTablesRoundTripThroughTheirJSON() throws {
        let csv = "arn,type,tag:backup\n\(Self.volume),,required\n\(Self.table),AWS::DynamoDB::Table,\n"
        let listing = try Self.load(resources: [("inv.csv", csv)])
        let table = try #require(listing[.inventoryResource])
        let again = try ListingLoader().load(bytes: ListingDocument.bytes(table), name: "saved.json")
        #expect(again.kinds == [.inventoryResource])
        #expect(Array(try #require(again[.inventoryResource])) == Array(table))
    }

    /// ResourceType from the ARN: the AWS Backup types, and nothing guessed.
    @Test(arguments: [
        ("arn:aws:ec2:us-east-1:1:volume/vol-1", nil, "EBS"), ("arn:aws:ec2:us-east-1:1:instance/i-1", nil, "EC2"),
        ("arn:aws:ec2:us-east-1:1:security-group/sg-1", nil, nil), ("arn:aws:rds:us-east-1:1:db:orders", nil, "RDS"),
        ("arn:aws:rds:us-east-1:1:db:orders-1", "aurora-mysql", nil), ("arn:aws:rds:us-east-1:1:cluster:c", nil, nil),
        ("arn:aws:rds:us-east-1:1:cluster:c", "aurora-postgresql", "Aurora"), ("arn:aws:rds:us-east-1:1:cluster:c", "docdb", "DocumentDB"),
        ("arn:aws:rds:us-east-1:1:cluster:c", "neptune", "Neptune"), ("arn:aws:rds:us-east-1:1:cluster:c", "postgres", "RDS"),
        ("arn:aws:dynamodb:us-east-1:1:table/t", nil, "DynamoDB"), ("arn:aws:dynamodb:us-east-1:1:table/t/stream/2024", nil, nil),
        ("arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-1", nil, "EFS"), ("arn:aws:fsx:us-east-1:1:file-system/fs-1", nil, "FSx"),
        ("arn:aws:s3:::bucket", nil, "S3"), ("arn:aws:s3:::bucket/key", nil, nil),
        ("arn:aws:storagegateway:us-east-1:1:gateway/sgw-1/volume/vol-1", nil, "Storage Gateway"),
        ("arn:aws:backup-gateway:us-east-1:1:vm/vm-1", nil, "VirtualMachine"), ("arn:aws:cloudformation:us-east-1:1:stack/s/1", nil, "CloudFormation"),
        ("arn:aws:redshift:us-east-1:1:cluster:r", nil, "Redshift"), ("arn:aws:redshift-serverless:us-east-1:1:namespace/n", nil, "Redshift Serverless"),
        ("arn:aws:timestream:us-east-1:1:database/d/table/t", nil, "Timestream"), ("arn:aws:eks:us-east-1:1:cluster/k", nil, "EKS"),
        ("arn:aws:lambda:us-east-1:1:function:f", nil, nil), ("not-an-arn", nil, nil),
    ] as [(String, String?, String?)])
    func resourceTypeFromTheARN(_ arn: String, _ engine: String?, _ type: String?) {
        #expect(BackupResourceType.of(arn: arn, engine: engine) == type)
        if let type {
            #expect(RecordSchema.backupJob.descriptor(path: "ResourceType")?.documentedValues?.values.contains(type) == true)
        }
    }

    /// The generator's inventories of one estate (`--kind protected|inventory`) read whole: every
    /// resource Python reads, with its tags.
    @Test(.enabled(if: Paths.sharedIsUsable, "needs ../shared (set BACKUP_AUDIT_SHARED)"))
    func generatedInventoriesOfTheEstate() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var listings: [Listing] = []
        for format in ["api", "cli"] {
            let protected = directory.appendingPathComponent("protected-\(format).json"), inventory = directory.appendingPathComponent("inventory-\(format).json")
            try generateJobs(["--preset", "small", "--seed", "5", "--kind", "protected", "--format", format], output: protected)
            try generateJobs(["--preset", "small", "--seed", "5", "--kind", "inventory", "--format", format], output: inventory)
            listings.append(try ListingLoader().load(jobs: [], resources: [protected.path, inventory.path]))
        }
        let script = """
            import json, sys
            protected = json.load(open(sys.argv[1]))["Results"]
            inventory = json.load(open(sys.argv[2]))["ResourceTagMappingList"]
            print(json.dumps([len(protected), len({r["ResourceArn"] for r in protected}),
                              {r["ResourceARN"]: {t["Key"]: t["Value"] for t in r["Tags"]} for r in inventory}]))
            """
        let python = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, directory.appendingPathComponent("protected-api.json").path,
                                                            directory.appendingPathComponent("inventory-api.json").path])
        #expect(python.status == 0, "\(python.error)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [Any])
        let listing = listings[0]
        #expect(listing.kinds == [.protectedResource, .inventoryResource] && listing.completeness == .complete)
        #expect(listing[.protectedResource]?.count == expected[1] as? Int)
        let tags = try #require(expected[2] as? [String: [String: String]])
        #expect(tags.count > 100)
        let rows = try Self.rows(listing)
        #expect(rows.mapValues { $0.tags ?? [:] } == tags)
        // Every ARN of the estate's supported types gets its type; Aurora, DocumentDB and Neptune
        // clusters (the same rds:cluster form) get none.
        #expect(rows.filter { $0.key.contains(":rds:") && $0.key.contains(":cluster:") }.allSatisfy { $0.value.type == nil })
        #expect(rows.filter { $0.key.contains(":volume/vol-") && $0.key.contains(":ec2:") }.allSatisfy { $0.value.type == "EBS" })
        #expect(Array(try #require(listings[0][.protectedResource])) == Array(try #require(listings[1][.protectedResource])))
        #expect(Array(try #require(listings[0][.inventoryResource])) == Array(try #require(listings[1][.inventoryResource])))
    }
}
