/// Providers tried in order: the first with credentials wins; a provider that fails stops the
/// chain with its error (fail closed: a broken profile is never skipped for the next source).
/// When none has credentials, the error lists every source tried and why it had nothing.
public struct CredentialChain: CredentialProvider {
    public let name: String
    public var providers: [any CredentialProvider]
    /// The last lines of the "nothing found" error: what the user can do.
    public var advice: String

    /// What anyone can do, in the SDKs' terms; a caller with its own way to pick a profile (a flag)
    /// passes advice that says so.
    public static let defaultAdvice = "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, configure a profile (aws configure) and select it with AWS_PROFILE, or run where a role is provided (an ECS task or EKS pod role, an EC2 instance profile)."

    public init(name: String = "credentials", providers: [any CredentialProvider], advice: String = CredentialChain.defaultAdvice) {
        self.name = name
        self.providers = providers
        self.advice = advice
    }

    /// The standard chain, in the AWS SDKs' order:
    ///
    /// - `profile` (the caller's choice) or `AWS_PROFILE` set: that profile alone, as the AWS CLI
    ///   uses it; it must exist and yield credentials;
    /// - otherwise: the environment (`AWS_ACCESS_KEY_ID`…), web identity from the environment
    ///   (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`), the `default` profile of the shared files,
    ///   the container endpoint, EC2 instance metadata.
    ///
    /// `region` is the STS region (nil: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`,
    /// else the global endpoint). Nothing is read until `credentials()` is called.
    public static func `default`(
        environment: ProviderEnvironment, profile: String? = nil, region: String? = nil, advice: String = CredentialChain.defaultAdvice
    ) -> CredentialChain {
        let explicit = profile.flatMap { $0.isEmpty ? nil : $0 } ?? environment.variable("AWS_PROFILE")
        if let explicit {
            return CredentialChain(
                name: "credentials",
                providers: [ProfileCredentialProvider(profile: explicit, explicit: true, environment: environment, region: region)])
        }
        return CredentialChain(providers: [
            EnvironmentCredentialProvider(environment: environment),
            WebIdentityCredentialProvider(environment: environment, region: region),
            ProfileCredentialProvider(profile: "default", explicit: false, environment: environment, region: region),
            ContainerCredentialProvider(environment: environment),
            InstanceMetadataCredentialProvider(environment: environment),
        ], advice: advice)
    }

    /// The first provider's credentials; never nil (no credentials at all is an error).
    public func credentials() async throws(CredentialError) -> Credentials? {
        try await resolve()
    }

    public func resolve() async throws(CredentialError) -> Credentials {
        var tried: [(String, String)] = []
        for provider in providers {
            if let explaining = provider as? any ExplainingCredentialProvider {
                switch try await explaining.lookup() {
                case .found(let credentials): return credentials
                case .notFound(let reason): tried.append((provider.name, reason))
                }
            } else if let credentials = try await provider.credentials() {
                return credentials
            } else {
                tried.append((provider.name, "no credentials"))
            }
        }
        var message = "no AWS credentials found. Tried, in order:"
        for (index, (source, reason)) in tried.enumerated() {
            message += "\n  \(index + 1). \(source): \(reason)"
        }
        if !advice.isEmpty { message += "\n" + advice }
        throw CredentialError(provider: name, message)
    }
}
