import BackupJobs
import Testing

@testable import AWSBackupClient

/// AssumeRole and AssumeRoleWithWebIdentity against a real moto server, reached through
/// `AWS_ENDPOINT_URL_STS`.
@Suite(.motoServer) struct STSCredentialTests {
    let home: TemporaryHome
    let moto: MotoServer

    init() throws {
        home = try TemporaryHome()
        moto = try MotoServer.required
    }

    func environment(_ variables: [String: String] = [:], transport: any HTTPTransport = CredentialTestTransports.http) -> ProviderEnvironment {
        makeCredentialEnvironment(baseCredentialVariables(["AWS_ENDPOINT_URL_STS": moto.endpoint, "AWS_REGION": "us-east-1"]).merging(variables) { _, new in new }, home: home, transport: transport)
    }

    func expectMotoCredentials(_ credentials: Credentials?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(credentials?.accessKeyID.hasPrefix("ASIA") == true, "\(String(describing: credentials))", sourceLocation: sourceLocation)
        #expect(credentials?.sessionToken?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(credentials?.secretAccessKey.isEmpty == false, sourceLocation: sourceLocation)
        #expect(credentials.flatMap(\.expiration).map { $0 > CredentialWallClock.now() } == true, sourceLocation: sourceLocation)
    }

    @Test func assumeRoleFromAProfileWithExternalIDAndSessionName() async throws {
        try home.credentials("[base]\naws_access_key_id = \(exampleAccessKey)\naws_secret_access_key = \(exampleSecret)\n")
        try home.config("""
            [profile audit]
            role_arn = arn:aws:iam::123456789012:role/backup-auditor
            source_profile = base
            external_id = ext-4711
            role_session_name = audit-session
            duration_seconds = 900
            """)
        let recording = RecordingCredentialTransport()
        let credentials = try await ProfileCredentialProvider(profile: "audit", explicit: true, environment: environment(transport: recording)).credentials()
        expectMotoCredentials(credentials)

        let record = try #require(try await moto.assumedRoles()[credentials?.accessKeyID ?? ""], "moto has no record of the assumed role")
        #expect(record.role_arn == "arn:aws:iam::123456789012:role/backup-auditor")
        #expect(record.session_name == "audit-session")
        #expect(record.external_id == "ext-4711")
        #expect(record.arn == "arn:aws:sts::123456789012:assumed-role/backup-auditor/audit-session")

        let request = try #require(recording.requests.first)
        #expect(request.url == moto.endpoint + "/")
        #expect(request.formParameters["DurationSeconds"] == "900")
        #expect(request.signingAccessKey == exampleAccessKey)
    }

    @Test func assumeRoleThroughAChainOfProfiles() async throws {
        try home.config("""
            [profile top]
            role_arn = arn:aws:iam::123456789012:role/top
            source_profile = middle
            role_session_name = top-session
            [profile middle]
            role_arn = arn:aws:iam::123456789012:role/middle
            source_profile = base
            role_session_name = middle-session
            [profile base]
            aws_access_key_id = \(exampleAccessKey)
            aws_secret_access_key = \(exampleSecret)
            """)
        let recording = RecordingCredentialTransport()
        let credentials = try await ProfileCredentialProvider(profile: "top", explicit: true, environment: environment(transport: recording)).credentials()
        expectMotoCredentials(credentials)
        let roles = try await moto.assumedRoles()
        #expect(roles[credentials?.accessKeyID ?? ""]?.session_name == "top-session")
        // The first call was signed with the base keys, the second with what moto issued for the first.
        #expect(recording.requests.map { $0.formParameters["RoleSessionName"] ?? "" } == ["middle-session", "top-session"])
        #expect(recording.requests.first?.signingAccessKey == exampleAccessKey)
        let middleKey = try #require(recording.requests.last?.signingAccessKey)
        #expect(middleKey.hasPrefix("ASIA"))
        #expect(roles[middleKey]?.session_name == "middle-session")
        #expect(roles[middleKey]?.role_arn == "arn:aws:iam::123456789012:role/middle")
    }

    @Test func assumeRoleWithCredentialSourceEnvironment() async throws {
        try home.config("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/from-env\ncredential_source = Environment\nrole_session_name = env-sourced\n")
        let credentials = try await ProfileCredentialProvider(
            profile: "r", explicit: true, environment: environment(["AWS_ACCESS_KEY_ID": exampleAccessKey, "AWS_SECRET_ACCESS_KEY": exampleSecret])
        ).credentials()
        expectMotoCredentials(credentials)
        #expect(try await moto.assumedRoles()[credentials?.accessKeyID ?? ""]?.session_name == "env-sourced")
    }

