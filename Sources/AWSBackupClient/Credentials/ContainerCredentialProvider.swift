import BackupJobs
import Foundation

/// Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity):
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (a path on `http://169.254.170.2`) or
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with the `Authorization` header from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on every fetch) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`. As botocore does, a full URI must be https, or http to a
/// loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23.
///
/// Once either variable is set the provider is configured: failures are errors, not "nothing here".
public struct ContainerCredentialProvider: ExplainingCredentialProvider {
    public let name = "container credentials"
    public var environment: ProviderEnvironment
    public var timeout: Duration = .seconds(2)
    public var attempts = 2
    public var retryDelay: Duration = .milliseconds(500)

    public static let ecsHost = "169.254.170.2"
    /// Hosts plain http may be used with, besides loopback addresses.
    public static let allowedHTTPHosts = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"]

    public init(environment: ProviderEnvironment) {
        self.environment = environment
    }

    public func lookup() async throws(CredentialError) -> CredentialLookup {
        let url: String
        let shown: String
        if let relative = environment.variable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = "http://\(Self.ecsHost)" + (relative.hasPrefix("/") ? relative : "/" + relative)
            shown = url
        } else if let full = environment.variable("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            shown = try Self.validateFullURI(full, provider: name).display
            url = full
        } else {
            return .notFound("neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
        }
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        let token = try authorizationToken()
        if let token { headers.append(("Authorization", token)) }

        let response: HTTPResponse
        do {
            response = try await HTTPAttempts.send(HTTPRequest(method: "GET", url: url, headers: headers), with: environment.transport, timeout: timeout, attempts: attempts, delay: retryDelay)
        } catch {
            throw CredentialError(provider: name, "no answer from the container credentials endpoint \(shown): \(error.message)")
        }
        guard response.status == 200 else {
            let excerpt = TextLimits.scrub(TextLimits.excerpt(String(decoding: response.body, as: UTF8.self), limit: 200), secrets: [token])
            throw CredentialError(provider: name, "the container credentials endpoint \(shown) answered HTTP \(response.status)" + (excerpt.isEmpty ? "" : ": \(excerpt)"))
        }
        guard let json = JSONValue.parse(response.body) else {
            throw CredentialError(provider: name, "the container credentials endpoint \(shown) did not answer with JSON")
        }
        return .found(try CredentialJSON.credentials(from: json, tokenKey: "Token", requireToken: false, provider: name, source: "the answer of \(shown)"))
    }

    /// The `Authorization` value: the token file wins over the variable. CR and LF are refused
    /// (they would split the header); the file's surrounding whitespace is dropped.
    func authorizationToken() throws(CredentialError) -> String? {
        var token: String?
        if let path = environment.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            switch LocalFiles.read(path) {
            case .missing: throw CredentialError(provider: name, "the authorization token file \(path) (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) does not exist")
            case .unreadable(let reason): throw CredentialError(provider: name, "the authorization token file \(path) \(reason)")
            case .text(let text): token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        } else if let value = environment.variable("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            token = value
        }
        if let token, token.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw CredentialError(provider: name, "the container authorization token contains a line break, which is not allowed in an HTTP header")
        }
        return token
    }

    /// https anywhere; http only to loopback and the container endpoints (botocore's rule), so
    /// credentials are never fetched in the clear from an arbitrary host.
    @discardableResult
    static func validateFullURI(_ text: String, provider: String) throws(CredentialError) -> EndpointURL {
        guard let url = EndpointURL(text) else {
            throw CredentialError(provider: provider, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not an http or https URL")
        }
        if url.scheme == "https" || url.isLoopback || allowedHTTPHosts.contains(url.host) { return url }
        throw CredentialError(
            provider: provider,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI may use plain http only with a loopback address or one of 169.254.170.2, 169.254.170.23, [fd00:ec2::23]; host \(url.host) is none of them (use https)")
    }
}
