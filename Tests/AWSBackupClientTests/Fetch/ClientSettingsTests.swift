import AWSBackupClient
import BackupJobs
import Testing

/// Regions, profiles, endpoints and attempts resolve in the AWS CLI's order of precedence.
struct ClientSettingsTests {
    func resolve(
        regions: [String] = [], allRegions: Bool = false, profile: String? = nil, endpoint: String? = nil, maxAttempts: Int? = nil,
        variables: [String: String] = [:], config: String? = nil
    ) throws(FetchError) -> ClientSettings {
        let home = try! TemporaryHome()
        if let config { try! home.config(config) }
        return try ClientSettings.resolve(
            regions: regions, allRegions: allRegions, profile: profile, endpoint: endpoint, maxAttempts: maxAttempts,
            environment: makeCredentialEnvironment(baseCredentialVariables(variables), home: home))
    }

    static let config = """
        [default]
        region = eu-west-1
        max_attempts = 7

        [profile audit]
        region = ap-southeast-2
        endpoint_url = https://backup.example.test
        """

    @Test func regionPrecedence() throws {
        #expect(try resolve(regions: ["us-west-2"], variables: ["AWS_REGION": "us-east-2"], config: Self.config).regions == ["us-west-2"])
        #expect(try resolve(variables: ["AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-east-1"], config: Self.config).regions == ["us-east-2"])
        #expect(try resolve(variables: ["AWS_DEFAULT_REGION": "us-east-1"], config: Self.config).regions == ["us-east-1"])
        #expect(try resolve(config: Self.config).regions == ["eu-west-1"])
        #expect(try resolve(profile: "audit", config: Self.config).regions == ["ap-southeast-2"])
        #expect(try resolve(variables: ["AWS_PROFILE": "audit"], config: Self.config).regions == ["ap-southeast-2"])
        #expect(try resolve(allRegions: true).regions == Endpoints.allRegions)
    }

    @Test func noRegionAnywhereIsAnError() {
        #expect {
            try resolve()
        } throws: { error in
            "\(error)".contains("no AWS Region: pass region")
        }
    }

    @Test func aMissingProfileIsAnErrorNamingTheFiles() {
        #expect {
            try resolve(profile: "nope", config: Self.config)
        } throws: { error in
            "\(error)".contains("profile nope") && "\(error)".contains(".aws/config")
        }
    }

    @Test func attemptsPrecedence() throws {
        #expect(try resolve(regions: ["us-east-1"], maxAttempts: 2, variables: ["AWS_MAX_ATTEMPTS": "5"], config: Self.config).maxAttempts == 2)
        #expect(try resolve(regions: ["us-east-1"], variables: ["AWS_MAX_ATTEMPTS": "5"], config: Self.config).maxAttempts == 5)
        #expect(try resolve(regions: ["us-east-1"], config: Self.config).maxAttempts == 7)
        #expect(try resolve(regions: ["us-east-1"]).maxAttempts == ClientSettings.defaultMaxAttempts)
        #expect(throws: FetchError.self) { try resolve(regions: ["us-east-1"], variables: ["AWS_MAX_ATTEMPTS": "many"]) }
    }

    @Test func endpointPrecedence() throws {
        let flag = try resolve(regions: ["us-east-1"], endpoint: "http://127.0.0.1:4566/", variables: ["AWS_ENDPOINT_URL": "https://other.test"])
        #expect(flag.endpoint(for: "us-east-1") == "http://127.0.0.1:4566")
        let specific = try resolve(regions: ["us-east-1"], variables: ["AWS_ENDPOINT_URL_BACKUP": "https://a.test", "AWS_ENDPOINT_URL": "https://b.test"])
        #expect(specific.endpoint(for: "us-east-1") == "https://a.test")
        #expect(try resolve(profile: "audit", config: Self.config).endpoint(for: "ap-southeast-2") == "https://backup.example.test")
        let plain = try resolve(regions: ["eu-central-1"])
        #expect(plain.endpoint(for: "eu-central-1") == "https://backup.eu-central-1.amazonaws.com")
        #expect(plain.endpoint(for: "cn-north-1") == "https://backup.cn-north-1.amazonaws.com.cn")
        let fips = try resolve(regions: ["us-gov-west-1"], variables: ["AWS_USE_FIPS_ENDPOINT": "true"])
        #expect(fips.endpoint(for: "us-gov-west-1") == "https://backup-fips.us-gov-west-1.amazonaws.com")
        #expect(throws: FetchError.self) { try resolve(regions: ["us-east-1"], endpoint: "ftp://x") }
    }

    @Test func plainHTTPOnlyToThisMachineIsQuiet() {
        #expect(!Endpoints.isInsecure("http://127.0.0.1:8080"))
        #expect(!Endpoints.isInsecure("http://localhost:8080"))
        #expect(!Endpoints.isInsecure("https://backup.example.test"))
        #expect(Endpoints.isInsecure("http://backup.example.test"))
        #expect(Endpoints.isInsecure("http://10.0.0.5:4566"))
    }
}

