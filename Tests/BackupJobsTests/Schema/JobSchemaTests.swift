import Foundation
import TestSupport
import Testing

@testable import BackupJobs

/// The schemas are generated from the AWS Backup service model; these tests prove the two agree.
struct JobSchemaTests {
    static let modelURL = Paths.packageRoot.appendingPathComponent("model/aws-backup/backup-listings.service-model.json")

    /// backup-audit's own shape of an inventory's resource, in the service model's notation.
    static let inventoryShapesURL = Paths.packageRoot.appendingPathComponent("model/inventory/inventory-shapes.json")

    static func model() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: modelURL)) as! [String: Any]
    }

    /// The service model's shapes and ours.
    static func allShapes() throws -> [String: [String: Any]] {
        let ours = try JSONSerialization.jsonObject(with: Data(contentsOf: inventoryShapesURL)) as! [String: Any]
        return (try model()["shapes"] as! [String: [String: Any]]).merging(ours["shapes"] as! [String: [String: Any]]) { model, _ in model }
    }

    /// Flattens a record shape of the model independently of the generator: each path's shape
    /// type, its enum, and for a map the type and enum of its keys and the type of its values.
    static func modelFields(_ shape: String) throws -> [String: (type: String, enumValues: [String]?, mapKeys: [String]?, mapValueType: String?)] {
        let shapes = try allShapes()
        var fields: [String: (String, [String]?, [String]?, String?)] = [:]
        func walk(_ shapeName: String, prefix: String) {
            let members = shapes[shapeName]!["members"] as! [String: [String: Any]]
            for (name, member) in members {
                let target = shapes[member["shape"] as! String]!
                let path = prefix + name
                let type = target["type"] as! String
                var keys: [String]?, valueType: String?
                if type == "map" {
                    keys = shapes[(target["key"] as! [String: String])["shape"]!]!["enum"] as? [String]
                    valueType = shapes[(target["value"] as! [String: String])["shape"]!]!["type"] as? String
                }
                fields[path] = (type, target["enum"] as? [String], keys, valueType)
                if type == "structure" { walk(member["shape"] as! String, prefix: path + ".") }
            }
        }
        walk(shape, prefix: "")
        return fields
    }

    @Test(arguments: RecordKind.allCases)
    func schemaAndServiceModelAgree(_ kind: RecordKind) throws {
        let schema = kind.schema
        let model = try Self.modelFields(schema.shape)
        #expect(Set(model.keys) == Set(schema.fields.map(\.path)))
        for descriptor in schema.fields {
            let member = try #require(model[descriptor.path])
            switch descriptor.type {
            case .string: #expect(member.type == "string" && member.enumValues == nil, "\(descriptor.path)")
            case .enumeration(_, let values): #expect(member.type == "string" && member.enumValues == values, "\(descriptor.path)")
            case .timestamp: #expect(member.type == "timestamp", "\(descriptor.path)")
            case .integer: #expect(member.type == "long", "\(descriptor.path)")
            case .boolean: #expect(member.type == "boolean", "\(descriptor.path)")
            case .stringMap: #expect(member.type == "map" && member.mapValueType == "string", "\(descriptor.path)")
            case .integerMap:
                #expect(member.type == "map" && member.mapValueType == "long", "\(descriptor.path)")
                #expect(descriptor.mapKeys == member.mapKeys, "\(descriptor.path)")
            case .structure: #expect(member.type == "structure", "\(descriptor.path)")
            }
            #expect(!descriptor.summary.isEmpty, "\(descriptor.path) has no summary")
        }
    }

    /// Each kind's operation lists its records under the kind's member, and the record shape is
    /// the list's member shape: what the decoder looks for is what the model says.
    @Test(arguments: [RecordKind.backupJob, .copyJob, .restoreJob, .protectedResource])
    func eachKindIsItsOperationsResult(_ kind: RecordKind) throws {
        let model = try Self.model()
        let operations = model["operations"] as! [String: [String: Any]]
        let shapes = model["shapes"] as! [String: [String: Any]]
        let output = try #require((operations[kind.operation]?["output"] as? [String: String])?["shape"])
        let members = try #require(shapes[output]?["members"] as? [String: [String: String]])
        let list = try #require(members[kind.member]?["shape"], "\(kind.operation) has no \(kind.member)")
        #expect((shapes[list]?["member"] as? [String: String])?["shape"] == kind.schema.shape)
        #expect(members["NextToken"] != nil)
        // The id, state, timestamps and relation fields are real fields of the kind.
        let schema = kind.schema
        for field in [schema.idField, schema.stateField, schema.creationField, schema.completionField, schema.resourceField, schema.vaultField] {
            #expect(field.map { schema.fields.indices.contains($0.rawValue) } ?? true)
        }
        for field in [schema.creationField, schema.completionField].compactMap({ $0 }) {
            #expect(schema[field].type == .timestamp)
        }
        guard kind.family == .job else {
            // An inventory: no state, no creation; a protected resource's last backup is its completion.
            #expect(schema.stateField == nil && schema.creationField == nil && schema.states.values.isEmpty)
            #expect(schema.completionField.map { schema[$0].path } == "LastBackupTime")
            return
        }
        guard let stateField = schema.stateField, schema.creationField != nil, schema.completionField != nil,
              case .enumeration(_, let values) = schema[stateField].type else {
            Issue.record("\(kind): the state field is not an enumeration")
            return
        }
        #expect(values == schema.states.values)
    }

    /// The resources of inventories are no operation's result: one shape of ours for every source.
    @Test func inventoryResourcesHaveAShapeOfOurOwn() throws {
        let schema = RecordKind.inventoryResource.schema
        #expect(try Self.model()["shapes"].map { ($0 as! [String: Any])[schema.shape] == nil } == true)
        #expect(schema.member == "InventoryResources" && schema.family == .inventory)
        #expect(schema[schema.idField].path == "ResourceArn" && schema.stateField == nil && schema.vaultField == nil)
        #expect(schema.descriptor(path: "Tags")?.type == .stringMap)
        #expect(RecordKind.jobKinds == [.backupJob, .copyJob, .restoreJob])
        #expect(RecordKind.inventoryKinds == [.protectedResource, .inventoryResource])
    }

    @Test func generatedFilesAreUpToDate() throws {
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", Paths.packageRoot.appendingPathComponent("Scripts/generate-schema.py").path, "--check"])
        #expect(result.status == 0, "\(result.error)")
    }

    /// The value lists AWS documents reach the field descriptors of the kinds they name and
    /// docs/schema.md as the data file gives them (read here with Python's own TOML parser, not
    /// the generator).
    @Test func documentedValuesComeFromTheirDataFile() throws {
        let file = Paths.packageRoot.appendingPathComponent("model/aws-backup/documented-values.toml").path
        let script = "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))"
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, file])
        #expect(result.status == 0, "\(result.error)")
        let lists = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: [String: Any]])
        #expect(Set(lists.keys) == ["ResourceType", "MessageCategory"])
        let schemaDoc = try String(contentsOf: Paths.packageRoot.appendingPathComponent("docs/schema.md"), encoding: .utf8)
        for kind in RecordKind.allCases {
            let documented = kind.schema.fields.filter { $0.documentedValues != nil }
            let expected = lists.filter { ($0.value["kinds"] as? [String])?.contains(kind.rawValue) == true }
            #expect(Set(documented.map(\.path)) == Set(expected.keys), "\(kind)")
            for descriptor in documented {
                let entry = try #require(lists[descriptor.path]), values = try #require(descriptor.documentedValues)
                #expect(values.values == entry["values"] as? [String], "\(descriptor.path)")
                #expect(values.isClosed == entry["closed"] as? Bool, "\(descriptor.path)")
                #expect(values.description == entry["description"] as? String, "\(descriptor.path)")
                #expect(descriptor.type == .string, "\(descriptor.path): an enumeration needs no list")
                let row = try #require(schemaDoc.split(separator: "\n").first { $0.hasPrefix("| `\(descriptor.path)` |") })
                for value in values.values { #expect(row.contains("`\(value)`"), "\(descriptor.path): \(value)") }
            }
        }
        let resourceTypes = try #require(RecordSchema.backupJob.descriptor(path: "ResourceType")?.documentedValues)
        #expect(resourceTypes.isClosed && ["RDS", "EBS", "Storage Gateway", "SAP HANA on Amazon EC2"].allSatisfy(resourceTypes.values.contains))
        #expect(RecordSchema.backupJob.descriptor(path: "MessageCategory")?.documentedValues?.isClosed == false)
    }

    /// The shared folder vendors ListBackupJobs only: our model holds its metadata, operation and
    /// shapes verbatim.
    @Test(.enabled(if: Paths.sharedIsUsable, "needs ../shared (set BACKUP_AUDIT_SHARED)"))
    func vendoredModelHoldsTheSharedOne() throws {
        let url = Paths.shared.appendingPathComponent("aws-backup/list-backup-jobs.service-model.json")
        let shared = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let ours = try Self.model()
        func json(_ value: Any?) throws -> Data {
            try JSONSerialization.data(withJSONObject: try #require(value), options: [.sortedKeys])
        }
        #expect(try json(shared["metadata"]) == json(ours["metadata"]))
        let operation = { (model: [String: Any]) in (model["operations"] as? [String: Any])?["ListBackupJobs"] }
        #expect(try json(operation(shared)) == json(operation(ours)))
        let ourShapes = ours["shapes"] as! [String: Any]
        for (name, shape) in shared["shapes"] as! [String: Any] {
            #expect(try json(shape) == json(ourShapes[name]), "\(name)")
        }
    }

    @Test func coversTheIssuesFieldList() {
        let paths = Set(RecordSchema.backupJob.fields.map(\.path))
        for path in [
            "AccountId", "BackupJobId", "BackupVaultName", "BackupVaultArn", "RecoveryPointArn", "ResourceArn", "CreationDate",
            "CompletionDate", "State", "StatusMessage", "PercentDone", "BackupSizeInBytes", "IamRoleArn", "CreatedBy.BackupPlanId",
            "CreatedBy.BackupPlanArn", "CreatedBy.BackupPlanVersion", "CreatedBy.BackupRuleId", "ExpectedCompletionDate", "StartBy",
            "ResourceType", "BytesTransferred", "BackupOptions", "BackupType", "ParentJobId", "IsParent", "ResourceName",
            "VaultType", "VaultLockState", "RecoveryPointLifecycle", "EncryptionKeyArn", "IsEncrypted", "InitiationDate",
            "MessageCategory", "CreatedBy.BackupPlanName", "CreatedBy.BackupRuleName", "CreatedBy.BackupRuleCron",
            "CreatedBy.BackupRuleTimezone", "RecoveryPointLifecycle.DeleteAfterDays",
        ] {
            #expect(paths.contains(path), "\(path)")
        }
    }

    @Test func fieldsAreInJobFieldOrderAndFindable() {
        let schema = RecordSchema.backupJob
        #expect(schema.fields.map(\.index) == BackupJobField.allCases.map(\.index))
        for descriptor in schema.fields {
            #expect(schema.descriptor(path: descriptor.path) == descriptor)
            #expect(schema[descriptor.index] == descriptor)
            #expect(BackupJobField(descriptor.index).descriptor == descriptor)
        }
        #expect(RecordSchema.backupJob.descriptor(path: "CreatedBy.BackupPlanId")?.parent == BackupJobField.createdBy.index)
        #expect(RecordSchema.backupJob.descriptor(path: "State")?.parent == nil)
        #expect(RecordSchema.backupJob.descriptor(path: "iamrolearn") == nil)
    }

    @Test(arguments: [
        ("IamRoleARN", "IamRoleArn"), ("CreatedBy.BackupPlanID", "CreatedBy.BackupPlanId"), ("Stat", "State"),
        ("ResourceTyp", "ResourceType"), ("CreationDat", "CreationDate"), ("Createdby.BackupPlanId", "CreatedBy.BackupPlanId"),
    ])
    func suggestsTheIntendedField(_ typo: String, _ intended: String) {
        #expect(RecordSchema.backupJob.suggestions(for: typo).first == intended)
    }

    @Test func suggestsNothingForUnrelatedNames() {
        #expect(RecordSchema.backupJob.suggestions(for: "Banana").isEmpty)
    }

    static func sampleValue(_ descriptor: FieldDescriptor) -> FieldValue? {
        switch descriptor.type {
        case .string, .enumeration: .string("v-\(descriptor.path)")
        case .timestamp: .timestamp(Timestamp(millisecondsSinceEpoch: Int64(descriptor.index.rawValue)))
        case .integer: .integer(Int64(descriptor.index.rawValue) - 20)
        case .boolean: .boolean(descriptor.index.rawValue % 2 == 0)
        case .stringMap: .stringMap(["k": "v"])
        case .integerMap: .integerMap(["COMPLETED": 3, "FAILED": -1])
        case .structure: nil
        }
    }

    @Test func everyFieldRoundTripsThroughBackupJob() {
        var job = BackupJob(backupJobId: "id")
        for descriptor in RecordSchema.backupJob.fields {
            let value = Self.sampleValue(descriptor)
            job[BackupJobField(descriptor.index)] = value
            #expect(job[BackupJobField(descriptor.index)] == value, "\(descriptor.path)")
        }
        // Through a table and back, every value survives.
        #expect(RecordTable([job]).asBackupJobs == [job])
    }

    /// Every field of every kind survives a table (and its JSON) unchanged.
    @Test(arguments: RecordKind.allCases)
    func everyFieldRoundTripsThroughATable(_ kind: RecordKind) throws {
        var record = Record(kind, id: "id")
        for descriptor in kind.schema.fields where descriptor.index != kind.schema.idField {
            let value = Self.sampleValue(descriptor)
            record[descriptor.index] = value
            #expect(record[descriptor.index] == value, "\(descriptor.path)")
        }
        let table = RecordTable([record], kind: kind)
        #expect(table[0] == record)
        let listing = try ListingLoader().load(bytes: ListingDocument.bytes(table), name: "\(kind).json")
        #expect(listing.kinds == [kind])
        #expect(listing[kind]?[0] == record)
    }

    @Test func clearingAMemberOfAnAbsentStructureLeavesItAbsent() {
        var job = BackupJob(backupJobId: "id")
        job[.createdByBackupPlanId] = nil
        #expect(job.createdBy == nil)
    }
}
