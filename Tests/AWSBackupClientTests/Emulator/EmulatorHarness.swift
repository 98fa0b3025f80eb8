import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation
import Testing

/// An emulator on loopback and a client for it: requests are signed with `SigV4` (service
/// "backup", region "us-east-1") and sent with `AsyncHTTPTransport`, as the real client does.
struct EmulatorHarness {
    /// 2026-11-28T12:00:00Z: the emulator's fixed clock and the signing time, unless a test says otherwise.
    static let now = Timestamp(iso8601: "2026-11-28T12:00:00Z")!
    static let key = Credentials(accessKeyID: "AKIAEMULATORTEST0001", secretAccessKey: "emulator/secret+key/0001")

    let emulator: BackupEmulator
    let transport: AsyncHTTPTransport

    static func start(
        jobs: [BackupJob], credentials: [Credentials] = [key], configure: (inout EmulatorConfiguration) -> Void = { _ in }
    ) async throws -> EmulatorHarness {
        try await start(catalog: RecordCatalog(jobs: jobs), credentials: credentials, configure: configure)
    }

    static func start(
        catalog: RecordCatalog, credentials: [Credentials] = [key], configure: (inout EmulatorConfiguration) -> Void = { _ in }
    ) async throws -> EmulatorHarness {
        var configuration = EmulatorConfiguration(catalog: catalog, credentials: credentials, clock: .fixed(now))
        configure(&configuration)
        return EmulatorHarness(emulator: try await BackupEmulator.start(configuration), transport: AsyncHTTPTransport())
    }

    func stop() async {
        await transport.shutdown()
        await emulator.stop()
    }

    /// Signs and sends `GET path?query`. `adjust` changes the signed request before it is sent
    /// (to tamper with it); `headers` are added unsigned.
    func send(
        _ query: [(String, String)] = [], path: String = "/backup-jobs/", method: String = "GET",
        credentials: Credentials = key, region: String = "us-east-1", service: String = "backup", at time: Timestamp = now,
        headers: [(String, String)] = [], adjust: (inout SignableRequest) -> Void = { _ in }
    ) async throws(TransportError) -> HTTPResponse {
        let signer = SigV4(credentials: credentials, region: region, service: service)
        var request = signer.sign(
            SignableRequest(method: method, path: path, query: query.map { (name: $0.0, value: $0.1) }, headers: [("Host", emulator.hostHeader)]),
            at: time)
        adjust(&request)
        return try await sendUnsigned(request, extraHeaders: headers)
    }

    /// Sends a request exactly as given (no signing).
    func sendUnsigned(_ request: SignableRequest, extraHeaders: [(String, String)] = []) async throws(TransportError) -> HTTPResponse {
        let query = request.encodedQuery
        let url = emulator.baseURL + request.encodedPath + (query.isEmpty ? "" : "?" + query)
        let headers = request.headers + extraHeaders.map { (name: $0.0, value: $0.1) }
        return try await transport.send(HTTPRequest(method: request.method, url: url, headers: headers, body: request.body), timeout: .seconds(30))
    }

    /// Every page of a listing, following `NextToken`.
    func listAll(_ query: [(String, String)] = [], maxResults: Int? = nil) async throws -> (ids: [String], pages: [Page]) {
        var pages: [Page] = []
        var token: String?
        repeat {
            var parameters = query
            if let maxResults { parameters.append(("maxResults", String(maxResults))) }
            if let token { parameters.append(("nextToken", token)) }
            let response = try await send(parameters)
            try #require(response.status == 200, "page \(pages.count + 1): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
            let page = try Page(response)
            pages.append(page)
            token = page.nextToken
            try #require(pages.count <= 10_000, "the listing does not end")
        } while token != nil
        return (pages.flatMap(\.ids), pages)
    }
}

/// A 200 response body.
struct Page {
    var ids: [String]
    var nextToken: String?
    var body: [UInt8]

    init(_ response: HTTPResponse) throws {
        body = response.body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let jobs = try #require(object["BackupJobs"] as? [[String: Any]])
        ids = try jobs.map { try #require($0["BackupJobId"] as? String) }
        nextToken = object["NextToken"] as? String
        #expect(Set(object.keys).isSubset(of: ["BackupJobs", "NextToken"]))
    }

    /// The jobs, decoded by backup-audit's own decoder (as the client will).
    func jobs() throws -> [BackupJob] {
        Array(try ListingLoader().load(bytes: body, name: "page").backupJobs.asBackupJobs)
    }
}

/// An error response: status, `x-amzn-ErrorType` and the body's `__type` and `message`.
struct ErrorReply {
    var status: Int
    var headerType: String?
    var type: String
    var message: String