/// What a request must be before anything is sent.
struct FetchRequestValidationTests {
    static let cases: [String: (change: @Sendable (inout FetchRequest) -> Void, message: String)] = [
        "no region": ({ $0.regions = [] }, "no Region"),
        "bad region": ({ $0.regions = ["useast1"] }, "is not a Region name"),
        "twice": ({ $0.regions = ["us-east-1", "us-east-1"] }, "given twice"),
        "page size": ({ $0.pageSize = 1001 }, "pageSize 1001"),
        "max items": ({ $0.maxItems = 0 }, "maxItems"),
        "parallel": ({ $0.parallel = 0 }, "parallel 0"),
        "max items in parallel": ({ $0.maxItems = 5; $0.parallel = 2 }, "which parallel does not keep"),
        "token over regions": ({ $0.startingToken = "x"; $0.regions = ["us-east-1", "us-west-2"] }, "one Region"),
        "state": ({ try? $0.filter.set("ByState", "DONE") }, "byState DONE"),
        "account": ({ try? $0.filter.set("ByAccountId", "12") }, "byAccountId"),
        "vault": ({ try? $0.filter.set("ByBackupVaultName", "a b") }, "byBackupVaultName"),
        "copy state": ({ $0 = FetchRequest(regions: ["us-east-1"], operation: .listCopyJobs); try? $0.filter.set("ByState", "PENDING") }, "byState PENDING is not a copy job state"),
        "restore status": ({ $0 = FetchRequest(regions: ["us-east-1"], operation: .listRestoreJobs); try? $0.filter.set("ByStatus", "EXPIRED") }, "byStatus EXPIRED is not a restore job state"),
        "restore account": ({ $0 = FetchRequest(regions: ["us-east-1"], operation: .listRestoreJobs); try? $0.filter.set("ByAccountId", "x") }, "byAccountId 'x'"),
        "copy page size": ({ $0 = FetchRequest(regions: ["us-east-1"], operation: .listCopyJobs); $0.pageSize = 0 }, "the sizes ListCopyJobs accepts"),
        "window": ({ $0.filter.createdAfter = Timestamp(iso8601: "2026-11-02T00:00:00Z"); $0.filter.createdBefore = Timestamp(iso8601: "2026-11-01T00:00:00Z") }, "is not before"),
    ]

    @Test(arguments: cases.keys.sorted())
    func rejects(_ name: String) {
        let (change, message) = Self.cases[name]!
        var request = FetchRequest(regions: ["us-east-1"])
        change(&request)
        #expect {
            try request.validate()
        } throws: { error in
            // The library names the parameter, never a flag of the command line: the caller words it.
            "\(error)".contains(message) && !"\(error)".contains("--")
        }
    }

    @Test func theCallerNamesTheParameters() {
        var request = FetchRequest(regions: ["us-east-1"])
        request.filter.createdAfter = Timestamp(iso8601: "2026-11-02T00:00:00Z")
        request.filter.createdBefore = Timestamp(iso8601: "2026-11-01T00:00:00Z")
        #expect {
            try request.validate()
        } throws: { error in
            (error as? FilterError)?.description { "<\($0.rawValue)>" }
                == "<byCreatedAfter> 2026-11-02T00:00:00.000Z is not before <byCreatedBefore> 2026-11-01T00:00:00.000Z"
        }
    }
}
