import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import Testing

/// Copy and restore jobs with every filtered field used, deterministic: several accounts, states,
/// types and vaults, restore tests and plain restores, parents and children, ties and gaps in the
/// creation times.
enum KindFixtures {
    static let accounts = ["111111111111", "222222222222"]
    static let types = ["EBS", "RDS", "DynamoDB", "SAP HANA on Amazon EC2"]
    static let vaults = ["arn:aws:backup:us-west-2:999999999999:backup-vault:dr-locked", "arn:aws:backup:eu-west-1:111111111111:backup-vault:copies"]
    static let plans = ["arn:aws:backup:us-east-1:111111111111:restore-testing-plan:weekly", "arn:aws:backup:us-east-1:111111111111:restore-testing-plan:daily"]

    static func ago(minutes: Int) -> FieldValue {
        .timestamp(Timestamp(millisecondsSinceEpoch: EmulatorHarness.now.millisecondsSinceEpoch - Int64(minutes) * 60_000))
    }

    static func copyJobs(_ count: Int) -> [Record] {
        let states = CopyJobField.kind.schema.states.values
        return (0..<count).map { i in
            var record = Record(.copyJob, id: String(format: "COPY-%05d", i))
            record[CopyJobField.accountId] = .string(accounts[i % 2])
            record[CopyJobField.state] = .string(states[i % states.count])
            record[CopyJobField.resourceType] = .string(types[i % types.count])
            record[CopyJobField.resourceArn] = .string("arn:aws:rds:us-east-1:\(accounts[i % 2]):db:db-\(i % 40)")
            record[CopyJobField.sourceBackupVaultArn] = .string("arn:aws:backup:us-east-1:\(accounts[i % 2]):backup-vault:Default")
            record[CopyJobField.destinationBackupVaultArn] = .string(vaults[i % 3 == 0 ? 0 : 1])
            record[CopyJobField.sourceRecoveryPointArn] = .string("arn:aws:backup:us-east-1:\(accounts[i % 2]):recovery-point:rp-\(i % 60)")
            if i % 29 != 7 { record[CopyJobField.creationDate] = ago(minutes: (i / 3) * 37) }  // ties by three
            if i % 4 != 1 { record[CopyJobField.completionDate] = ago(minutes: (i / 3) * 37 - 20) }
            if i % 10 == 3 { record[CopyJobField.parentJobId] = .string("COPY-PARENT-\(i / 50)") }
            record[CopyJobField.messageCategory] = .string(i % 5 == 0 ? "AccessDenied" : "SUCCESS")
            return record
        }
    }

    static func restoreJobs(_ count: Int) -> [Record] {
        let states = RestoreJobField.kind.schema.states.values
        return (0..<count).map { i in
            var record = Record(.restoreJob, id: String(format: "RESTORE-%05d", i))
            record[RestoreJobField.accountId] = .string(accounts[i % 2])
            record[RestoreJobField.status] = .string(states[i % states.count])
            record[RestoreJobField.resourceType] = .string(types[i % types.count])
            record[RestoreJobField.sourceResourceArn] = .string("arn:aws:rds:us-east-1:\(accounts[i % 2]):db:db-\(i % 40)")
            if i % 3 != 2 { record[RestoreJobField.createdByRestoreTestingPlanArn] = .string(plans[i % 2]) }
            if i % 31 != 5 { record[RestoreJobField.creationDate] = ago(minutes: (i / 2) * 53) }
            if i % 4 != 1 { record[RestoreJobField.completionDate] = ago(minutes: (i / 2) * 53 - 45) }
            if i % 9 == 4 { record[RestoreJobField.parentJobId] = .string("RESTORE-PARENT-\(i / 30)") }
            return record
        }
    }

    /// Newest first, none last, then by id: the emulator's documented order.
    static func servingOrder(_ records: [Record]) -> [String] {
        func created(_ record: Record) -> Timestamp? {
            if case .timestamp(let time)? = record.schema.creationField.flatMap { record[$0] } { return time }
            return nil
        }
        return records.sorted { a, b in
            switch (created(a), created(b)) {
            case let (x?, y?) where x != y: x > y
            case (.some, .none): true
            case (.none, .some): false
            default: a.id < b.id
            }
        }.map(\.id)
    }

    static func string(_ record: Record, _ path: String) -> String? {
        if case .string(let text)? = record[record.schema.index(path: path)!] { return text }
        return nil
    }

