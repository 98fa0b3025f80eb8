import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import TestSupport
import Testing

/// The requests this client sends are botocore's, byte for byte where it counts: the same path,
/// query parameters and encoding, the same canonical request, the same signature, for the same
/// keys and time, for every List operation and filter (botocore serializes and signs in a
/// subprocess; nothing goes to the network).
struct BotocoreDifferentialTests {
    static let time = Timestamp(iso8601: "2026-11-28T12:00:00Z")!
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("botocore_requests.py")

    /// One call of one operation: its botocore parameters (times as ISO 8601 text), from which
    /// our filter is built through the operation's description.
    struct Case: Sendable, CustomStringConvertible {
        var operation: ListOperation
        var params: [String: any Sendable]
        var description: String { "\(operation.name) \(params.keys.sorted())" }

        /// Our request for the same call.
        func request() throws -> SignableRequest {
            var filter = ListFilter(operation)
            for (member, value) in params where member != "NextToken" && member != "MaxResults" {
                let parameter = try #require(operation.parameter(member), "\(operation.name) has no \(member)")
                let text = try #require(value as? String)
                if parameter.isTimestamp { try filter.set(member, try #require(Timestamp(iso8601: text))) } else { try filter.set(member, text) }
            }
            return BackupService.listRequest(filter, nextToken: params["NextToken"] as? String, maxResults: params["MaxResults"] as? Int)
        }
    }

    static func cases() -> [Case] {
        [
            Case(operation: .listBackupJobs, params: [:]),
            Case(operation: .listBackupJobs, params: [
                "ByResourceArn": "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0abc def+ü", "ByState": "FAILED",
                "ByBackupVaultName": "prod_vault-1", "ByCreatedBefore": "2026-11-28T00:00:00Z", "ByCreatedAfter": "2026-11-01T08:30:15.250Z",
                "ByResourceType": "EBS", "ByAccountId": "123456789012", "ByCompleteBefore": "2026-11-29T00:00:00Z",
                "ByCompleteAfter": "2026-11-02T00:00:00.001Z", "ByParentJobId": "parent/1=2&3", "ByMessageCategory": "ACCESS_DENIED",
                "MaxResults": 1000, "NextToken": "AAE+/token==with%chars",
            ]),
            Case(operation: .listBackupJobs, params: ["ByAccountId": "*", "ByMessageCategory": "AGGREGATE_ALL", "MaxResults": 1]),
            Case(operation: .listBackupJobs, params: ["ByResourceType": "Storage Gateway", "ByCreatedAfter": "1970-01-01T00:00:00Z"]),
            Case(operation: .listCopyJobs, params: [:]),
            Case(operation: .listCopyJobs, params: [
                "ByResourceArn": "arn:aws:rds:eu-west-1:123456789012:db:prod db+ü", "ByState": "PARTIAL",
                "ByCreatedBefore": "2026-11-28T00:00:00Z", "ByCreatedAfter": "2026-11-01T08:30:15.250Z", "ByResourceType": "RDS",
                "ByDestinationVaultArn": "arn:aws:backup:us-west-2:210987654321:backup-vault:dr/locked=1",
                "ByAccountId": "123456789012", "ByCompleteBefore": "2026-11-29T00:00:00Z", "ByCompleteAfter": "2026-11-02T00:00:00.001Z",
                "ByParentJobId": "parent/1=2&3", "ByMessageCategory": "ANY",
                "BySourceRecoveryPointArn": "arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:job-1~a",
                "MaxResults": 7, "NextToken": "c29tZQ==/+",
            ]),
            Case(operation: .listCopyJobs, params: ["ByAccountId": "210987654321", "ByCreatedAfter": "2026-11-21T12:00:00Z", "MaxResults": 1000]),
            Case(operation: .listRestoreJobs, params: [:]),
            Case(operation: .listRestoreJobs, params: [
                "ByAccountId": "123456789012", "ByResourceType": "SAP HANA on Amazon EC2",
                "ByCreatedBefore": "2026-11-28T00:00:00Z", "ByCreatedAfter": "2026-11-01T08:30:15.250Z", "ByStatus": "ABORTED",
                "ByCompleteBefore": "2026-11-29T00:00:00Z", "ByCompleteAfter": "2026-11-02T00:00:00.001Z",
                "ByRestoreTestingPlanArn": "arn:aws:backup:eu-west-1:123456789012:restore-testing-plan:weekly_rds-1+x",
                "ByParentJobId": "parent restore/9", "MaxResults": 1, "NextToken": "a b&c=d",
            ]),
            Case(operation: .listRestoreJobs, params: ["ByStatus": "COMPLETED", "ByCompleteAfter": "2026-11-14T00:00:00Z"]),
        ]
    }

    @Test(arguments: [nil, "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH+token/="])
    func requestsMatchBotocore(sessionToken: String?) throws {
        let keys = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: sessionToken)
        let cases = Self.cases()
        var spec: [String: Any] = [
            "time": "2026-11-28T12:00:00Z", "accessKey": keys.accessKeyID, "secretKey": keys.secretAccessKey, "region": "eu-west-1",
            "cases": cases.map { ["operation": $0.operation.name, "params": $0.params] },
        ]
        if let sessionToken { spec["sessionToken"] = sessionToken }
        let expected = try Self.botocore(spec)
        try #require(expected.count == cases.count)
        let environment = ProviderEnvironment(variables: [:], home: nil, now: { Self.time }, transport: AsyncHTTPTransport())
        let service = BackupService(
            region: "eu-west-1", endpoint: "https://backup.eu-west-1.amazonaws.com",
            credentials: RefreshingCredentials(EnvironmentCredentialProvider(environment: environment), environment: environment),
            transport: environment.transport, now: { Self.time })
        for (index, item) in cases.enumerated() {
            let request = try item.request()
            let sent = try service.signed(request, with: keys, at: Self.time)
            let botocore = expected[index]
            let url = URL(string: sent.url)!
            #expect(url.path() == botocore["path"], "\(item)")
            // Parameters may come in another order on the wire; each must be encoded the same.
            let ours = Set((url.query(percentEncoded: true) ?? "").split(separator: "&").map(String.init))
            let theirs = Set((botocore["query"] ?? "").split(separator: "&").map(String.init))
            #expect(ours == theirs, "\(item): ours \(ours.subtracting(theirs)), botocore \(theirs.subtracting(ours))")
            let signer = SigV4(credentials: keys, region: "eu-west-1", service: "backup")
            var signable = request
            signable.headers = [("Host", "backup.eu-west-1.amazonaws.com"), ("X-Amz-Date", "20261128T120000Z")]
                + (sessionToken.map { [("X-Amz-Security-Token", $0)] } ?? [])
            let canonical = signer.canonicalRequest(signable, payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").text
            #expect(canonical == botocore["canonicalRequest"], "\(item)")
            #expect(sent.headers.first { $0.name == "Authorization" }?.value == botocore["authorization"], "\(item)")
        }
    }

    static func botocore(_ spec: [String: Any]) throws -> [[String: String]] {
        try python(script, spec) as! [[String: String]]
    }

    static func python(_ script: URL, _ spec: [String: Any]) throws -> Any {
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", script.path], stdin: try JSONSerialization.data(withJSONObject: spec))
        try #require(result.status == 0, "\(script.lastPathComponent) failed (is botocore installed? .ci/run installs it): \(result.error)")
        return try JSONSerialization.jsonObject(with: result.outputData)
    }
}

/// Resume tokens cross between this client and botocore's paginator (the AWS CLI's): a
/// `--max-items` listing started with one continues with the other, every job once.
@Suite(.serialized) struct BotocorePaginatorTests {
    static let jobs = spreadJobs(237)
    static let paginate = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("botocore_paginate.py")