    init(_ response: HTTPResponse) throws {
        status = response.status
        headerType = response.header("x-amzn-ErrorType")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        type = try #require(object["__type"] as? String)
        message = try #require(object["message"] as? String)
        #expect(headerType == type)
        #expect(response.header("Content-Type") == "application/json")
    }
}

/// Jobs with every member used, deterministic: several accounts, vaults, types and states,
/// shared resources, parent and child jobs, ties and gaps in the creation times, and strings
/// that need escaping.
enum EmulatorFixtures {
    static let accounts = ["111111111111", "222222222222", "333333333333"]
    static let vaults = ["Default", "prod-vault", "dev_vault"]
    static let types = ["EBS", "EC2", "RDS", "Storage Gateway", "S3"]
    static let categories = ["SUCCESS", "AccessDenied", "InvalidParameters"]

    static func jobs(_ count: Int) -> [BackupJob] {
        var random = UInt64(0x5EED)
        func next(_ bound: Int) -> Int {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((random >> 33) % UInt64(bound))
        }
        let base = EmulatorHarness.now.millisecondsSinceEpoch
        return (0..<count).map { i in
            var job = BackupJob(backupJobId: String(format: "JOB-%05d-%04X", i, next(65536)))
            let account = accounts[next(accounts.count)]
            let vault = vaults[next(vaults.count)]
            let type = types[i % types.count]
            job.accountId = account
            job.backupVaultName = vault
            job.backupVaultArn = "arn:aws:backup:us-east-1:\(account):backup-vault:\(vault)"
            job.resourceType = type
            job.resourceArn = "arn:aws:ec2:us-east-1:\(account):volume/vol-\(i % 400)"
            job.iamRoleArn = "arn:aws:iam::\(account):role/service-role/AWSBackupDefaultServiceRole"
            let state = BackupJobState.known[[5, 5, 5, 5, 6, 2, 3, 4, 7, 8, 0, 1][next(12)]]
            job.state = state
            if i % 97 != 13 {
                // Minutes apart, with collisions (ties in CreationDate) and milliseconds.
                let created = base - Int64(next(20_000)) * 60_000 - Int64(i % 3 == 0 ? 0 : next(1000))
                job.creationDate = Timestamp(millisecondsSinceEpoch: created)
                job.startBy = Timestamp(millisecondsSinceEpoch: created + 8 * 3_600_000)
                job.initiationDate = Timestamp(millisecondsSinceEpoch: created)
                if state.isFinished {
                    job.completionDate = Timestamp(millisecondsSinceEpoch: created + Int64(next(7_200_000)))
                }
                job.expectedCompletionDate = Timestamp(millisecondsSinceEpoch: created + 3_600_000)
            }
            if state == .completed { job.messageCategory = "SUCCESS" }
            if state == .failed { job.messageCategory = categories[1 + next(2)] }
            if i % 10 == 3 { job.parentJobId = "PARENT-\(i / 50)" }
            if i % 50 == 0 { job.isParent = true }
            job.percentDone = state.isFinished ? "100.0" : "\(next(100)).0"
            job.backupSizeInBytes = Int64(next(1 << 30)) << 4
            job.bytesTransferred = job.backupSizeInBytes
            job.isEncrypted = i % 2 == 0
            job.backupType = i % 7 == 0 ? "" : "FULL"
            var creator = BackupJob.RecoveryPointCreator()
            creator.backupPlanId = "plan-\(i % 5)"
            creator.backupPlanArn = "arn:aws:backup:us-east-1:\(account):backup-plan:plan-\(i % 5)"
            creator.backupRuleId = "rule-\(i % 3)"
            if i % 4 == 0 { creator.backupRuleCron = "cron(0 5 ? * * *)"; creator.backupRuleTimezone = "Europe/Paris" }
            job.createdBy = creator
            if i % 6 == 0 {
                var lifecycle = BackupJob.Lifecycle()
                lifecycle.deleteAfterDays = 35
                lifecycle.optInToArchiveForSupportedResources = false
                job.recoveryPointLifecycle = lifecycle
            }
            if i % 11 == 0 { job.backupOptions = ["WindowsVSS": i % 2 == 0 ? "enabled" : "disabled", "Other": "x"] }
            if state == .failed || i % 13 == 0 {
                job.statusMessage = "Failed: \"quoted\" back\\slash\nnew line\ttab é 日本 🎉 \u{01}"
            }
            if i % 17 == 0 {
                job.additionalFields = ["NewTopLevelField": #"{"a":[1,2]}"#, "CreatedBy.NewCreatorField": "42"]
            }
            return job
        }
    }

    /// The order the emulator documents: CreationDate descending, none last, then BackupJobId.
    static func servingOrder(_ jobs: [BackupJob]) -> [String] {
        jobs.enumerated().sorted { a, b in
            let x = a.element.creationDate, y = b.element.creationDate
            if x != y {
                guard let x else { return false }
                guard let y else { return true }
                return x > y
            }
            if a.element.backupJobId != b.element.backupJobId { return a.element.backupJobId < b.element.backupJobId }
            return a.offset < b.offset
        }.map(\.element.backupJobId)
    }
}