    static func time(_ record: Record, _ path: String) -> Timestamp? {
        if case .timestamp(let time)? = record[record.schema.index(path: path)!] { return time }
        return nil
    }
}

extension EmulatorHarness {
    /// An emulator serving backup, copy and restore jobs.
    static func start(backup: [BackupJob] = [], copies: [Record] = [], restores: [Record] = []) async throws -> EmulatorHarness {
        try await start(jobs: backup) { configuration in
            configuration.serve(RecordCatalog(table: RecordTable(copies, kind: .copyJob)))
            configuration.serve(RecordCatalog(table: RecordTable(restores, kind: .restoreJob)))
        }
    }

    /// Every page of one operation's listing, following `NextToken`; the ids by the kind's id member.
    func listAll(_ operation: ListOperation, _ query: [(String, String)] = [], maxResults: Int? = nil) async throws -> (ids: [String], pages: Int) {
        var ids: [String] = []
        var pages = 0
        var token: String?
        repeat {
            var parameters = query
            if let maxResults { parameters.append(("maxResults", String(maxResults))) }
            if let token { parameters.append(("nextToken", token)) }
            let response = try await send(parameters, path: operation.path)
            try #require(response.status == 200, "page \(pages + 1): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(Set(object.keys).isSubset(of: [operation.member, "NextToken"]))
            let records = try #require(object[operation.member] as? [[String: Any]], "no \(operation.member)")
            let idMember = operation.kind.schema[operation.kind.schema.idField].path
            ids += try records.map { try #require($0[idMember] as? String) }
            token = object["NextToken"] as? String
            pages += 1
            try #require(pages <= 10_000, "the listing does not end")
        } while token != nil
        return (ids, pages)
    }
}

/// ListCopyJobs and ListRestoreJobs: each filter of the model, checked against a straightforward
/// filter of the same records written here from the model's documentation, at two page sizes.
@Suite struct EmulatorKindsTests {
    static let copies = KindFixtures.copyJobs(700)
    static let restores = KindFixtures.restoreJobs(500)

    struct FilterCase: Sendable, CustomTestStringConvertible {
        var operation: ListOperation
        var query: [(String, String)]
        var matches: @Sendable (Record) -> Bool
        var testDescription: String { operation.name + "?" + query.map { "\($0.0)=\($0.1)" }.joined(separator: "&") }

        init(_ operation: ListOperation, _ query: [(String, String)], _ matches: @escaping @Sendable (Record) -> Bool) {
            self.operation = operation
            self.query = query
            self.matches = matches
        }
    }

    static func at(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }
    static func s(_ record: Record, _ path: String) -> String? { KindFixtures.string(record, path) }
    static func t(_ record: Record, _ path: String) -> Timestamp? { KindFixtures.time(record, path) }
    /// A creation time three copies share, and one two restores share.
    static let copyTie = t(copies[300], "CreationDate")!
    static let restoreTie = t(restores[200], "CreationDate")!

    static let cases: [FilterCase] = copyCases + restoreCases

    static let copyCases: [FilterCase] = [
        FilterCase(.listCopyJobs, []) { _ in true },
        FilterCase(.listCopyJobs, [("state", "PARTIAL")]) { s($0, "State") == "PARTIAL" },
        FilterCase(.listCopyJobs, [("resourceArn", "arn:aws:rds:us-east-1:111111111111:db:db-4")]) { s($0, "ResourceArn") == "arn:aws:rds:us-east-1:111111111111:db:db-4" },
        FilterCase(.listCopyJobs, [("resourceType", "SAP HANA on Amazon EC2")]) { s($0, "ResourceType") == "SAP HANA on Amazon EC2" },
        FilterCase(.listCopyJobs, [("destinationVaultArn", KindFixtures.vaults[0])]) { s($0, "DestinationBackupVaultArn") == KindFixtures.vaults[0] },
        FilterCase(.listCopyJobs, [("destinationVaultArn", "arn:aws:backup:us-east-1:1:backup-vault:none")]) { _ in false },
        FilterCase(.listCopyJobs, [("sourceRecoveryPointArn", "arn:aws:backup:us-east-1:222222222222:recovery-point:rp-7")]) {
            s($0, "SourceRecoveryPointArn") == "arn:aws:backup:us-east-1:222222222222:recovery-point:rp-7"
        },
        FilterCase(.listCopyJobs, [("accountId", "222222222222")]) { s($0, "AccountId") == "222222222222" },
        FilterCase(.listCopyJobs, [("parentJobId", "COPY-PARENT-2")]) { s($0, "ParentJobId") == "COPY-PARENT-2" },
        FilterCase(.listCopyJobs, [("messageCategory", "AccessDenied")]) { s($0, "MessageCategory") == "AccessDenied" },
        FilterCase(.listCopyJobs, [("messageCategory", "ANY")]) { _ in true },
        FilterCase(.listCopyJobs, [("createdAfter", copyTie.iso8601)]) { t($0, "CreationDate").map { $0 >= copyTie } ?? false },
        FilterCase(.listCopyJobs, [("createdBefore", copyTie.iso8601)]) { t($0, "CreationDate").map { $0 < copyTie } ?? false },
        FilterCase(.listCopyJobs, [("completeAfter", "2026-11-25T00:00:00Z"), ("completeBefore", "2026-11-27T00:00:00Z"), ("state", "COMPLETED")]) {
            s($0, "State") == "COMPLETED" && (t($0, "CompletionDate").map { $0 >= at("2026-11-25T00:00:00Z") && $0 < at("2026-11-27T00:00:00Z") } ?? false)
        },
    ]

