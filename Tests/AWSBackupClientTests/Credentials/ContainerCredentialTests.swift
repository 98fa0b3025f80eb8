import BackupJobs
import Foundation
import Testing

@testable import AWSBackupClient

let containerCredentialsJSON = """
    {"AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "container-secret", "Token": "container-token", "Expiration": "2026-11-28T18:00:00Z", "RoleArn": "arn:aws:iam::123456789012:role/task"}
    """

/// The container credentials endpoint, against a real HTTP server on 127.0.0.1 (and a stub
/// transport for the hosts a test cannot listen on).
@Suite struct ContainerCredentialTests {
    let home: TemporaryHome

    init() throws {
        home = try TemporaryHome()
    }

    func provider(_ variables: [String: String], transport: any HTTPTransport = CredentialTestTransports.http) -> ContainerCredentialProvider {
        var provider = ContainerCredentialProvider(environment: makeCredentialEnvironment(baseCredentialVariables(variables), home: home, transport: transport))
        provider.retryDelay = .milliseconds(10)
        return provider
    }

    @Test func fullURIWithAnAuthorizationToken() async throws {
        let server = try LocalCredentialHTTPServer(routes: ["GET /v1/credentials": .init(body: containerCredentialsJSON, require: ["Authorization": "Bearer pod-identity-token"])])
        defer { server.stop() }
        let credentials = try await provider([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/v1/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer pod-identity-token",
        ]).credentials()
        #expect(credentials == Credentials(accessKeyID: "ASIACONTAINER", secretAccessKey: "container-secret", sessionToken: "container-token", expiration: Timestamp(iso8601: "2026-11-28T18:00:00Z")))
        let log = try await server.log()
        #expect(log.count == 1)
        #expect(log.first?.headers["accept"] == "application/json")
    }

    @Test func theTokenFileWinsOverTheTokenVariableAndIsReadEachTime() async throws {
        let server = try LocalCredentialHTTPServer(routes: ["GET /creds": .init(body: containerCredentialsJSON, require: ["Authorization": "from-file"])])
        defer { server.stop() }
        let tokenFile = try home.write("eks-pod-identity-token", "from-file\n")
        let provider = provider([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "from-variable",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ])
        #expect(try await provider.credentials()?.accessKeyID == "ASIACONTAINER")
        try home.write("eks-pod-identity-token", "rotated")
        let error = await credentialError { _ = try await provider.credentials() }
        #expect(error?.message.contains("answered HTTP 401") == true, "\(String(describing: error))")
        expectNoSecrets(error?.description ?? "", ["rotated"])
        #expect(try await server.log().map { $0.headers["authorization"] ?? "" } == ["from-file", "rotated"])
    }

    @Test func aWrongTokenIsAnErrorThatDoesNotShowIt() async throws {
        let server = try LocalCredentialHTTPServer(routes: ["GET /creds": .init(body: containerCredentialsJSON, require: ["Authorization": "right"])])
        defer { server.stop() }
        let error = await credentialError {
            _ = try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong-token-value"]).credentials()
        }
        #expect(error?.message.contains("answered HTTP 401: missing or wrong Authorization") == true, "\(String(describing: error))")
        expectNoSecrets(error?.description ?? "", ["wrong-token-value"])
        #expect(try await server.log().count == 1, "4xx answers are not retried")
    }

