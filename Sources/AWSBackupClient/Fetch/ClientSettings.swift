/// Where to send requests and how hard to try, resolved from flags, the environment and the
/// shared configuration files in the AWS CLI's order of precedence.
public struct ClientSettings: Sendable, Equatable {
    public var regions: [String]
    /// The profile named by `--profile` or `AWS_PROFILE`; nil for the default chain.
    public var profile: String?
    /// The endpoint every request goes to instead of the Region's own.
    public var endpointOverride: String?
    public var usesFIPS: Bool
    public var maxAttempts: Int

    public static let defaultMaxAttempts = 3

    /// - Parameters:
    ///   - regions: `--region` flags; empty: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    ///   - allRegions: `--all-regions`, which takes every commercial Region instead.
    public static func resolve(
        regions: [String], allRegions: Bool, profile: String?, endpoint: String?, maxAttempts: Int?,
        environment: ProviderEnvironment
    ) throws(FetchError) -> ClientSettings {
        let explicitProfile = profile.flatMap { $0.isEmpty ? nil : $0 } ?? environment.variable("AWS_PROFILE")
        // Read once, up front, as the AWS CLI does: a malformed file is an error even when the
        // environment alone would do.
        let shared: SharedConfiguration
        do {
            shared = try SharedConfiguration.load(environment: environment)
        } catch {
            throw .credentials(error)
        }
        if let explicitProfile, shared.profile(explicitProfile) == nil {
            throw .credentials(CredentialError(
                provider: "profile \(explicitProfile)",
                "the profile does not exist in \(shared.filesDescription)"))
        }
        var resolvedRegions = allRegions ? Endpoints.allRegions : regions
        if resolvedRegions.isEmpty {
            let region = environment.variable("AWS_REGION") ?? environment.variable("AWS_DEFAULT_REGION")
                ?? (shared.region(profile: explicitProfile))
            guard let region else {
                throw .invalidRequest("no AWS Region: pass \(param: .region), set AWS_REGION, or set region in the profile (aws configure)")
            }
            resolvedRegions = [region]
        }
        var attempts = maxAttempts
        if attempts == nil, let text = environment.variable("AWS_MAX_ATTEMPTS") {
            guard let value = Int(text), value >= 1 else { throw .invalidRequest("AWS_MAX_ATTEMPTS '\(text)' is not a positive number") }
            attempts = value
        }
        if attempts == nil, let text = shared.profile(explicitProfile ?? "default")?["max_attempts"] {
            guard let value = Int(text), value >= 1 else {
                throw .invalidRequest("max_attempts '\(text)' of profile \(explicitProfile ?? "default") is not a positive number")
            }
            attempts = value
        }
        let ignoresConfigured = environment.variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        let override = Endpoints.backupOverride(flag: endpoint, variables: environment.variables)
            ?? (ignoresConfigured ? nil : shared.profile(explicitProfile ?? "default")?["endpoint_url"])
        if let override, Endpoints.parse(override) == nil || !["http", "https"].contains(Endpoints.parse(override)!.scheme) {
            throw .invalidRequest("the endpoint '\(override)' is not an http:// or https:// URL")
        }
        return ClientSettings(
            regions: resolvedRegions, profile: explicitProfile, endpointOverride: override,
            usesFIPS: Endpoints.usesFIPS(variables: environment.variables), maxAttempts: attempts ?? defaultMaxAttempts)
    }

    public func endpoint(for region: String) -> String {
        Endpoints.backup(region: region, fips: usesFIPS, override: endpointOverride)
    }
}
