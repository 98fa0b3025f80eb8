import BackupJobs
import Foundation

/// A profile of the shared files, resolved as botocore resolves it:
///
/// 1. `role_arn` (without `web_identity_token_file`): STS `AssumeRole`, signed with the
///    credentials of `source_profile` (itself resolved the same way, through chains of source
///    profiles, with cycles reported) or of `credential_source` (`Environment`,
///    `Ec2InstanceMetadata`, `EcsContainer`), passing `external_id`, `role_session_name` and
///    `duration_seconds` (default 3600);
/// 2. `web_identity_token_file` with `role_arn`: STS `AssumeRoleWithWebIdentity`;
/// 3. static keys in the credentials file;
/// 4. `credential_process`;
/// 5. static keys in the config file.
///
/// Profiles set up only for IAM Identity Center (`sso_session`, `sso_start_url`) or MFA
/// (`mfa_serial`) are reported as unsupported rather than skipped.
///
/// The files are read at every lookup. A profile that was named explicitly (`explicit`) must
/// exist and must yield credentials; the default one may be absent.
public struct ProfileCredentialProvider: ExplainingCredentialProvider {
    public let name: String
    public var profileName: String
    public var isExplicit: Bool
    public var environment: ProviderEnvironment
    /// The STS region; nil: `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    public var region: String?

    public static let defaultDurationSeconds = 3600
    public static let credentialSources = ["Environment", "Ec2InstanceMetadata", "EcsContainer"]

    public init(profile: String, explicit: Bool, environment: ProviderEnvironment, region: String? = nil) {
        self.name = "profile \(profile)"
        self.profileName = profile
        self.isExplicit = explicit
        self.environment = environment
        self.region = region
    }

    public func lookup() async throws(CredentialError) -> CredentialLookup {
        let configuration: SharedConfiguration
        do {
            configuration = try SharedConfiguration.load(environment: environment)
        } catch {
            throw CredentialError(provider: name, error.message)
        }
        guard let profile = configuration.profile(profileName) else {
            let message = "the profile \"\(profileName)\" does not exist in \(configuration.filesDescription)"
            if isExplicit { throw CredentialError(provider: name, message + Self.knownProfiles(configuration)) }
            return .notFound("no profile \"\(profileName)\" in \(configuration.filesDescription)")
        }
        let stsRegion = region ?? SharedConfiguration.region(explicit: nil, profile: profileName, environment: environment, configuration: configuration)
        let resolver = ProfileResolver(configuration: configuration, environment: environment, sts: STSClient(region: stsRegion, environment: environment), provider: name)
        if let credentials = try await resolver.credentials(for: profile, visited: [profile.name]) {
            return .found(credentials)
        }
        let message = "the profile \"\(profileName)\" has no credentials in \(configuration.filesDescription): it sets none of aws_access_key_id and aws_secret_access_key, role_arn, web_identity_token_file or credential_process"
        if isExplicit { throw CredentialError(provider: name, message) }
        return .notFound(message)
    }

    static func knownProfiles(_ configuration: SharedConfiguration) -> String {
        let names = configuration.profiles.keys.sorted()
        guard !names.isEmpty else { return "" }
        let shown = names.prefix(20).joined(separator: ", ")
        return " (profiles there: \(shown)\(names.count > 20 ? ", …" : ""))"
    }
}

extension SharedConfiguration {
    /// The region to use: `explicit` (a `--region` flag), else `AWS_REGION`, else
    /// `AWS_DEFAULT_REGION`, else the profile's `region` (`profile` nil: `AWS_PROFILE`, else
    /// `default`). Files that cannot be read give no region here; credential lookups report them.
    public static func region(explicit: String?, profile: String?, environment: ProviderEnvironment) -> String? {
        region(explicit: explicit, profile: profile, environment: environment, configuration: nil)
    }

    static func region(explicit: String?, profile: String?, environment: ProviderEnvironment, configuration: SharedConfiguration?) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if let region = environment.variable("AWS_REGION") ?? environment.variable("AWS_DEFAULT_REGION") { return region }
        guard let configuration = configuration ?? (try? SharedConfiguration.load(environment: environment)) else { return nil }
        return configuration.region(profile: profile)
    }
}