    static let restoreCases: [FilterCase] = [
        FilterCase(.listRestoreJobs, []) { _ in true },
        FilterCase(.listRestoreJobs, [("status", "ABORTED")]) { s($0, "Status") == "ABORTED" },
        FilterCase(.listRestoreJobs, [("restoreTestingPlanArn", KindFixtures.plans[1])]) { s($0, "CreatedBy.RestoreTestingPlanArn") == KindFixtures.plans[1] },
        FilterCase(.listRestoreJobs, [("resourceType", "DynamoDB"), ("accountId", "111111111111")]) {
            s($0, "ResourceType") == "DynamoDB" && s($0, "AccountId") == "111111111111"
        },
        FilterCase(.listRestoreJobs, [("parentJobId", "RESTORE-PARENT-3")]) { s($0, "ParentJobId") == "RESTORE-PARENT-3" },
        FilterCase(.listRestoreJobs, [("createdAfter", restoreTie.iso8601), ("status", "COMPLETED")]) {
            s($0, "Status") == "COMPLETED" && (t($0, "CreationDate").map { $0 >= restoreTie } ?? false)
        },
        FilterCase(.listRestoreJobs, [("createdBefore", restoreTie.iso8601)]) { t($0, "CreationDate").map { $0 < restoreTie } ?? false },
        FilterCase(.listRestoreJobs, [("completeBefore", "2026-11-20T00:00:00Z")]) { t($0, "CompletionDate").map { $0 < at("2026-11-20T00:00:00Z") } ?? false },
    ]

    @Test(arguments: cases)
    func filter(_ filterCase: FilterCase) async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        let all = filterCase.operation.kind == .copyJob ? Self.copies : Self.restores
        let expected = KindFixtures.servingOrder(all.filter(filterCase.matches))
        for size in [1000, 37] {
            let (ids, _) = try await harness.listAll(filterCase.operation, filterCase.query, maxResults: size)
            #expect(ids == expected, "maxResults \(size)")
        }
    }

    @Test func tiesAreTies() {
        #expect(Self.copies.filter { KindFixtures.time($0, "CreationDate") == Self.copyTie }.count > 1)
        #expect(Self.restores.filter { KindFixtures.time($0, "CreationDate") == Self.restoreTie }.count > 1)
    }

    static let invalid: [(operation: ListOperation, query: [(String, String)], fragment: String)] = [
        (.listCopyJobs, [("state", "PENDING")], "enum value set: [CREATED, RUNNING, COMPLETED, FAILED, PARTIAL]"),
        (.listRestoreJobs, [("status", "EXPIRED")], "enum value set: [PENDING, RUNNING, COMPLETED, ABORTED, FAILED]"),
        (.listRestoreJobs, [("state", "COMPLETED")], "Unknown parameter 'state': ListRestoreJobs accepts"),
        (.listBackupJobs, [("destinationVaultArn", "x")], "Unknown parameter 'destinationVaultArn': ListBackupJobs accepts"),
        (.listCopyJobs, [("backupVaultName", "Default")], "Unknown parameter 'backupVaultName'"),
        (.listCopyJobs, [("maxResults", "1001")], "less than or equal to 1000"),
        (.listRestoreJobs, [("accountId", "12")], "regular expression"),
        // `*` is documented for ListBackupJobs only (ListOperation): the pattern's 400 elsewhere.
        (.listCopyJobs, [("accountId", "*")], "Member must satisfy regular expression pattern: ^[0-9]{12}$"),
        (.listRestoreJobs, [("accountId", "*")], "Member must satisfy regular expression pattern: ^[0-9]{12}$"),
        (.listRestoreJobs, [("restoreTestingPlanArn", "")], "length greater than or equal to 1"),
        (.listCopyJobs, [("createdAfter", "last week")], "not a valid timestamp"),
    ]