    func botocore(_ harness: EmulatorHarness, maxItems: Int?, pageSize: Int, startingToken: String?) throws -> (ids: [String], token: String?) {
        var spec: [String: Any] = [
            "endpoint": harness.emulator.baseURL, "region": "us-east-1", "accessKey": EmulatorHarness.key.accessKeyID,
            "secretKey": EmulatorHarness.key.secretAccessKey, "pageSize": pageSize,
        ]
        if let maxItems { spec["maxItems"] = maxItems }
        if let startingToken { spec["startingToken"] = startingToken }
        let result = try BotocoreDifferentialTests.python(Self.paginate, spec) as! [String: Any]
        return (result["ids"] as! [String], result["resumeToken"] as? String)
    }

    func ours(_ harness: EmulatorHarness, maxItems: Int?, pageSize: Int, startingToken: String?) async throws -> (ids: [String], token: String?) {
        var request = FetchRequest(regions: ["us-east-1"])
        request.maxItems = maxItems
        request.pageSize = pageSize
        request.startingToken = startingToken
        // The emulator's clock is fixed; botocore signs with the real one.
        harness.emulator.setClock(.system)
        let result = try await harness.fetcher(request, now: { EmulatorClock.system.now() }).fetch()
        return (result.listing.backupJobs.asBackupJobs.map(\.backupJobId), result.record.resumeToken)
    }

    @Test(arguments: [(maxItems: 45, pageSize: 20), (maxItems: 40, pageSize: 20), (maxItems: 7, pageSize: 100)])
    func tokensCrossBothWays(maxItems: Int, pageSize: Int) async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.clock = .system }
        defer { Task { await harness.stop() } }
        var ids: [String] = []
        var token: String?
        var rounds = 0
        // Alternate: botocore, ours, botocore, ... each resuming from the other's token.
        repeat {
            let part = rounds.isMultiple(of: 2)
                ? try botocore(harness, maxItems: maxItems, pageSize: pageSize, startingToken: token)
                : try await ours(harness, maxItems: maxItems, pageSize: pageSize, startingToken: token)
            ids += part.ids
            token = part.token
            rounds += 1
        } while token != nil && rounds < 200
        #expect(ids.count == Self.jobs.count)
        #expect(Set(ids).count == ids.count, "a job came twice")
        #expect(Set(ids) == Set(Self.jobs.map(\.backupJobId)))
    }