/// The resolution of one profile lookup: the files as read once, the STS client, the profiles
/// visited through `source_profile`.
struct ProfileResolver: Sendable {
    var configuration: SharedConfiguration
    var environment: ProviderEnvironment
    var sts: STSClient
    /// The top-level provider's name, for errors.
    var provider: String

    typealias Profile = SharedConfiguration.Profile

    /// The profile's credentials, nil when it configures none.
    func credentials(for profile: Profile, visited: [String]) async throws(CredentialError) -> Credentials? {
        if profile.has("role_arn"), !profile.has("web_identity_token_file") {
            return try await assumeRole(profile, visited: visited)
        }
        return try await ownCredentials(profile)
    }

    /// Everything but `role_arn` with a source: what botocore's profile providers (web identity,
    /// credentials file, credential_process, config file) find, in that order.
    func ownCredentials(_ profile: Profile) async throws(CredentialError) -> Credentials? {
        if let tokenFile = profile["web_identity_token_file"] {
            guard let roleARN = profile["role_arn"] else {
                throw CredentialError(provider: provider, "the profile \"\(profile.name)\" sets web_identity_token_file but no role_arn")
            }
            let configuration = WebIdentityConfiguration(tokenFile: tokenFile, roleARN: roleARN, roleSessionName: profile["role_session_name"], durationSeconds: try durationSeconds(profile, default: nil))
            return try await WebIdentityCredentialProvider.assume(configuration, provider: provider, environment: environment, sts: sts)
        }
        if let credentials = try staticCredentials(profile.credentialsFileValues, profile: profile.name, file: configuration.credentialsFile) {
            return credentials
        }
        if let command = profile["credential_process"] {
            let process = ProcessCredentialProvider(name: provider, command: command, environment: environment)
            return try await process.lookup().credentials
        }
        if let credentials = try staticCredentials(profile.configFileValues, profile: profile.name, file: configuration.configFile) {
            return credentials
        }
        if profile.has("sso_session") || profile.has("sso_start_url") {
            throw CredentialError(
                provider: provider,
                "the profile \"\(profile.name)\" uses IAM Identity Center (SSO), which backup-audit does not sign in with; add `credential_process = aws configure export-credentials --profile \(profile.name) --format process` to another profile and use that one")
        }
        return nil
    }

    func staticCredentials(_ values: [String: String], profile: String, file: String?) throws(CredentialError) -> Credentials? {
        let accessKey = values["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = values["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        let place = "the profile \"\(profile)\" in \(file ?? "the shared files")"
        switch (accessKey, secret) {
        case (nil, nil): return nil
        case (_?, nil): throw CredentialError(provider: provider, "\(place) sets aws_access_key_id but not aws_secret_access_key")
        case (nil, _?): throw CredentialError(provider: provider, "\(place) sets aws_secret_access_key but not aws_access_key_id")
        case (let accessKey?, let secret?):
            let token = [values["aws_session_token"], values["aws_security_token"]].compactMap { $0 }.first { !$0.isEmpty }
            return Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token)
        }
    }

    func hasStaticKeys(_ profile: Profile) -> Bool {
        profile.has("aws_access_key_id") || profile.has("aws_secret_access_key")
    }

    func durationSeconds(_ profile: Profile, default fallback: Int?) throws(CredentialError) -> Int? {
        guard let text = profile["duration_seconds"] else { return fallback }
        guard let seconds = Int(text), seconds > 0 else {
            throw CredentialError(provider: provider, "the profile \"\(profile.name)\" has duration_seconds \"\(TextLimits.excerpt(text, limit: 40))\", which is not a whole number of seconds")
        }
        return seconds
    }

    // MARK: AssumeRole

