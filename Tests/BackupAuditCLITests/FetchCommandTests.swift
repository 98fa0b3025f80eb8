import AWSBackupClient
import BackupJobs
import BackupServiceEmulator
import Foundation

#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing

/// `fetch` and `check --fetch` as a user runs them: the built binary against the emulator over
/// loopback HTTP, credentials from the environment, nothing from the real machine's AWS setup.
@Suite(.serialized) struct FetchCommandTests {
    static let key = Credentials(accessKeyID: "AKIACLITESTS00000001", secretAccessKey: "cli/tests+secret/0001")
    static let examples = CLI.packageRoot.appendingPathComponent("examples/list-backup-jobs.json").path

    /// A private home, the test key, and every AWS variable that could leak in from the machine
    /// blanked (an empty variable counts as unset).
    static func environment(home: String, _ extra: [String: String] = [:]) -> [String: String] {
        var variables = [
            "HOME": home, "AWS_ACCESS_KEY_ID": key.accessKeyID, "AWS_SECRET_ACCESS_KEY": key.secretAccessKey,
            "AWS_EC2_METADATA_DISABLED": "true", "NO_COLOR": "1",
        ]
        for name in [
            "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL",
            "AWS_ENDPOINT_URL_BACKUP", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_MAX_ATTEMPTS", "AWS_USE_FIPS_ENDPOINT",
            "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        ] { variables[name] = "" }
        variables.merge(extra) { $1 }
        return variables
    }

    struct Setup {
        let emulator: BackupEmulator
        let directory: URL

        var environment: [String: String] { FetchCommandTests.environment(home: directory.path) }
        var endpoint: [String] { ["--endpoint-url", emulator.baseURL, "--region", "us-east-1", "--quiet"] }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        func stop() async {
            await emulator.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    static func start(_ configure: (inout EmulatorConfiguration) -> Void = { _ in }) async throws -> Setup {
        var configuration = EmulatorConfiguration(catalog: try RecordCatalog(contentsOf: [examples]), credentials: [key])
        configure(&configuration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-fetch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return Setup(emulator: try await BackupEmulator.start(configuration), directory: directory)
    }

    @Test func fetchSavesEveryJobAsAListingTheToolReadsBack() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let out = setup.path("evidence/jobs.json")
        let result = try CLI.run(["fetch", "--out", out, "--page-size", "7"] + setup.endpoint, environment: setup.environment)
        #expect(result.status == 0, "\(result.error)")
        let saved = try ListingLoader().load([out])
        let original = try ListingLoader().load([Self.examples])
        #expect(saved.backupJobs.count == original.backupJobs.count)
        let byID = Dictionary(uniqueKeysWithValues: original.backupJobs.asBackupJobs.map { ($0.backupJobId, $0) })
        for job in saved.backupJobs.asBackupJobs { #expect(byID[job.backupJobId] == job, "\(job.backupJobId) changed on the way") }
        #expect(saved.completeness == .complete)

        // How it was fetched travels with the data.
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        let record = try #require(document["BackupAuditFetch"] as? [String: Any])
        let regions = try #require(record["regions"] as? [[String: Any]])
        #expect(regions.first?["region"] as? String == "us-east-1")
        #expect(regions.first?["jobs"] as? Int == original.backupJobs.count)
        #expect((regions.first?["pageDigest"] as? String)?.count == 64)
        #expect(record["tool"] as? String == "backup-audit 0.1.0")
    }

    @Test func fetchWithoutOutWritesTheListingToStandardOutput() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let result = try CLI.run(["fetch"] + setup.endpoint, environment: setup.environment)
        #expect(result.status == 0, "\(result.error)")
        let listing = try ListingLoader().load(bytes: Array(result.output.utf8), name: "stdout")
        #expect(listing.backupJobs.count == (try ListingLoader().load([Self.examples])).backupJobs.count)
    }

    @Test func checkFetchJudgesLikeCheckOnTheSameJobsFromAFile() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let common = ["--rules", "rules/", "--now", "2026-11-28T12:00:00Z", "--report", "json"]
        let saved = setup.path("checked.json")
        let live = try CLI.run(["check", "--fetch", "--parallel", "4", "--save-jobs", saved] + common + setup.endpoint, environment: setup.environment)
        let file = try CLI.run(["check", "--jobs", Self.examples] + common, environment: setup.environment)
        let again = try CLI.run(["check", "--jobs", saved] + common, environment: setup.environment)
        #expect(live.status == 1, "\(live.error)")
        #expect(file.status == live.status && again.status == live.status)
        func rules(_ output: String) throws -> String {
            let report = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
            // Everything judged, without the timings.
            let rules = (report["rules"] as! [[String: Any]]).map { $0.filter { $0.key != "durationSeconds" } }
            return String(decoding: try JSONSerialization.data(withJSONObject: [rules, report["summary"]!], options: .sortedKeys), as: UTF8.self)
        }
        #expect(try rules(live.output) == rules(file.output))
        #expect(try rules(again.output) == rules(file.output))
        let inputs = (try JSONSerialization.jsonObject(with: Data(live.output.utf8)) as! [String: Any])["inputs"] as! [[String: Any]]
        #expect((inputs.first?["path"] as? String)?.hasPrefix(setup.emulator.baseURL + "/backup-jobs/") == true)
    }

    /// One clock: `--now` anchors relative fetch times too, so `check --fetch --now T
    /// --by-created-after 1d` fetches the day the rules judge, not the day before the machine's
    /// clock; `fetch`, `eval` and `query` read the same option. Signatures and the fetch record's
    /// times keep the real clock: the emulator refuses a request signed days away from its own
    /// clock, and the record says when the fetch really ran.
    @Test func relativeFetchTimesCountBackFromNowWhileTheRecordKeepsTheRealClock() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let now = "2026-11-28T12:00:00Z", dayBefore = Timestamp(iso8601: "2026-11-27T12:00:00Z")!
        let fetched = setup.path("fetched.json"), checked = setup.path("checked.json"), evaluated = setup.path("evaluated.json")
        let window = ["--now", now, "--by-created-after", "1d"]
        let expected = try ListingLoader().load([Self.examples]).backupJobs.asBackupJobs.filter { $0.creationDate.map { $0 >= dayBefore } ?? false }.map(\.backupJobId)
        #expect(!expected.isEmpty)
        #expect(expected.count < (try ListingLoader().load([Self.examples]).backupJobs.count))
        let startedBefore = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) - 1000)

