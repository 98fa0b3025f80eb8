import BackupJobs
import Foundation

/// The EC2 instance profile's role credentials, from the instance metadata service, IMDSv2
/// only: `PUT /latest/api/token` for a session token, then
/// `GET /latest/meta-data/iam/security-credentials/` for the role's name and
/// `GET /latest/meta-data/iam/security-credentials/<role>` for its keys, both with the token.
///
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` overrides `http://169.254.169.254`
/// (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`: `http://[fd00:ec2::254]`);
/// `AWS_EC2_METADATA_DISABLED=true` turns the provider off. Requests time out after a second and
/// are tried twice, so a machine without the service moves on quickly: no service, or no role,
/// is "nothing here", not an error. A service that issues a token but then fails is an error.
public struct InstanceMetadataCredentialProvider: ExplainingCredentialProvider {
    public let name = "EC2 instance metadata"
    public var environment: ProviderEnvironment
    public var timeout: Duration = .seconds(1)
    public var attempts = 2
    public var retryDelay: Duration = .milliseconds(100)

    public static let tokenTTLSeconds = 21600
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    public init(environment: ProviderEnvironment) {
        self.environment = environment
    }

    /// `http://169.254.169.254`, or the configured endpoint (no trailing slash).
    public var endpoint: String {
        if let configured = environment.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            return configured.hasSuffix("/") ? String(configured.dropLast()) : configured
        }
        return environment.variable("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")?.lowercased() == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254"
    }

    public func lookup() async throws(CredentialError) -> CredentialLookup {
        if environment.flag("AWS_EC2_METADATA_DISABLED") {
            return .notFound("disabled by AWS_EC2_METADATA_DISABLED")
        }
        let endpoint = self.endpoint
        guard let url = EndpointURL(endpoint) else {
            throw CredentialError(provider: name, "AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http or https URL")
        }
        let base = url.origin + url.pathPrefix

        // 1. The session token. No answer: no instance metadata service here.
        let tokenResponse: HTTPResponse
        do {
            tokenResponse = try await send(HTTPRequest(method: "PUT", url: base + "/latest/api/token", headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))]))
        } catch {
            return .notFound("no instance metadata service at \(base) (\(TextLimits.excerpt(error.message, limit: 200)))")
        }
        guard tokenResponse.status == 200 else {
            return .notFound("\(base) did not issue an IMDSv2 session token (HTTP \(tokenResponse.status))")
        }
        let token = String(decoding: tokenResponse.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw CredentialError(provider: name, "\(base) issued an unusable IMDSv2 session token")
        }
        let authorized: [(name: String, value: String)] = [("X-aws-ec2-metadata-token", token)]

        // 2. The role attached to the instance profile.
        let roleResponse = try await get(base + Self.credentialsPath, headers: authorized, what: "the instance profile's role", token: token)
        if roleResponse.status == 404 {
            return .notFound("no IAM role is attached to this instance (\(base))")
        }
        guard roleResponse.status == 200 else {
            throw CredentialError(provider: name, "\(base)\(Self.credentialsPath) answered HTTP \(roleResponse.status)")
        }
        let role = String(decoding: roleResponse.body, as: UTF8.self).split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !role.isEmpty else {
            return .notFound("no IAM role is attached to this instance (\(base))")
        }

        // 3. The role's credentials.
        let credentialsURL = base + Self.credentialsPath + SigV4.percentEncode(role)
        let response = try await get(credentialsURL, headers: authorized, what: "the credentials of role \(role)", token: token)
        guard response.status == 200 else {
            throw CredentialError(provider: name, "\(credentialsURL) answered HTTP \(response.status)")
        }
        guard let json = JSONValue.parse(response.body) else {
            throw CredentialError(provider: name, "\(credentialsURL) did not answer with JSON")
        }
        if let code = json["Code"]?.string, code != "Success" {
            throw CredentialError(provider: name, "the instance metadata service reports \(TextLimits.excerpt(code, limit: 60)) for role \(role)" + (json["Message"]?.string.map { ": " + TextLimits.excerpt($0, limit: 200) } ?? ""))
        }
        return .found(try CredentialJSON.credentials(from: json, tokenKey: "Token", requireToken: false, provider: name, source: "the credentials of role \(role) from \(base)"))
    }

    private func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        try await HTTPAttempts.send(request, with: environment.transport, timeout: timeout, attempts: attempts, delay: retryDelay)
    }

    private func get(_ url: String, headers: [(name: String, value: String)], what: String, token: String) async throws(CredentialError) -> HTTPResponse {
        do {
            return try await send(HTTPRequest(method: "GET", url: url, headers: headers))
        } catch {
            throw CredentialError(provider: name, "the instance metadata service issued a session token but then did not answer for \(what): \(TextLimits.scrub(error.message, secrets: [token]))")
        }
    }
}
