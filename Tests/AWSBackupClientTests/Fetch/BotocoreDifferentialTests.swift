import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import TestSupport
import Testing

/// The requests this client sends are botocore's, byte for byte where it counts: the same query
/// parameters and encoding, the same canonical request, the same signature, for the same keys
/// and time (botocore serializes and signs in a subprocess; nothing goes to the network).
struct BotocoreDifferentialTests {
    static let time = Timestamp(iso8601: "2026-11-28T12:00:00Z")!
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("botocore_requests.py")

    /// One call: the botocore parameters and the same request for our client.
    struct Case: Sendable {
        var params: [String: any Sendable]
        var filter = ListBackupJobsFilter()
        var nextToken: String?
        var maxResults: Int?
    }

    static func cases() -> [Case] {
        func time(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }
        var all: [Case] = [Case(params: [:])]
        var every = Case(params: [
            "ByResourceArn": "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0abc def+ü", "ByState": "FAILED",
            "ByBackupVaultName": "prod_vault-1", "ByCreatedBefore": "2026-11-28T00:00:00Z", "ByCreatedAfter": "2026-11-01T08:30:15.250Z",
            "ByResourceType": "EBS", "ByAccountId": "123456789012", "ByCompleteBefore": "2026-11-29T00:00:00Z",
            "ByCompleteAfter": "2026-11-02T00:00:00.001Z", "ByParentJobId": "parent/1=2&3", "ByMessageCategory": "ACCESS_DENIED",
            "MaxResults": 1000, "NextToken": "AAE+/token==with%chars",
        ])
        every.filter.resourceArn = "arn:aws:ec2:eu-west-1:123456789012:volume/vol-0abc def+ü"
        every.filter.state = "FAILED"
        every.filter.backupVaultName = "prod_vault-1"
        every.filter.createdBefore = time("2026-11-28T00:00:00Z")
        every.filter.createdAfter = time("2026-11-01T08:30:15.250Z")
        every.filter.resourceType = "EBS"
        every.filter.accountId = "123456789012"
        every.filter.completeBefore = time("2026-11-29T00:00:00Z")
        every.filter.completeAfter = time("2026-11-02T00:00:00.001Z")
        every.filter.parentJobId = "parent/1=2&3"
        every.filter.messageCategory = "ACCESS_DENIED"
        every.nextToken = "AAE+/token==with%chars"
        every.maxResults = 1000
        all.append(every)
        var organization = Case(params: ["ByAccountId": "*", "ByMessageCategory": "AGGREGATE_ALL", "MaxResults": 1])
        organization.filter.accountId = "*"
        organization.filter.messageCategory = "AGGREGATE_ALL"
        organization.maxResults = 1
        all.append(organization)
        var type = Case(params: ["ByResourceType": "Storage Gateway", "ByCreatedAfter": "1970-01-01T00:00:00Z"])
        type.filter.resourceType = "Storage Gateway"
        type.filter.createdAfter = time("1970-01-01T00:00:00Z")
        all.append(type)
        return all
    }

    @Test(arguments: [nil, "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH+token/="])
    func requestsMatchBotocore(sessionToken: String?) throws {
        let keys = Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: sessionToken)
        let cases = Self.cases()
        var spec: [String: Any] = [
            "time": "2026-11-28T12:00:00Z", "accessKey": keys.accessKeyID, "secretKey": keys.secretAccessKey, "region": "eu-west-1",
            "cases": cases.map { ["params": $0.params] },
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
            let request = BackupService.listBackupJobsRequest(item.filter, nextToken: item.nextToken, maxResults: item.maxResults)
            let sent = try service.signed(request, with: keys, at: Self.time)
            let botocore = expected[index]
            let url = URL(string: sent.url)!
            #expect(url.path() == botocore["path"], "case \(index)")
            // Parameters may come in another order on the wire; each must be encoded the same.
            let ours = Set((url.query(percentEncoded: true) ?? "").split(separator: "&").map(String.init))
            let theirs = Set((botocore["query"] ?? "").split(separator: "&").map(String.init))
            #expect(ours == theirs, "case \(index): ours \(ours.subtracting(theirs)), botocore \(theirs.subtracting(ours))")
            let signer = SigV4(credentials: keys, region: "eu-west-1", service: "backup")
            var signable = request
            signable.headers = [("Host", "backup.eu-west-1.amazonaws.com"), ("X-Amz-Date", "20261128T120000Z")]
                + (sessionToken.map { [("X-Amz-Security-Token", $0)] } ?? [])
            let canonical = signer.canonicalRequest(signable, payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855").text
            #expect(canonical == botocore["canonicalRequest"], "case \(index)")
            #expect(sent.headers.first { $0.name == "Authorization" }?.value == botocore["authorization"], "case \(index)")
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
