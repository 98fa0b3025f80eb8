import Foundation
import TestSupport
import Testing

@testable import BackupJobs

/// The schema is generated from the AWS Backup service model; these tests prove the two agree.
struct JobSchemaTests {
    static let modelURL = Paths.packageRoot.appendingPathComponent("model/aws-backup/list-backup-jobs.service-model.json")

    /// Flattens the model's BackupJob shape independently of the generator.
    static func modelFields() throws -> [String: (type: String, enumValues: [String]?)] {
        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: modelURL)) as! [String: Any]
        let shapes = model["shapes"] as! [String: [String: Any]]
        var fields: [String: (String, [String]?)] = [:]
        func walk(_ shapeName: String, prefix: String) {
            let members = shapes[shapeName]!["members"] as! [String: [String: Any]]
            for (name, member) in members {
                let target = shapes[member["shape"] as! String]!
                let path = prefix + name
                let type = target["type"] as! String
                fields[path] = (type, target["enum"] as? [String])
                if type == "structure" { walk(member["shape"] as! String, prefix: path + ".") }
            }
        }
        walk("BackupJob", prefix: "")
        return fields
    }

    @Test func schemaAndServiceModelAgree() throws {
        let model = try Self.modelFields()
        #expect(Set(model.keys) == Set(JobSchema.fields.map(\.path)))
        for descriptor in JobSchema.fields {
            let member = try #require(model[descriptor.path])
            switch descriptor.type {
            case .string: #expect(member.type == "string" && member.enumValues == nil, "\(descriptor.path)")
            case .enumeration(_, let values): #expect(member.type == "string" && member.enumValues == values, "\(descriptor.path)")
            case .timestamp: #expect(member.type == "timestamp", "\(descriptor.path)")
            case .integer: #expect(member.type == "long", "\(descriptor.path)")
            case .boolean: #expect(member.type == "boolean", "\(descriptor.path)")
            case .stringMap: #expect(member.type == "map", "\(descriptor.path)")
            case .structure: #expect(member.type == "structure", "\(descriptor.path)")
            }
            #expect(!descriptor.summary.isEmpty, "\(descriptor.path) has no summary")
        }
    }

    @Test func generatedFilesAreUpToDate() throws {
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", Paths.packageRoot.appendingPathComponent("Scripts/generate-schema.py").path, "--check"])
        #expect(result.status == 0, "\(result.error)")
    }

    /// The value lists AWS documents reach the field descriptors and docs/schema.md as the data
    /// file gives them (read here with Python's own TOML parser, not the generator).
    @Test func documentedValuesComeFromTheirDataFile() throws {
        let file = Paths.packageRoot.appendingPathComponent("model/aws-backup/documented-values.toml").path
        let script = "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))"
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script, file])
        #expect(result.status == 0, "\(result.error)")
        let lists = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: [String: Any]])
        #expect(Set(lists.keys) == ["ResourceType", "MessageCategory"])
        let documented = JobSchema.fields.filter { $0.documentedValues != nil }
        #expect(Set(documented.map(\.path)) == Set(lists.keys))
        let schemaDoc = try String(contentsOf: Paths.packageRoot.appendingPathComponent("docs/schema.md"), encoding: .utf8)
        for descriptor in documented {
            let entry = try #require(lists[descriptor.path]), values = try #require(descriptor.documentedValues)
            #expect(values.values == entry["values"] as? [String], "\(descriptor.path)")
            #expect(values.isClosed == entry["closed"] as? Bool, "\(descriptor.path)")
            #expect(values.description == entry["description"] as? String, "\(descriptor.path)")
            #expect(descriptor.type == .string, "\(descriptor.path): an enumeration needs no list")
            let row = try #require(schemaDoc.split(separator: "\n").first { $0.hasPrefix("| `\(descriptor.path)` |") })
            for value in values.values { #expect(row.contains("`\(value)`"), "\(descriptor.path): \(value)") }
        }
        let resourceTypes = try #require(JobSchema.descriptor(path: "ResourceType")?.documentedValues)
        #expect(resourceTypes.isClosed && ["RDS", "EBS", "Storage Gateway", "SAP HANA on Amazon EC2"].allSatisfy(resourceTypes.values.contains))
        #expect(JobSchema.descriptor(path: "MessageCategory")?.documentedValues?.isClosed == false)
    }

    @Test(.enabled(if: Paths.sharedIsUsable, "needs ../shared (set BACKUP_AUDIT_SHARED)"))
    func vendoredModelIsTheSharedOne() throws {
        let shared = Paths.shared.appendingPathComponent("aws-backup/list-backup-jobs.service-model.json")
        #expect(try Data(contentsOf: shared) == Data(contentsOf: Self.modelURL))
    }

    @Test func coversTheIssuesFieldList() {
        let paths = Set(JobSchema.fields.map(\.path))
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
        #expect(JobSchema.fields.map(\.field) == JobField.allCases)
        for descriptor in JobSchema.fields {
            #expect(JobSchema.descriptor(path: descriptor.path) == descriptor)
            #expect(JobSchema.descriptor(of: descriptor.field) == descriptor)
        }
        #expect(JobSchema.descriptor(path: "CreatedBy.BackupPlanId")?.parent == .createdBy)
        #expect(JobSchema.descriptor(path: "State")?.parent == nil)
        #expect(JobSchema.descriptor(path: "iamrolearn") == nil)
    }

    @Test(arguments: [
        ("IamRoleARN", "IamRoleArn"), ("CreatedBy.BackupPlanID", "CreatedBy.BackupPlanId"), ("Stat", "State"),
        ("ResourceTyp", "ResourceType"), ("CreationDat", "CreationDate"), ("Createdby.BackupPlanId", "CreatedBy.BackupPlanId"),
    ])
    func suggestsTheIntendedField(_ typo: String, _ intended: String) {
        #expect(JobSchema.suggestions(for: typo).first == intended)
    }

    @Test func suggestsNothingForUnrelatedNames() {
        #expect(JobSchema.suggestions(for: "Banana").isEmpty)
    }

    @Test func everyFieldRoundTripsThroughBackupJob() {
        var job = BackupJob(backupJobId: "id")
        for descriptor in JobSchema.fields {
            let value: FieldValue? = switch descriptor.type {
            case .string, .enumeration: .string("v-\(descriptor.path)")
            case .timestamp: .timestamp(Timestamp(millisecondsSinceEpoch: Int64(descriptor.field.rawValue)))
            case .integer: .integer(Int64(descriptor.field.rawValue) - 20)
            case .boolean: .boolean(descriptor.field.rawValue % 2 == 0)
            case .stringMap: .stringMap(["k": "v"])
            case .structure: nil
            }
            job[descriptor.field] = value
            #expect(job[descriptor.field] == value, "\(descriptor.path)")
        }
        // Through a table and back, every value survives.
        #expect(JobTable([job])[0] == job)
    }

    @Test func clearingAMemberOfAnAbsentStructureLeavesItAbsent() {
        var job = BackupJob(backupJobId: "id")
        job[.createdByBackupPlanId] = nil
        #expect(job.createdBy == nil)
    }
}