    @Test func webIdentityFromTheEnvironment() async throws {
        let tokenFile = try home.write("web-identity-token", "eyJhbGciOiJSUzI1NiJ9.test-token.signature\n")
        let recording = RecordingCredentialTransport()
        let provider = WebIdentityCredentialProvider(environment: environment([
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/github-actions",
            "AWS_ROLE_SESSION_NAME": "gha-run-42",
        ], transport: recording))
        let credentials = try await provider.credentials()
        expectMotoCredentials(credentials)
        #expect(try await moto.assumedRoles()[credentials?.accessKeyID ?? ""]?.arn == "arn:aws:sts::123456789012:assumed-role/github-actions/gha-run-42")
        let request = try #require(recording.requests.first)
        #expect(request.recordedHeader("Authorization") == nil, "AssumeRoleWithWebIdentity must not be signed")
        #expect(request.formParameters["WebIdentityToken"] == "eyJhbGciOiJSUzI1NiJ9.test-token.signature")
    }

    @Test func webIdentityWithAGeneratedSessionName() async throws {
        let tokenFile = try home.write("token", "token-value")
        let clock = ManualCredentialClock(Timestamp(iso8601: "2026-11-28T10:00:00Z")!)
        let environment = makeCredentialEnvironment(
            baseCredentialVariables(["AWS_ENDPOINT_URL_STS": moto.endpoint, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/generated"]),
            home: home, clock: clock.function)
        let credentials = try await WebIdentityCredentialProvider(environment: environment).credentials()
        #expect(try await moto.assumedRoles()[credentials?.accessKeyID ?? ""]?.session_name == "backup-audit-\(clock.now.millisecondsSinceEpoch / 1000)")
    }

    @Test func webIdentityFromAProfile() async throws {
        let tokenFile = try home.write("token", "profile-token")
        try home.config("[profile wi]\nweb_identity_token_file = \(tokenFile)\nrole_arn = arn:aws:iam::123456789012:role/wi\nrole_session_name = wi-session\n")
        let credentials = try await ProfileCredentialProvider(profile: "wi", explicit: true, environment: environment()).credentials()
        expectMotoCredentials(credentials)
        #expect(try await moto.assumedRoles()[credentials?.accessKeyID ?? ""]?.session_name == "wi-session")
    }

    @Test func stsClientReturnsTheAssumedRoleUser() async throws {
        let client = STSClient(region: "us-east-1", environment: environment())
        #expect(client.endpoint == moto.endpoint)
        let assumed = try await client.assumeRole(
            AssumeRoleRequest(roleARN: "arn:aws:iam::123456789012:role/direct", roleSessionName: "direct-session", externalID: "x-1", durationSeconds: 1200),
            using: Credentials(accessKeyID: exampleAccessKey, secretAccessKey: exampleSecret))
        #expect(assumed.assumedRoleARN == "arn:aws:sts::123456789012:assumed-role/direct/direct-session")
        #expect(assumed.assumedRoleID?.hasSuffix(":direct-session") == true)
        expectMotoCredentials(assumed.credentials)
    }

    @Test func motoValidationErrorsBecomeClearErrors() async throws {
        // moto rejects a session name over 64 characters, as STS does.
        let longName = String(repeating: "s", count: 70)
        try home.config("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Environment\nrole_session_name = \(longName)\n")
        let error = await credentialError {
            _ = try await ProfileCredentialProvider(profile: "r", explicit: true, environment: environment(["AWS_ACCESS_KEY_ID": exampleAccessKey, "AWS_SECRET_ACCESS_KEY": exampleSecret])).credentials()
        }
        let message = error?.description ?? ""
        #expect(message.contains("could not assume role arn:aws:iam::123456789012:role/r"), "\(message)")
        #expect(message.contains("ValidationError"), "\(message)")
        expectNoSecrets(message, [exampleSecret])
    }
}

/// STS error answers and endpoints, against a local server that answers like STS does.
@Suite struct STSErrorCredentialTests {
    static let accessDenied = """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>AccessDenied</Code>
            <Message>User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/audit</Message>
          </Error>
          <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
        </ErrorResponse>
        """

    @Test func accessDeniedFromARealHTTPServer() async throws {
        let server = try LocalCredentialHTTPServer(routes: ["POST /": .init(status: 403, body: Self.accessDenied, contentType: "text/xml")])
        defer { server.stop() }
        let home = try TemporaryHome()
        try home.config("[profile audit]\nrole_arn = arn:aws:iam::123456789012:role/audit\ncredential_source = Environment\n")
        let environment = makeCredentialEnvironment(baseCredentialVariables([
            "AWS_ENDPOINT_URL": server.baseURL, "AWS_ACCESS_KEY_ID": exampleAccessKey, "AWS_SECRET_ACCESS_KEY": exampleSecret, "AWS_SESSION_TOKEN": "session-token-secret",
        ]), home: home)
        let error = await credentialError { _ = try await ProfileCredentialProvider(profile: "audit", explicit: true, environment: environment).credentials() }
        let message = error?.description ?? ""
        #expect(message.contains("credential_source Environment of profile \"audit\" (access key AKIA…MPLE) is not allowed to assume role arn:aws:iam::123456789012:role/audit"), "\(message)")
        #expect(message.contains("User: arn:aws:iam::123456789012:user/ci is not authorized"))
        #expect(message.contains("request id c6104cbe-af31-11e0-8154-cbc7ccf896c7"))
        expectNoSecrets(message, [exampleSecret, "session-token-secret"])
        let log = try await server.log()
        #expect(log.count == 1)
        #expect(log.first?.headers["x-amz-security-token"] == "session-token-secret")
    }

    @Test func invalidWebIdentityTokenNeverShowsTheToken() async throws {
        let body = """
            <ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>Token eyJsecret.token.value is not valid</Message></Error><RequestId>r-1</RequestId></ErrorResponse>
            """
        let server = try LocalCredentialHTTPServer(routes: ["POST /": .init(status: 400, body: body, contentType: "text/xml")])
        defer { server.stop() }
        let home = try TemporaryHome()
        let tokenFile = try home.write("token", "eyJsecret.token.value")
        let environment = makeCredentialEnvironment(baseCredentialVariables([
            "AWS_ENDPOINT_URL_STS": server.baseURL, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/ci",
        ]), home: home)
        let error = await credentialError { _ = try await WebIdentityCredentialProvider(environment: environment).credentials() }
        let message = error?.description ?? ""
        #expect(message.contains("STS rejected the web identity token in \(tokenFile) for role arn:aws:iam::123456789012:role/ci"), "\(message)")
        #expect(message.contains("InvalidIdentityToken"))
        expectNoSecrets(message, ["eyJsecret.token.value"])
    }

    @Test func serverErrorsAreRetriedThenReported() async throws {
        let server = try LocalCredentialHTTPServer(routes: ["POST /": .init(status: 503, body: "<html>Service Unavailable</html>", contentType: "text/html")])
        defer { server.stop() }
        var client = STSClient(endpoint: server.baseURL, signingRegion: "us-east-1", transport: CredentialTestTransports.http, now: CredentialWallClock.now)
        client.retryDelay = .milliseconds(10)
        await #expect {
            _ = try await client.assumeRole(AssumeRoleRequest(roleARN: "arn:aws:iam::123456789012:role/r", roleSessionName: "s"), using: Credentials(accessKeyID: "AKID", secretAccessKey: "secret"))
        } throws: { error in
            "\(error)".contains("HTTP 503: <html>Service Unavailable</html>")
        }
        #expect(try await server.log().count == 3)
    }

    @Test func aMalformedAnswerIsAnError() async throws {
        let server = try LocalCredentialHTTPServer(routes: ["POST /": .init(status: 200, body: "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAX</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>", contentType: "text/xml")])
        defer { server.stop() }
        let client = STSClient(endpoint: server.baseURL, signingRegion: "us-east-1", transport: CredentialTestTransports.http, now: CredentialWallClock.now)
        await #expect {
            _ = try await client.assumeRole(AssumeRoleRequest(roleARN: "arn:aws:iam::123456789012:role/r", roleSessionName: "s"), using: Credentials(accessKeyID: "AKID", secretAccessKey: "secret"))
        } throws: { error in
            "\(error)".contains("has no Credentials.SecretAccessKey")
        }
    }

