import BackupJobs
import Foundation

/// Where a web identity configuration came from.
public struct WebIdentityConfiguration: Sendable, Equatable {
    public var tokenFile: String
    public var roleARN: String
    public var roleSessionName: String?
    public var durationSeconds: Int?

    public init(tokenFile: String, roleARN: String, roleSessionName: String? = nil, durationSeconds: Int? = nil) {
        self.tokenFile = tokenFile
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.durationSeconds = durationSeconds
    }
}

/// STS `AssumeRoleWithWebIdentity` with a token read from a file (EKS IRSA, GitHub Actions OIDC
/// written to a file): from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
/// `AWS_ROLE_SESSION_NAME`, or from a profile's `web_identity_token_file`, `role_arn` and
/// `role_session_name`. The token file is read on every fetch: tokens are rotated in place.
public struct WebIdentityCredentialProvider: ExplainingCredentialProvider {
    public let name: String
    public var environment: ProviderEnvironment
    /// nil: read the environment variables at lookup time.
    public var configuration: WebIdentityConfiguration?
    /// The STS region; nil: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else
    /// the global endpoint.
    public var region: String?

    /// From `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`.
    public init(environment: ProviderEnvironment, region: String? = nil) {
        self.name = "web identity"
        self.environment = environment
        self.configuration = nil
        self.region = region
    }

    /// From explicit settings (a profile's).
    public init(name: String, configuration: WebIdentityConfiguration, environment: ProviderEnvironment, region: String? = nil) {
        self.name = name
        self.environment = environment
        self.configuration = configuration
        self.region = region
    }

    public func lookup() async throws(CredentialError) -> CredentialLookup {
        let configuration: WebIdentityConfiguration
        if let configured = self.configuration {
            configuration = configured
        } else {
            guard let tokenFile = environment.variable("AWS_WEB_IDENTITY_TOKEN_FILE") else {
                return .notFound("AWS_WEB_IDENTITY_TOKEN_FILE is not set")
            }
            guard let roleARN = environment.variable("AWS_ROLE_ARN") else {
                throw CredentialError(provider: name, "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: set the ARN of the role to assume with the token")
            }
            configuration = WebIdentityConfiguration(tokenFile: tokenFile, roleARN: roleARN, roleSessionName: environment.variable("AWS_ROLE_SESSION_NAME"))
        }
        let sts = STSClient(region: region ?? SharedConfiguration.region(explicit: nil, profile: nil, environment: environment), environment: environment)
        return .found(try await Self.assume(configuration, provider: name, environment: environment, sts: sts))
    }

    static func assume(_ configuration: WebIdentityConfiguration, provider: String, environment: ProviderEnvironment, sts: STSClient) async throws(CredentialError) -> Credentials {
        let path = environment.expandingTilde(configuration.tokenFile)
        let token: String
        switch LocalFiles.read(path) {
        case .missing:
            throw CredentialError(provider: provider, "the web identity token file \(path) does not exist")
        case .unreadable(let reason):
            throw CredentialError(provider: provider, "the web identity token file \(path) \(reason)")
        case .text(let text):
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !token.isEmpty else { throw CredentialError(provider: provider, "the web identity token file \(path) is empty") }
        let sessionName = configuration.roleSessionName ?? SessionNames.generated(now: environment.now())
        let request = AssumeRoleWithWebIdentityRequest(roleARN: configuration.roleARN, roleSessionName: sessionName, webIdentityToken: token, durationSeconds: configuration.durationSeconds)
        do {
            return try await sts.assumeRoleWithWebIdentity(request).credentials
        } catch {
            throw CredentialError(provider: provider, STSMessages.webIdentity(error, roleARN: configuration.roleARN, tokenFile: path, endpoint: sts.endpointForMessages))
        }
    }
}

enum SessionNames {
    /// `backup-audit-1764331200`, as botocore's `botocore-session-<epoch>`.
    static func generated(now: Timestamp) -> String {
        "backup-audit-\(now.millisecondsSinceEpoch / 1000)"
    }
}

/// Messages for failed STS calls that say which role could not be assumed, by whom.
enum STSMessages {
    static func assumeRole(_ error: STSError, roleARN: String, source: String, credentials: Credentials, endpoint: String) -> String {
        let who = "\(source) (access key \(Redaction.accessKey(credentials.accessKeyID)))"
        switch error.code {
        case "AccessDenied"?:
            return "\(who) is not allowed to assume role \(roleARN): \(error). Check the role's trust policy and that the source identity may call sts:AssumeRole on it."
        case "ExpiredToken"?, "InvalidClientTokenId"?, "SignatureDoesNotMatch"?, "UnrecognizedClientException"?:
            return "could not assume role \(roleARN) with \(who): its credentials were rejected: \(error)"
        case .some:
            return "could not assume role \(roleARN) with \(who): \(error)"
        case nil:
            return "could not assume role \(roleARN) with \(who) at \(endpoint): \(error)"
        }
    }

    static func webIdentity(_ error: STSError, roleARN: String, tokenFile: String, endpoint: String) -> String {
        switch error.code {
        case "AccessDenied"?:
            return "the web identity token in \(tokenFile) is not allowed to assume role \(roleARN): \(error). Check the role's trust policy (its OIDC provider, audience and subject conditions)."
        case "InvalidIdentityToken"?, "ExpiredTokenException"?:
            return "STS rejected the web identity token in \(tokenFile) for role \(roleARN): \(error)"
        case .some:
            return "could not assume role \(roleARN) with the web identity token in \(tokenFile): \(error)"
        case nil:
            return "could not assume role \(roleARN) with the web identity token in \(tokenFile) at \(endpoint): \(error)"
        }
    }
}