    @Test func ourTokensAreBotocoresForTheSamePages() async throws {
        let harness = try await EmulatorHarness.start(jobs: Self.jobs) { $0.clock = .system }
        defer { Task { await harness.stop() } }
        let theirs = try botocore(harness, maxItems: 45, pageSize: 20, startingToken: nil)
        let mine = try await ours(harness, maxItems: 45, pageSize: 20, startingToken: nil)
        #expect(mine.ids == theirs.ids)
        // Page tokens are opaque and fresh each time; the envelope around them must match.
        func envelope(_ token: String?) -> String? {
            token.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self).replacing(/"NextToken": "[^"]*"/, with: "\"NextToken\": T") }
        }
        #expect(envelope(mine.token) == envelope(theirs.token))
        #expect(envelope(mine.token) == #"{"NextToken": T, "boto_truncate_amount": 5}"#)
    }
}

/// The same for ListCopyJobs and ListRestoreJobs (`aws backup list-copy-jobs --max-items`,
/// `list-restore-jobs`): tokens from botocore's paginator resume here and ours resume there,
/// every record once, and ours are botocore's for the same pages.
@Suite(.serialized) struct BotocoreKindsPaginatorTests {
    static let copies = KindFixtures.copyJobs(211)
    static let restores = KindFixtures.restoreJobs(167)

    static func botocore(
        _ harness: EmulatorHarness, _ operation: ListOperation, maxItems: Int, pageSize: Int, startingToken: String?
    ) throws -> (ids: [String], token: String?) {
        var spec: [String: Any] = [
            "endpoint": harness.emulator.baseURL, "region": "us-east-1", "accessKey": EmulatorHarness.key.accessKeyID,
            "secretKey": EmulatorHarness.key.secretAccessKey, "pageSize": pageSize, "maxItems": maxItems,
            "operation": operation.name, "member": operation.member,
            "idMember": operation.kind.schema[operation.kind.schema.idField].path,
        ]
        if let startingToken { spec["startingToken"] = startingToken }
        let result = try BotocoreDifferentialTests.python(BotocorePaginatorTests.paginate, spec) as! [String: Any]
        return (result["ids"] as! [String], result["resumeToken"] as? String)
    }

    static func ours(
        _ harness: EmulatorHarness, _ operation: ListOperation, maxItems: Int, pageSize: Int, startingToken: String?
    ) async throws -> (ids: [String], token: String?) {
        var request = FetchRequest(regions: ["us-east-1"], operation: operation)
        request.maxItems = maxItems
        request.pageSize = pageSize
        request.startingToken = startingToken
        let result = try await harness.fetcher(request, now: { EmulatorClock.system.now() }).fetch()
        let table = try #require(result.listing[operation.kind])
        // In the service's order, as botocore lists them: the table keeps the pages' order.
        return ((0..<table.count).map { table.id(at: $0) }, result.record.resumeToken)
    }

    func start() async throws -> EmulatorHarness {
        let harness = try await EmulatorHarness.start(copies: Self.copies, restores: Self.restores)
        // botocore signs with the real clock.
        harness.emulator.setClock(.system)
        return harness
    }

    @Test(arguments: [(ListOperation.listCopyJobs, 45, 20), (.listCopyJobs, 7, 100), (.listRestoreJobs, 40, 20), (.listRestoreJobs, 9, 4)])
    func tokensCrossBothWays(operation: ListOperation, maxItems: Int, pageSize: Int) async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        let expected = (operation.kind == .copyJob ? Self.copies : Self.restores).map(\.id)
        var ids: [String] = []
        var token: String?
        var rounds = 0
        repeat {
            let part = rounds.isMultiple(of: 2)
                ? try Self.botocore(harness, operation, maxItems: maxItems, pageSize: pageSize, startingToken: token)
                : try await Self.ours(harness, operation, maxItems: maxItems, pageSize: pageSize, startingToken: token)
            ids += part.ids
            token = part.token
            rounds += 1
        } while token != nil && rounds < 200
        #expect(rounds > 2)
        #expect(ids.count == expected.count)
        #expect(Set(ids) == Set(expected))
    }

    @Test(arguments: [ListOperation.listCopyJobs, .listRestoreJobs])
    func ourTokensAreBotocoresForTheSamePages(operation: ListOperation) async throws {
        let harness = try await start()
        defer { Task { await harness.stop() } }
        let theirs = try Self.botocore(harness, operation, maxItems: 45, pageSize: 20, startingToken: nil)
        let mine = try await Self.ours(harness, operation, maxItems: 45, pageSize: 20, startingToken: nil)
        #expect(mine.ids == theirs.ids)
        func envelope(_ token: String?) -> String? {
            token.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self).replacing(/"NextToken": "[^"]*"/, with: "\"NextToken\": T") }
        }
        #expect(envelope(mine.token) == envelope(theirs.token))
        #expect(envelope(mine.token) == #"{"NextToken": T, "boto_truncate_amount": 5}"#)
    }
}
