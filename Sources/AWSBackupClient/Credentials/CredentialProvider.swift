public import BackupJobs

/// Where credentials come from: the environment, a profile, STS, a container or instance
/// endpoint. Providers that hand out temporary credentials return them with their expiry;
/// `RefreshingCredentials` fetches new ones before they run out.
public protocol CredentialProvider: Sendable {
    /// A name for messages: "environment", "profile prod (role_arn)", "EC2 instance metadata".
    var name: String { get }
    /// The credentials, or `nil` when this provider has none to offer (the chain moves on); a
    /// thrown error means it should have had some and failed (the chain stops: fail closed).
    func credentials() async throws(CredentialError) -> Credentials?
}

public struct CredentialError: Error, Sendable, CustomStringConvertible {
    /// The provider that failed.
    public var provider: String
    public var message: String

    public init(provider: String, _ message: String) {
        self.provider = provider
        self.message = message
    }

    public var description: String { "\(provider): \(message)" }
}

/// The environment a provider reads: variables, files, the clock. Tests pass their own.
public struct ProviderEnvironment: Sendable {
    public var variables: [String: String]
    /// The user's home directory, for `~/.aws/credentials` and `~/.aws/config`.
    public var home: String?
    public var now: @Sendable () -> Timestamp
    /// Sends HTTP requests (STS, container and instance endpoints).
    public var transport: any HTTPTransport

    public init(variables: [String: String], home: String?, now: @escaping @Sendable () -> Timestamp, transport: any HTTPTransport) {
        self.variables = variables
        self.home = home
        self.now = now
        self.transport = transport
    }
}