    @Test(arguments: invalid)
    func invalidParameters(_ operation: ListOperation, _ query: [(String, String)], _ fragment: String) async throws {
        let harness = try await EmulatorHarness.start(copies: Array(Self.copies.prefix(5)), restores: Array(Self.restores.prefix(5)))
        defer { Task { await harness.stop() } }
        let reply = try ErrorReply(try await harness.send(query, path: operation.path))
        #expect(reply.status == 400)
        #expect(reply.type == "InvalidParameterValueException")
        #expect(reply.message.contains(fragment), "\(reply.message)")
    }

    /// A page token is bound to its operation as to its filters.
    @Test func aTokenOfOneOperationIsRefusedByAnother() async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        let first = try await harness.send([("maxResults", "5")], path: "/copy-jobs/")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any])
        let token = try #require(object["NextToken"] as? String)
        let reply = try ErrorReply(try await harness.send([("nextToken", token)], path: "/restore-jobs/"))
        #expect(reply.status == 400)
        #expect(reply.message.contains("Invalid NextToken"))
        #expect(try await harness.send([("nextToken", token)], path: "/copy-jobs/").status == 200)
    }

    /// A kind the emulator was given nothing of is an empty listing of that kind, not an error.
    @Test func aKindWithoutJobsIsAnEmptyListing() async throws {
        let harness = try await EmulatorHarness.start(jobs: EmulatorFixtures.jobs(3))
        defer { Task { await harness.stop() } }
        for operation in [ListOperation.listCopyJobs, .listRestoreJobs] {
            let response = try await harness.send([], path: operation.path)
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "{\"\(operation.member)\":[]}")
        }
        let unknown = try ErrorReply(try await harness.send([], path: "/protected-resources/"))
        #expect(unknown.status == 404)
        #expect(unknown.message.contains("ListCopyJobs is GET /copy-jobs/"))
    }

    /// Faults are the service's, not one operation's: a scripted fault hits whichever request comes.
    @Test(arguments: [ListOperation.listCopyJobs, .listRestoreJobs])
    func faultsApplyToEveryOperation(operation: ListOperation) async throws {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        defer { Task { await harness.stop() } }
        harness.emulator.injectNext(.throttling)
        let throttled = try ErrorReply(try await harness.send([], path: operation.path))
        #expect(throttled.status == 400 && throttled.type == "ThrottlingException")
        harness.emulator.updateFaults { $0.accessDenied = true }
        let denied = try ErrorReply(try await harness.send([], path: operation.path))
        #expect(denied.status == 403 && denied.type == "AccessDeniedException")
        #expect(denied.message.contains("backup:\(operation.name)"), "\(denied.message)")
    }

    /// A role may hold one List permission and not another: a denied operation gets 403, the
    /// others are served; the statistics count the requests of each operation.
    @Test func oneOperationCanBeDeniedAndRequestsAreCountedPerOperation() async throws {
        let harness = try await EmulatorHarness.start(
            backup: EmulatorFixtures.jobs(3), copies: Array(Self.copies.prefix(5)), restores: Array(Self.restores.prefix(5)))
        defer { Task { await harness.stop() } }
        harness.emulator.updateFaults { $0.deniedOperations = ["ListRestoreJobs"] }
        let denied = try ErrorReply(try await harness.send([], path: "/restore-jobs/"))
        #expect(denied.status == 403 && denied.type == "AccessDeniedException")
        #expect(denied.message.contains("backup:ListRestoreJobs"), "\(denied.message)")
        #expect(try await harness.send([], path: "/copy-jobs/").status == 200)
        #expect(try await harness.send([], path: "/backup-jobs/").status == 200)
        #expect(try await harness.send([], path: "/copy-jobs/").status == 200)
        _ = try await harness.send([], path: "/protected-resources/")
        #expect(harness.emulator.statistics.requestsByOperation == [
            "ListRestoreJobs": 1, "ListCopyJobs": 2, "ListBackupJobs": 1, "GET /protected-resources/": 1,
        ])
    }
}
