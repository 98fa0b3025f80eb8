public import BackupJobs
import Foundation

/// `AssumeRole` parameters. The session name and duration are always sent.
public struct AssumeRoleRequest: Sendable, Equatable {
    public var roleARN: String
    public var roleSessionName: String
    public var externalID: String?
    public var durationSeconds: Int?

    public init(roleARN: String, roleSessionName: String, externalID: String? = nil, durationSeconds: Int? = nil) {
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.externalID = externalID
        self.durationSeconds = durationSeconds
    }
}

/// `AssumeRoleWithWebIdentity` parameters. The token is a secret: it is never shown.
public struct AssumeRoleWithWebIdentityRequest: Sendable, CustomStringConvertible {
    public var roleARN: String
    public var roleSessionName: String
    public var webIdentityToken: String
    public var durationSeconds: Int?

    public init(roleARN: String, roleSessionName: String, webIdentityToken: String, durationSeconds: Int? = nil) {
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.webIdentityToken = webIdentityToken
        self.durationSeconds = durationSeconds
    }

    public var description: String {
        "AssumeRoleWithWebIdentityRequest(\(roleARN), session \(roleSessionName))"
    }
}

/// What STS returns for both calls.
public struct AssumedRole: Sendable, Equatable, CustomStringConvertible {
    public var credentials: Credentials
    /// `arn:aws:sts::123456789012:assumed-role/audit/backup-audit-1764300000`.
    public var assumedRoleARN: String?
    /// `AROA…:backup-audit-1764300000`.
    public var assumedRoleID: String?

    public init(credentials: Credentials, assumedRoleARN: String?, assumedRoleID: String?) {
        self.credentials = credentials
        self.assumedRoleARN = assumedRoleARN
        self.assumedRoleID = assumedRoleID
    }

    public var description: String {
        "AssumedRole(\(assumedRoleARN ?? "?"), \(credentials))"
    }
}

/// A failed STS call.
public struct STSError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// STS answered with an error response: `AccessDenied`, `ExpiredToken`, `InvalidIdentityToken`…
        case service(code: String, status: Int)
        /// No response (connection, timeout, TLS).
        case transport
        /// A response that is not what STS sends.
        case malformedResponse
    }

    public var kind: Kind
    /// STS's message, or what went wrong. Never contains a secret.
    public var message: String
    public var requestID: String?

    public init(_ kind: Kind, _ message: String, requestID: String? = nil) {
        self.kind = kind
        self.message = message
        self.requestID = requestID
    }

    /// `AccessDenied`, for service errors.
    public var code: String? {
        if case .service(let code, _) = kind { code } else { nil }
    }

    public var description: String {
        let id = requestID.map { " (request id \($0))" } ?? ""
        switch kind {
        case .service(let code, let status):
            // An answer that was no STS error document has the code `HTTP<status>`.
            return code == "HTTP\(status)" ? "HTTP \(status): \(message)\(id)" : "\(code) (HTTP \(status)): \(message)\(id)"
        case .transport: return "no response from STS: \(message)"
        case .malformedResponse: return "unexpected response from STS: \(message)\(id)"
        }
    }
}

/// The AWS Security Token Service over its Query protocol: form-encoded POSTs to
/// `https://sts.{region}.amazonaws.com/`, XML answers. `AssumeRole` is SigV4-signed with the
/// source credentials; `AssumeRoleWithWebIdentity` is unsigned (the token is the proof).
public struct STSClient: Sendable {
    /// `https://sts.eu-west-1.amazonaws.com`, or an override such as `http://127.0.0.1:5000`.
    public var endpoint: String
    /// The region in the SigV4 scope.
    public var signingRegion: String
    public var transport: any HTTPTransport
    public var now: @Sendable () -> Timestamp
    /// Per attempt.
    public var timeout: Duration = .seconds(20)
    /// Attempts for transport failures, 5xx answers and throttling.
    public var attempts = 3
    public var retryDelay: Duration = .milliseconds(300)

    public static let apiVersion = "2011-06-15"

    public init(endpoint: String, signingRegion: String, transport: any HTTPTransport, now: @escaping @Sendable () -> Timestamp) {
        self.endpoint = endpoint
        self.signingRegion = signingRegion
        self.transport = transport
        self.now = now
    }

