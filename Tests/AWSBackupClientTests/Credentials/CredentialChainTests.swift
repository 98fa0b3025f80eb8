import BackupJobs
import Testing

@testable import AWSBackupClient

/// The default chain: its order, explicit profiles, and the error when nothing has credentials.
@Suite struct CredentialChainTests {
    let home: TemporaryHome

    init() throws {
        home = try TemporaryHome()
        try home.credentials("""
            [default]
            aws_access_key_id = AKIDDEFAULTPROFILE
            aws_secret_access_key = default-secret
            [prod]
            aws_access_key_id = AKIDPRODPROFILE
            aws_secret_access_key = prod-secret
            """)
        try home.config("[profile empty]\nregion = eu-west-1\n")
    }

    /// Every source configured: keys, web identity, container and instance metadata endpoints
    /// (their requests go to a stub that answers with its own keys).
    func everything(_ extra: [String: String] = [:]) throws -> [String: String] {
        let token = try home.write("token", "web-identity-token")
        var variables = baseCredentialVariables([
            "AWS_ACCESS_KEY_ID": "AKIDENVIRONMENT", "AWS_SECRET_ACCESS_KEY": "env-secret",
            "AWS_WEB_IDENTITY_TOKEN_FILE": token, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/web",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1",
        ])
        variables["AWS_EC2_METADATA_DISABLED"] = nil
        return variables.merging(extra) { _, new in new }
    }

    func resolve(_ variables: [String: String], profile: String? = nil, transport: any HTTPTransport = StubCredentialTransport.unused()) async throws(CredentialError) -> Credentials {
        try await CredentialChain.default(environment: makeCredentialEnvironment(variables, home: home, transport: transport), profile: profile).resolve()
    }

    @Test func withEverythingConfiguredTheEnvironmentWins() async throws {
        let stub = StubCredentialTransport.unused()
        #expect(try await resolve(try everything(), transport: stub).accessKeyID == "AKIDENVIRONMENT")
        #expect(stub.requests.isEmpty, "nothing after the environment is consulted")
    }

    @Test func thenWebIdentity() async throws {
        let sts = FakeSTS()
        var variables = try everything()
        variables["AWS_ACCESS_KEY_ID"] = nil
        variables["AWS_SECRET_ACCESS_KEY"] = nil
        #expect(try await resolve(variables, transport: sts.transport).accessKeyID == "ASIAFAKE1WEB")
        #expect(sts.calls.map { $0.formParameters["Action"] ?? "" } == ["AssumeRoleWithWebIdentity"])
    }

    @Test func thenTheDefaultProfile() async throws {
        var variables = try everything()
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"] { variables[name] = nil }
        #expect(try await resolve(variables).accessKeyID == "AKIDDEFAULTPROFILE")
    }

    @Test func thenTheContainerThenInstanceMetadata() async throws {
        try home.credentials("")
        let stub = StubCredentialTransport { request throws(TransportError) in
            if request.url.hasSuffix("/creds") { return HTTPResponse(status: 200, body: Array(containerCredentialsJSON.utf8)) }
            throw TransportError(.connection, "connection refused")
        }
        var variables = try everything()
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"] { variables[name] = nil }
        #expect(try await resolve(variables, transport: stub).accessKeyID == "ASIACONTAINER")

        let server = try LocalCredentialHTTPServer(routes: InstanceMetadataCredentialTests.routes())
        defer { server.stop() }
        variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = nil
        variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.baseURL
        #expect(try await resolve(variables, transport: CredentialTestTransports.http).accessKeyID == "ASIAINSTANCE")
    }

    @Test func anExplicitProfileIsUsedAlone() async throws {
        let stub = StubCredentialTransport.unused()
        #expect(try await resolve(try everything(), profile: "prod", transport: stub).accessKeyID == "AKIDPRODPROFILE")
        #expect(try await resolve(try everything(["AWS_PROFILE": "prod"]), transport: stub).accessKeyID == "AKIDPRODPROFILE")
        // The flag wins over AWS_PROFILE.
        #expect(try await resolve(try everything(["AWS_PROFILE": "prod"]), profile: "default", transport: stub).accessKeyID == "AKIDDEFAULTPROFILE")
        #expect(stub.requests.isEmpty)
    }

    @Test func anExplicitProfileWithoutCredentialsDoesNotFallBack() async throws {
        let variables = try everything()
        let error = await credentialError { _ = try await resolve(variables, profile: "empty") }
        #expect(error?.message.contains("the profile \"empty\" has no credentials") == true, "\(String(describing: error))")
    }

    @Test(arguments: [("ghost", nil), (nil, "ghost")] as [(String?, String?)])
    func aMissingExplicitProfileIsAnError(_ flag: String?, _ awsProfile: String?) async throws {
        var variables = try everything()
        variables["AWS_PROFILE"] = awsProfile
        let error = await credentialError { _ = try await resolve(variables, profile: flag) }
        #expect(error?.message.contains("the profile \"ghost\" does not exist in \(home.path)/.aws/credentials and \(home.path)/.aws/config") == true, "\(String(describing: error))")
        #expect(error?.message.contains("(profiles there: default, empty, prod)") == true)
    }

    @Test func aFailingProviderStopsTheChain() async throws {
        var variables = try everything()
        variables["AWS_SECRET_ACCESS_KEY"] = nil
        let error = await credentialError { _ = try await resolve(variables) }
        #expect(error?.provider == "environment")
    }

    @Test func nothingConfiguredListsWhatWasTried() async throws {
        let empty = try TemporaryHome()
        let port = closedLoopbackPort()
        let variables = ["PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"]
        let environment = makeCredentialEnvironment(variables, home: empty)
        let error = await credentialError { _ = try await CredentialChain.default(environment: environment).resolve() }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("credentials: no AWS credentials found. Tried, in order:"), "\(message)")
        let lines = message.split(separator: "\n").map(String.init)
        #expect(lines.count == 7)
        let expectations = [
            "  1. environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
            "  2. web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            "  3. profile default: no profile \"default\" in \(empty.path)/.aws/credentials (not found) and \(empty.path)/.aws/config (not found)",
            "  4. container credentials: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            "  5. EC2 instance metadata: no instance metadata service at http://127.0.0.1:\(port)",
        ]
        for (line, expected) in zip(lines.dropFirst(), expectations) {
            #expect(line.hasPrefix(expected), "\(line)")
        }
        #expect(lines.last == CredentialChain.defaultAdvice)
        #expect(!CredentialChain.defaultAdvice.contains("--"), "a library names no flag")
    }

    @Test func nothingFoundWithoutAHome() async throws {
        let environment = makeCredentialEnvironment(baseCredentialVariables(), home: nil, transport: StubCredentialTransport.unused())
        let error = await credentialError { _ = try await CredentialChain.default(environment: environment).resolve() }
        #expect(error?.message.contains("~/.aws/credentials (no home directory)") == true, "\(String(describing: error))")
        #expect(error?.message.contains("5. EC2 instance metadata: disabled by AWS_EC2_METADATA_DISABLED") == true)
    }

    @Test func aCustomChainUsesProvidersThatCannotExplain() async throws {
        let clock = ManualCredentialClock()
        let chain = CredentialChain(providers: [CountingProvider(clock: clock, lifetime: nil)])
        #expect(try await chain.credentials()?.accessKeyID == "ASIA1")
        let none = CredentialChain(name: "custom", providers: [], advice: "")
        let error = await credentialError { _ = try await none.resolve() }
        #expect(error?.description == "custom: no AWS credentials found. Tried, in order:")
    }
}
