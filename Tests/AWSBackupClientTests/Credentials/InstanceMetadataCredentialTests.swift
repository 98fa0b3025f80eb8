import BackupJobs
import Foundation
import Testing

@testable import AWSBackupClient

/// IMDSv2 against a real HTTP server on 127.0.0.1 that checks the session-token headers.
@Suite struct InstanceMetadataCredentialTests {
    static let token = "AQAEAImdsSessionToken=="
    static let roleCredentials = """
        {"Code": "Success", "LastUpdated": "2026-11-28T11:00:00Z", "Type": "AWS-HMAC", "AccessKeyId": "ASIAINSTANCE", "SecretAccessKey": "instance-secret", "Token": "instance-token", "Expiration": "2026-11-28T17:00:00Z"}
        """

    static func routes(role: String = "backup-audit-instance", credentials: String = roleCredentials) -> [String: LocalCredentialHTTPServer.Route] {
        [
            "PUT /latest/api/token": .init(body: token, require: ["X-aws-ec2-metadata-token-ttl-seconds": "21600"], contentType: "text/plain"),
            "GET /latest/meta-data/iam/security-credentials/": .init(body: role + "\n", require: ["X-aws-ec2-metadata-token": token], contentType: "text/plain"),
            "GET /latest/meta-data/iam/security-credentials/\(role)": .init(body: credentials, require: ["X-aws-ec2-metadata-token": token], contentType: "text/plain"),
        ]
    }

    func provider(endpoint: String?, _ variables: [String: String] = [:], transport: any HTTPTransport = CredentialTestTransports.http) -> InstanceMetadataCredentialProvider {
        var all = baseCredentialVariables(variables)
        all["AWS_EC2_METADATA_DISABLED"] = variables["AWS_EC2_METADATA_DISABLED"]
        if let endpoint { all["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = endpoint }
        return InstanceMetadataCredentialProvider(environment: makeCredentialEnvironment(all, home: nil, transport: transport))
    }

    @Test func credentialsWithIMDSv2() async throws {
        let server = try LocalCredentialHTTPServer(routes: Self.routes())
        defer { server.stop() }
        let credentials = try await provider(endpoint: server.baseURL + "/").credentials()
        #expect(credentials == Credentials(accessKeyID: "ASIAINSTANCE", secretAccessKey: "instance-secret", sessionToken: "instance-token", expiration: Timestamp(iso8601: "2026-11-28T17:00:00Z")))
        let log = try await server.log()
        #expect(log.map { "\($0.method) \($0.path)" } == [
            "PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/", "GET /latest/meta-data/iam/security-credentials/backup-audit-instance",
        ])
        #expect(log[0].headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(log.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == Self.token })
    }

    @Test func disabled() async throws {
        for value in ["true", "TRUE", "True"] {
            guard case .notFound(let reason) = try await provider(endpoint: "http://127.0.0.1:1", ["AWS_EC2_METADATA_DISABLED": value], transport: StubCredentialTransport.unused()).lookup() else {
                Issue.record("expected no credentials")
                continue
            }
            #expect(reason == "disabled by AWS_EC2_METADATA_DISABLED")
        }
    }

    @Test func absentServiceIsNothingHereQuickly() async throws {
        let port = closedLoopbackPort()
        // Two attempts of one second each (AsyncHTTPClient retries a refused connection until the
        // request's deadline), not the transport's 60 s connect timeout: the provider's own
        // timeouts are what bound it (checked below, not timed: timing tests flake under load).
        let lookup = try await provider(endpoint: "http://127.0.0.1:\(port)", transport: CredentialTestTransports.patient).lookup()
        guard case .notFound(let reason) = lookup else {
            Issue.record("expected no credentials")
            return
        }
        #expect(reason.contains("no instance metadata service at http://127.0.0.1:\(port)"), "\(reason)")
    }