    @Test func serverErrorsAreRetried() async throws {
        let server = try LocalCredentialHTTPServer(routes: ["GET /creds": .init(status: 500, body: "{\"message\": \"boom\"}")])
        defer { server.stop() }
        let error = await credentialError { _ = try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds"]).credentials() }
        #expect(error?.message.contains("HTTP 500") == true)
        #expect(try await server.log().count == 2)
    }

    @Test func aBadAnswerIsAnError() async throws {
        let server = try LocalCredentialHTTPServer(routes: [
            "GET /html": .init(body: "<html>captive portal</html>", contentType: "text/html"),
            "GET /partial": .init(body: "{\"AccessKeyId\": \"ASIAX\", \"Token\": \"t\"}"),
        ])
        defer { server.stop() }
        let html = await credentialError { _ = try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/html"]).credentials() }
        #expect(html?.message.contains("did not answer with JSON") == true)
        let partial = await credentialError { _ = try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/partial"]).credentials() }
        #expect(partial?.message.contains("has no SecretAccessKey") == true)
    }

    @Test func noServerIsAnErrorOnceConfigured() async throws {
        let port = closedLoopbackPort()
        let error = await credentialError { _ = try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:\(port)/creds"]).credentials() }
        #expect(error?.message.contains("no answer from the container credentials endpoint http://127.0.0.1:\(port)/creds") == true, "\(String(describing: error))")
    }

    @Test func relativeURIGoesToTheECSHost() async throws {
        let stub = StubCredentialTransport { _ throws(TransportError) in HTTPResponse(status: 200, body: Array(containerCredentialsJSON.utf8)) }
        let credentials = try await provider([
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/5f9b2c", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/ignored",
        ], transport: stub).credentials()
        #expect(credentials?.accessKeyID == "ASIACONTAINER")
        #expect(stub.requests.map(\.url) == ["http://169.254.170.2/v2/credentials/5f9b2c"])
        #expect(stub.requests.first?.recordedHeader("Authorization") == nil)
    }

    @Test func nothingConfigured() async throws {
        guard case .notFound(let reason) = try await provider([:], transport: StubCredentialTransport.unused()).lookup() else {
            Issue.record("expected no credentials")
            return
        }
        #expect(reason.contains("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"))
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/creds", true),
        ("http://127.1.2.3/creds", true),
        ("http://localhost:9000/creds", true),
        ("http://[::1]:9000/creds", true),
        ("http://169.254.170.2/v2/creds", true),
        ("http://169.254.170.23/v1/credentials", true),
        ("http://[fd00:ec2::23]/v1/credentials", true),
        ("https://credentials.example.com/role", true),
        ("HTTPS://Credentials.Example.com:8443/role", true),
        ("http://credentials.example.com/role", false),
        ("http://10.0.0.1/creds", false),
        ("http://169.254.169.254/latest", false),
        ("http://127.0.0.1.example.com/creds", false),
        ("http://user@evil.example.com/creds", false),
        ("ftp://127.0.0.1/creds", false),
        ("not a url", false),
    ])
    func fullURIHostRestriction(_ uri: String, _ allowed: Bool) async throws {
        let stub = StubCredentialTransport { _ throws(TransportError) in HTTPResponse(status: 200, body: Array(containerCredentialsJSON.utf8)) }
        let provider = provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri], transport: stub)
        if allowed {
            #expect(try await provider.credentials()?.accessKeyID == "ASIACONTAINER")
            #expect(stub.requests.map(\.url) == [uri])
        } else {
            let error = await credentialError { _ = try await provider.credentials() }
            #expect(error?.message.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI") == true, "\(String(describing: error))")
            #expect(stub.requests.isEmpty, "no request may be sent to a host that is not allowed")
        }
    }

    @Test func messagesNeverShowPasswordsInTheURL() async throws {
        let error = await credentialError {
            _ = try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://user:hunter2@credentials.example.com/role"], transport: StubCredentialTransport { _ throws(TransportError) in
                throw TransportError(.connection, "connection refused")
            }).credentials()
        }
        #expect(error?.message.contains("https://credentials.example.com/role") == true, "\(String(describing: error))")
        expectNoSecrets(error?.description ?? "", ["hunter2"])
    }

    @Test(arguments: [
        ("http://169.254.170.2/v2/credentials/abc", "http", "169.254.170.2", nil, "/v2/credentials/abc", "169.254.170.2"),
        ("https://Example.COM:8443", "https", "example.com", 8443, "/", "example.com:8443"),
        ("http://[fd00:ec2::23]:80/v1/credentials?x=1", "http", "fd00:ec2::23", 80, "/v1/credentials?x=1", "[fd00:ec2::23]"),
        ("http://a:b@127.0.0.1:9/p#frag", "http", "127.0.0.1", 9, "/p", "127.0.0.1:9"),
        ("http://localhost?q", "http", "localhost", nil, "/?q", "localhost"),
    ] as [(String, String, String, Int?, String, String)])
    func endpointURLs(_ text: String, _ scheme: String, _ host: String, _ port: Int?, _ path: String, _ hostHeader: String) throws {
        let url = try #require(EndpointURL(text))
        #expect(url.scheme == scheme)
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.pathAndQuery == path)
        #expect(url.hostHeader == hostHeader)
    }

    @Test(arguments: ["127.0.0.1:80/x", "http://", "http://host:port/", "http://host:99999/", "http://[::1/", "file:///etc/passwd"])
    func notEndpointURLs(_ text: String) {
        #expect(EndpointURL(text) == nil)
    }

    @Test func aTokenWithALineBreakIsRefused() async throws {
        let error = await credentialError {
            _ = try await provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "abc\r\nX-Injected: 1"], transport: StubCredentialTransport.unused()).credentials()
        }
        #expect(error?.message.contains("line break") == true)
        expectNoSecrets(error?.description ?? "", ["X-Injected"])
    }
}