    @Test func noServerAtAll() async throws {
        let port = closedLoopbackPort()
        var client = STSClient(endpoint: "http://user:pw-secret@127.0.0.1:\(port)", signingRegion: "us-east-1", transport: CredentialTestTransports.http, now: CredentialWallClock.now)
        client.attempts = 1
        client.timeout = .seconds(1)
        let home = try TemporaryHome()
        let tokenFile = try home.write("token", "web-token-secret")
        let error = await credentialError {
            _ = try await WebIdentityCredentialProvider.assume(
                WebIdentityConfiguration(tokenFile: tokenFile, roleARN: "arn:aws:iam::123456789012:role/r"), provider: "web identity",
                environment: makeCredentialEnvironment([:], home: home), sts: client)
        }
        let message = error?.description ?? ""
        #expect(message.contains("could not assume role arn:aws:iam::123456789012:role/r with the web identity token in \(tokenFile) at http://127.0.0.1:\(port)/: no response from STS"), "\(message)")
        expectNoSecrets(message, ["pw-secret", "web-token-secret"])
    }

    @Test(arguments: [
        ("us-east-1", [:], "https://sts.us-east-1.amazonaws.com"),
        ("eu-central-1", [:], "https://sts.eu-central-1.amazonaws.com"),
        ("cn-north-1", [:], "https://sts.cn-north-1.amazonaws.com.cn"),
        (nil, [:], "https://sts.amazonaws.com"),
        ("eu-west-1", ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:5000/"], "http://127.0.0.1:5000"),
        ("eu-west-1", ["AWS_ENDPOINT_URL": "http://localhost:4566"], "http://localhost:4566"),
        ("eu-west-1", ["AWS_ENDPOINT_URL": "http://general", "AWS_ENDPOINT_URL_STS": "http://sts-only"], "http://sts-only"),
        ("eu-west-1", ["AWS_ENDPOINT_URL_STS": "http://sts-only", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], "https://sts.eu-west-1.amazonaws.com"),
    ] as [(String?, [String: String], String)])
    func endpoints(_ region: String?, _ variables: [String: String], _ expected: String) {
        #expect(STSClient.endpoint(region: region, variables: variables) == expected)
    }
}