        let fetch = try CLI.run(["fetch", "--out", fetched] + window + setup.endpoint, environment: setup.environment)
        #expect(fetch.status == 0, "\(fetch.error)")
        let check = try CLI.run(
            ["check", "--fetch", "--save-jobs", checked, "--rules", "rules/", "--report", "json=\(setup.path("r.json"))"] + window + setup.endpoint,
            environment: setup.environment)
        #expect(check.status == 1, "\(check.error)")
        let eval = try CLI.run(
            ["eval", "no job where State == EXPIRED", "--fetch", "--save-jobs", evaluated, "--report", "json=\(setup.path("e.json"))"] + window + setup.endpoint,
            environment: setup.environment)
        #expect(eval.status == 0, "\(eval.error)")
        let query = try CLI.run(["query", "job", "--fetch", "--columns", "BackupJobId", "--format", "csv"] + window + setup.endpoint, environment: setup.environment)
        #expect(query.status == 0, "\(query.error)")
        #expect(query.output.split(whereSeparator: \.isNewline).dropFirst().map(String.init).sorted() == expected.sorted())

        let finishedAfter = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) + 1000)
        for path in [fetched, checked, evaluated] {
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            let record = document["BackupAuditFetch"] as? [String: Any]
            #expect((record?["filters"] as? [String: String])?["createdAfter"] == "2026-11-27T12:00:00Z", "\(path)")
            let started = (record?["startedAt"] as? String).flatMap(Timestamp.init(iso8601:))
            #expect(started.map { $0 >= startedBefore && $0 <= finishedAfter } == true, "\(path): startedAt \(String(describing: record?["startedAt"]))")
            #expect(try ListingLoader().load([path]).backupJobs.asBackupJobs.map(\.backupJobId).sorted() == expected.sorted(), "\(path)")
        }
    }

    @Test func accessDeniedExitsThreeNamingThePermissionAndWritesNothing() async throws {
        let setup = try await Self.start { $0.faults = FaultPlan(accessDenied: true) }
        defer { Task { await setup.stop() } }
        let out = setup.path("jobs.json")
        let fetch = try CLI.run(["fetch", "--out", out] + setup.endpoint, environment: setup.environment)
        #expect(fetch.status == 3)
        #expect(fetch.error.contains("backup:ListBackupJobs"))
        #expect(fetch.error.contains("arn:aws:sts::123456789012:assumed-role/x/y"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let check = try CLI.run(["check", "--fetch", "--rules", "rules/", "--report", "junit=\(setup.path("junit.xml"))"] + setup.endpoint, environment: setup.environment)
        #expect(check.status == 3)
        #expect(!FileManager.default.fileExists(atPath: setup.path("junit.xml")), "a failed fetch must leave no report that could read as a result")
    }

    @Test func transientFaultsAreRetriedAndCounted() async throws {
        let setup = try await Self.start { $0.faults = FaultPlan(scripted: [1: .throttling, 3: .serviceUnavailable, 4: .dropConnection]) }
        defer { Task { await setup.stop() } }
        let result = try CLI.run(
            ["fetch", "--out", setup.path("jobs.json"), "--page-size", "10", "--endpoint-url", setup.emulator.baseURL, "--region", "us-east-1"],
            environment: setup.environment.merging(["AWS_MAX_ATTEMPTS": "5"]) { $1 })
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("3 retries"), "\(result.error)")
    }

    @Test func maxItemsPartsAreJudgedOnlyWholeAndInOrder() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let parts = (1...3).map { setup.path("part\($0).json") }
        /// Fetches a part and returns the token it stopped at.
        func fetch(_ index: Int, from token: String?, maxItems: Int?) throws -> String? {
            let arguments = ["fetch", "--out", parts[index], "--page-size", "4"] + (token.map { ["--starting-token", $0] } ?? [])
                + (maxItems.map { ["--max-items", String($0)] } ?? [])
            let result = try CLI.run(arguments + setup.endpoint, environment: setup.environment)
            #expect(result.status == 0, "\(result.error)")
            let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: parts[index]))) as! [String: Any]
            #expect((document["BackupAuditFetch"] as? [String: Any])?["startingToken"] as? String == token)
            return document["NextToken"] as? String
        }
        let first = try #require(try fetch(0, from: nil, maxItems: 10))
        let second = try #require(try fetch(1, from: first, maxItems: 10))
        #expect(try fetch(2, from: second, maxItems: nil) == nil)
        let ids = try ListingLoader().load(parts).backupJobs.asBackupJobs.map(\.backupJobId)
        #expect(ids.sorted() == (try ListingLoader().load([Self.examples])).backupJobs.asBackupJobs.map(\.backupJobId).sorted())

        func check(_ paths: [String], _ extra: [String] = []) throws -> CLI.Result {
            try CLI.run(["check", "--rules", "rules/", "--now", "2026-11-28T12:00:00Z", "--jobs"] + paths + extra, environment: setup.environment)
        }
        let whole = try check(parts)
        #expect(whole.status == 1, "judged, and the example data fails rules: \(whole.error)")
        #expect(whole.error == "")

        let onlyFirst = try check([parts[0]])
        #expect(onlyFirst.status == 2)
        #expect(onlyFirst.error.contains("\(parts[0]) ends with NextToken \(first), and nothing follows it"))
        #expect(onlyFirst.error.contains("fetch the rest with --starting-token \(first)"))

        let middleMissing = try check([parts[0], parts[2]])
        #expect(middleMissing.status == 2)
        #expect(middleMissing.error.contains("\(parts[2]) was fetched from token \(second), but the document before it (\(parts[0])) ends with NextToken \(first)"))
        #expect(middleMissing.error.contains("fetch the missing pages with --starting-token \(first)"))

        let wrongOrder = try check([parts[1], parts[0], parts[2]])
        #expect(wrongOrder.status == 2)
        #expect(wrongOrder.error.contains("the first part of the listing is missing"))

        let allowed = try check([parts[0]], ["--allow-incomplete", "--report", "json"])
        #expect(allowed.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(allowed.output.utf8)) as! [String: Any]
        let data = try #require(report["data"] as? [String: Any])
        #expect(data["complete"] as? Bool == false)
        #expect((data["gaps"] as? [[String: Any]])?.first?["resumeToken"] as? String == first)
    }

    @Test(arguments: [
        (["check", "--fetch", "--rules", "rules/", "--max-items", "5"], "complete listings"),
        (["check", "--fetch", "--jobs", "x.json", "--rules", "rules/"], "exclude each other"),
        (["check", "--rules", "rules/"], "--fetch"),
        (["check", "--rules", "rules/", "--jobs", "x.json", "--save-jobs", "y.json"], "--save-jobs"),
        (["fetch", "--page-size", "5000"], "--page-size 5000"),
        (["fetch", "--by-state", "DONE"], "--by-state DONE"),
        (["fetch", "--by-created-after", "last tuesday"], "--by-created-after 'last tuesday'"),
        (["fetch", "--region", "us-east-1", "--all-regions"], "exclude each other"),
        (["fetch", "--max-items", "5", "--parallel", "2"], "--parallel"),
    ])
    func usageErrorsExitTwoBeforeAnyRequest(_ arguments: [String], _ message: String) async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let result = try CLI.run(arguments + ["--endpoint-url", setup.emulator.baseURL, "--region", "us-east-1"].filter { _ in !arguments.contains("--all-regions") }, environment: setup.environment)
        #expect(result.status == 2, "\(result.error)")
        #expect(result.error.contains(message), "\(result.error)")
        #expect(setup.emulator.statistics.requests == 0)
    }

    @Test func noRegionAnywhereExitsTwo() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-noregion-\(UUID().uuidString)").path
        let result = try CLI.run(["fetch", "--endpoint-url", "http://127.0.0.1:9"], environment: Self.environment(home: home))
        #expect(result.status == 2)
        #expect(result.error.contains("no AWS Region"))
    }

    @Test func noCredentialsExitsThreeListingWhereItLooked() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let environment = setup.environment.merging(["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""]) { $1 }
        let result = try CLI.run(["fetch"] + setup.endpoint, environment: environment)
        #expect(result.status == 3)
        #expect(result.error.contains("environment"))
        #expect(result.error.contains("EC2 instance metadata"))
        #expect(result.error.contains("pass --profile or set AWS_PROFILE"), "the CLI's advice names its flag")
        #expect(setup.emulator.statistics.requests == 0)
    }

    @Test func debugShowsRequestsButNoSecret() async throws {
        let setup = try await Self.start()
        defer { Task { await setup.stop() } }
        let result = try CLI.run(["fetch", "--debug", "--out", setup.path("jobs.json")] + setup.endpoint, environment: setup.environment)
        #expect(result.status == 0)
        #expect(result.error.contains("debug: us-east-1: GET \(setup.emulator.baseURL)/backup-jobs/"))
        #expect(!result.error.contains(Self.key.secretAccessKey))
        #expect(!result.error.contains(Self.key.accessKeyID))
        #expect(result.error.firstMatch(of: /Signature=[0-9a-f]{64}/) == nil)
    }

    @Test func interruptStopsCleanlyWritingNothing() async throws {
        let setup = try await Self.start { $0.faults = FaultPlan(latency: .seconds(30)) }
        defer { Task { await setup.stop() } }
        let out = setup.path("jobs.json")
        let process = try ProcessRunner.start(CLI.executable.path, ["fetch", "--out", out] + setup.endpoint, environment: setup.environment)
        // Wait until the request is in flight, then press Ctrl-C.
        while setup.emulator.statistics.requests == 0 { try await Task.sleep(for: .milliseconds(20)) }
        process.interrupt()
        let result = try process.finish()
        let message = result.error
        #expect(result.status == 130, "\(message)")
        #expect(message.contains("cancelled"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// Plain HTTP to anything but this machine's loopback carries signed requests and job data in
/// the clear: the fetch works but says so.
@Suite(.serialized) struct InsecureEndpointTests {
    /// An IPv4 address of this machine that is not loopback, if it has one.
    static func externalAddress() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.hasPrefix("127.") { return text }
        }
        return nil
    }

    @Test func plainHTTPToAnotherAddressWarns() async throws {
        let address = try #require(Self.externalAddress(), "this machine has no non-loopback IPv4 address to test with")
        let setup = try await FetchCommandTests.start { $0.host = "0.0.0.0" }
        defer { Task { await setup.stop() } }
        let endpoint = "http://\(address):\(setup.emulator.port)"
        let result = try CLI.run(["fetch", "--endpoint-url", endpoint, "--region", "us-east-1", "--out", setup.path("jobs.json")], environment: setup.environment)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("warning: \(endpoint) is plain HTTP to another machine"))
        let loopback = try CLI.run(
            ["fetch", "--out", setup.path("again.json"), "--region", "us-east-1", "--endpoint-url", "http://127.0.0.1:\(setup.emulator.port)"],
            environment: setup.environment)
        #expect(loopback.status == 0)
        #expect(!loopback.error.contains("plain HTTP"))
    }
}