    /// The client for `region` (nil: unknown), with the endpoint from `AWS_ENDPOINT_URL_STS`,
    /// then `AWS_ENDPOINT_URL`, then the regional endpoint (the global one when the region is
    /// unknown).
    public init(region: String?, environment: ProviderEnvironment) {
        self.init(
            endpoint: Self.endpoint(region: region, variables: environment.variables),
            signingRegion: region ?? "us-east-1",
            transport: environment.transport,
            now: environment.now)
    }

    /// `https://sts.us-west-2.amazonaws.com`, `https://sts.cn-north-1.amazonaws.com.cn`, or an
    /// override from `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` (ignored when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`).
    public static func endpoint(region: String?, variables: [String: String]) -> String {
        if variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
            for name in ["AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL"] {
                if let value = variables[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
                    return value.hasSuffix("/") ? String(value.dropLast()) : value
                }
            }
        }
        guard let region, !region.isEmpty else { return "https://sts.amazonaws.com" }
        return region.hasPrefix("cn-") ? "https://sts.\(region).amazonaws.com.cn" : "https://sts.\(region).amazonaws.com"
    }

    // MARK: Calls

    public func assumeRole(_ request: AssumeRoleRequest, using credentials: Credentials) async throws(STSError) -> AssumedRole {
        var parameters = [("Action", "AssumeRole"), ("Version", Self.apiVersion), ("RoleArn", request.roleARN), ("RoleSessionName", request.roleSessionName)]
        if let externalID = request.externalID { parameters.append(("ExternalId", externalID)) }
        if let duration = request.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        let body = try await call(parameters, signedWith: credentials, secrets: [credentials.secretAccessKey, credentials.sessionToken])
        return try STSResponse.assumedRole(body, action: "AssumeRole")
    }

    public func assumeRoleWithWebIdentity(_ request: AssumeRoleWithWebIdentityRequest) async throws(STSError) -> AssumedRole {
        var parameters = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", Self.apiVersion), ("RoleArn", request.roleARN),
            ("RoleSessionName", request.roleSessionName), ("WebIdentityToken", request.webIdentityToken),
        ]
        if let duration = request.durationSeconds { parameters.append(("DurationSeconds", String(duration))) }
        let body = try await call(parameters, signedWith: nil, secrets: [request.webIdentityToken])
        return try STSResponse.assumedRole(body, action: "AssumeRoleWithWebIdentity")
    }

    /// The endpoint for messages, without any `user:password@`.
    var endpointForMessages: String {
        EndpointURL(endpoint).map { $0.origin + ($0.pathPrefix.isEmpty ? "/" : $0.pathPrefix) } ?? "the configured STS endpoint"
    }

    // MARK: The exchange

    /// The body of a 200 answer; error answers become `STSError`s with STS's code and message.
    func call(_ parameters: [(String, String)], signedWith credentials: Credentials?, secrets: [String?]) async throws(STSError) -> [UInt8] {
        guard let url = EndpointURL(endpoint) else {
            throw STSError(.transport, "the STS endpoint (AWS_ENDPOINT_URL_STS or AWS_ENDPOINT_URL) is not an http or https URL")
        }
        let path = url.pathAndQuery.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? "/"
        let body = Array(parameters.map { SigV4.percentEncode($0.0) + "=" + SigV4.percentEncode($0.1) }.joined(separator: "&").utf8)
        var attempt = 1
        while true {
            var signable = SignableRequest(
                method: "POST", path: path.isEmpty ? "/" : path,
                headers: [("Host", url.hostHeader), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                body: body)
            if let credentials {
                signable = SigV4(credentials: credentials, region: signingRegion, service: "sts").sign(signable, at: now())
            }
            let request = HTTPRequest(method: "POST", url: url.origin + signable.encodedPath, headers: signable.headers, body: body)
            let retryable: STSError
            do {
                let response = try await transport.send(request, timeout: timeout)
                if response.status == 200 { return response.body }
                let error = STSResponse.error(response, secrets: secrets)
                guard response.status >= 500 || ["Throttling", "ThrottlingException", "RequestLimitExceeded", "IDPCommunicationError"].contains(error.code ?? "") else { throw error }
                retryable = error
            } catch let error as TransportError {
                guard error.kind != .permanent else { throw STSError(.transport, error.message) }
                retryable = STSError(.transport, error.message)
            } catch let error as STSError {
                throw error
            } catch {
                throw STSError(.transport, "\(error)")
            }
            guard attempt < attempts, !Task.isCancelled else { throw retryable }
            try? await Task.sleep(for: retryDelay * (1 << (attempt - 1)))
            attempt += 1
        }
    }
}