    func assumeRole(_ profile: Profile, visited: [String]) async throws(CredentialError) -> Credentials {
        let roleARN = profile["role_arn"] ?? ""
        let sourceProfile = profile["source_profile"]
        let credentialSource = profile["credential_source"]
        if profile.has("mfa_serial") {
            throw CredentialError(provider: provider, "the profile \"\(profile.name)\" requires MFA (mfa_serial), which backup-audit cannot prompt for; use credentials that do not need a code, or a credential_process that supplies session credentials")
        }
        let (sourceCredentials, sourceDescription): (Credentials, String)
        switch (sourceProfile, credentialSource) {
        case (_?, _?):
            throw CredentialError(provider: provider, "the profile \"\(profile.name)\" sets both source_profile and credential_source; keep one")
        case (nil, nil):
            throw CredentialError(provider: provider, "the profile \"\(profile.name)\" sets role_arn but neither source_profile nor credential_source, so there are no credentials to assume the role with")
        case (nil, let source?):
            sourceCredentials = try await credentials(fromSource: source, profile: profile.name)
            sourceDescription = "credential_source \(source) of profile \"\(profile.name)\""
        case (let sourceName?, nil):
            sourceCredentials = try await credentials(fromSourceProfile: sourceName, of: profile, visited: visited)
            sourceDescription = "source_profile \"\(sourceName)\""
        }
        let request = AssumeRoleRequest(
            roleARN: roleARN,
            roleSessionName: profile["role_session_name"] ?? SessionNames.generated(now: environment.now()),
            externalID: profile["external_id"],
            durationSeconds: try durationSeconds(profile, default: ProfileCredentialProvider.defaultDurationSeconds))
        do {
            return try await sts.assumeRole(request, using: sourceCredentials).credentials
        } catch {
            throw CredentialError(provider: provider, "profile \"\(profile.name)\": " + STSMessages.assumeRole(error, roleARN: roleARN, source: sourceDescription, credentials: sourceCredentials, endpoint: sts.endpointForMessages))
        }
    }

    func credentials(fromSourceProfile sourceName: String, of profile: Profile, visited: [String]) async throws(CredentialError) -> Credentials {
        guard let source = configuration.profile(sourceName) else {
            throw CredentialError(provider: provider, "the source_profile \"\(sourceName)\" of profile \"\(profile.name)\" does not exist in \(configuration.filesDescription)")
        }
        if visited.contains(sourceName) {
            // A profile may name itself to take its own static keys (botocore allows it).
            if sourceName == profile.name, hasStaticKeys(source) {
                let own = try staticCredentials(source.credentialsFileValues, profile: source.name, file: configuration.credentialsFile)
                if let own { return own }
                if let own = try staticCredentials(source.configFileValues, profile: source.name, file: configuration.configFile) { return own }
            }
            let cycle = (visited + [sourceName]).map { "\"\($0)\"" }.joined(separator: " → ")
            throw CredentialError(provider: provider, "the source_profile settings form a cycle: \(cycle); one of them must have credentials of its own")
        }
        // A source profile with keys of its own (or with no role to assume) provides them;
        // one with just a role assumes it in turn.
        if hasStaticKeys(source) || !source.has("role_arn") || source.has("web_identity_token_file") {
            guard let credentials = try await ownCredentials(source) else {
                throw CredentialError(provider: provider, "the source_profile \"\(sourceName)\" of profile \"\(profile.name)\" has no credentials: it needs aws_access_key_id and aws_secret_access_key, credential_process, web_identity_token_file, or a role_arn with its own source")
            }
            return credentials
        }
        return try await assumeRole(source, visited: visited + [sourceName])
    }

    func credentials(fromSource source: String, profile: String) async throws(CredentialError) -> Credentials {
        let provider: any ExplainingCredentialProvider
        switch source.lowercased() {
        case "environment": provider = EnvironmentCredentialProvider(environment: environment)
        case "ec2instancemetadata": provider = InstanceMetadataCredentialProvider(environment: environment)
        case "ecscontainer": provider = ContainerCredentialProvider(environment: environment)
        default:
            throw CredentialError(provider: self.provider, "the credential_source \"\(TextLimits.excerpt(source, limit: 60))\" of profile \"\(profile)\" is not one of \(ProfileCredentialProvider.credentialSources.joined(separator: ", "))")
        }
        let lookup: CredentialLookup
        do {
            lookup = try await provider.lookup()
        } catch {
            throw CredentialError(provider: self.provider, "credential_source \(source) of profile \"\(profile)\": \(error)")
        }
        switch lookup {
        case .found(let credentials): return credentials
        case .notFound(let reason):
            throw CredentialError(provider: self.provider, "the credential_source \(source) of profile \"\(profile)\" has no credentials: \(reason)")
        }
    }
}