    /// A service that holds its answer for a minute, before the response head or between the
    /// head and the body, is no service after two attempts of a second: the timeout bounds the
    /// whole exchange.
    @Test(arguments: ["before the head", "between the head and the body"])
    func aServiceThatDoesNotAnswerTimesOutAfterTwoShortAttempts(_ stall: String) async throws {
        var routes = Self.routes()
        if stall == "before the head" { routes["PUT /latest/api/token"]?.delay = 60 } else { routes["PUT /latest/api/token"]?.bodyDelay = 60 }
        let server = try LocalCredentialHTTPServer(routes: routes)
        defer { server.stop() }
        let lookup = try await provider(endpoint: server.baseURL, transport: CredentialTestTransports.patient).lookup()
        guard case .notFound(let reason) = lookup else {
            Issue.record("expected no credentials")
            return
        }
        #expect(reason.contains("timed out"), "\(reason)")
        #expect(try await server.log().count == 2, "one retry")
    }

    @Test func noRoleAttached() async throws {
        var routes = Self.routes()
        routes["GET /latest/meta-data/iam/security-credentials/"] = .init(status: 404, body: "", require: ["X-aws-ec2-metadata-token": Self.token])
        let server = try LocalCredentialHTTPServer(routes: routes)
        defer { server.stop() }
        guard case .notFound(let reason) = try await provider(endpoint: server.baseURL).lookup() else {
            Issue.record("expected no credentials")
            return
        }
        #expect(reason.contains("no IAM role is attached"))
    }

    @Test(arguments: [403, 404, 405])
    func noSessionTokenMeansNoIMDSv2(_ status: Int) async throws {
        var routes = Self.routes()
        routes["PUT /latest/api/token"] = .init(status: status, body: "")
        let server = try LocalCredentialHTTPServer(routes: routes)
        defer { server.stop() }
        guard case .notFound(let reason) = try await provider(endpoint: server.baseURL).lookup() else {
            Issue.record("expected no credentials")
            return
        }
        #expect(reason.contains("did not issue an IMDSv2 session token (HTTP \(status))"))
        #expect(try await server.log().count == 1, "IMDSv1 is never tried")
    }

    @Test func aFailingRoleIsAnError() async throws {
        let server = try LocalCredentialHTTPServer(routes: Self.routes(credentials: "{\"Code\": \"AssumeRoleUnauthorizedAccess\", \"Message\": \"EC2 cannot assume the role\"}"))
        defer { server.stop() }
        let error = await credentialError { _ = try await provider(endpoint: server.baseURL).credentials() }
        #expect(error?.message.contains("reports AssumeRoleUnauthorizedAccess for role backup-audit-instance: EC2 cannot assume the role") == true, "\(String(describing: error))")
        expectNoSecrets(error?.description ?? "", [Self.token])
    }

    @Test func anEndpointWithAPathPrefix() async throws {
        let stub = StubCredentialTransport { request throws(TransportError) in
            switch request.url {
            case "http://127.0.0.1:8111/prefix/latest/api/token": return HTTPResponse(status: 200, body: Array(Self.token.utf8))
            case "http://127.0.0.1:8111/prefix/latest/meta-data/iam/security-credentials/": return HTTPResponse(status: 200, body: Array("role".utf8))
            case "http://127.0.0.1:8111/prefix/latest/meta-data/iam/security-credentials/role": return HTTPResponse(status: 200, body: Array(Self.roleCredentials.utf8))
            default: return HTTPResponse(status: 404)
            }
        }
        #expect(try await provider(endpoint: "http://127.0.0.1:8111/prefix/", transport: stub).credentials()?.accessKeyID == "ASIAINSTANCE")
        #expect(stub.requests.map(\.method) == ["PUT", "GET", "GET"])
    }

    @Test func endpointSelection() {
        #expect(provider(endpoint: nil).endpoint == "http://169.254.169.254")
        #expect(provider(endpoint: nil, ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"]).endpoint == "http://[fd00:ec2::254]")
        #expect(provider(endpoint: "http://127.0.0.1:8111/").endpoint == "http://127.0.0.1:8111")
    }
}
