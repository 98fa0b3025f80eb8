/// `~/.aws/credentials` and `~/.aws/config` (or `AWS_SHARED_CREDENTIALS_FILE` and
/// `AWS_CONFIG_FILE`), merged by profile as botocore merges them: a profile's settings from the
/// credentials file (`[NAME]`) win over those from the config file (`[profile NAME]`, or
/// `[default]`). A missing file is an empty one; a file that cannot be read or parsed is an error.
public struct SharedConfiguration: Sendable {
    public struct Profile: Sendable, Equatable {
        public var name: String
        /// The settings of `[NAME]` in the credentials file.
        public var credentialsFileValues: [String: String]
        /// The settings of `[profile NAME]` (or `[default]`) in the config file.
        public var configFileValues: [String: String]

        public init(name: String, credentialsFileValues: [String: String] = [:], configFileValues: [String: String] = [:]) {
            self.name = name
            self.credentialsFileValues = credentialsFileValues
            self.configFileValues = configFileValues
        }

        /// A setting (name in lower case), the credentials file's first.
        public subscript(key: String) -> String? {
            credentialsFileValues[key] ?? configFileValues[key]
        }

        func has(_ key: String) -> Bool { self[key] != nil }
    }

    /// The path read (after `~` expansion), nil when there is no home to find it in.
    public var credentialsFile: String?
    public var configFile: String?
    public var credentialsFileExists: Bool
    public var configFileExists: Bool
    public var profiles: [String: Profile]
    /// The profile used when none is named: `AWS_PROFILE`, else `default`.
    public var defaultProfileName: String

    public init(credentialsFile: String?, configFile: String?, credentialsFileExists: Bool, configFileExists: Bool, profiles: [String: Profile], defaultProfileName: String = "default") {
        self.credentialsFile = credentialsFile
        self.configFile = configFile
        self.credentialsFileExists = credentialsFileExists
        self.configFileExists = configFileExists
        self.profiles = profiles
        self.defaultProfileName = defaultProfileName
    }

    /// The profile to use: `explicit` (the `--profile` flag), else `AWS_PROFILE`, else `default`.
    public static func profileName(explicit: String?, environment: ProviderEnvironment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        return environment.variable("AWS_PROFILE") ?? "default"
    }

    /// Reads both files now. Errors name the file (and line), never a value.
    public static func load(environment: ProviderEnvironment) throws(CredentialError) -> SharedConfiguration {
        let credentialsPath = path(variable: "AWS_SHARED_CREDENTIALS_FILE", defaultName: "credentials", environment: environment)
        let configPath = path(variable: "AWS_CONFIG_FILE", defaultName: "config", environment: environment)
        let credentialsINI = try read(credentialsPath)
        let configINI = try read(configPath)

        var profiles: [String: Profile] = [:]
        if let configINI {
            // `[default]` first, then `[profile default]` on top of it, as the SDKs resolve the two.
            let ordered = configINI.sections.filter { $0.name == "default" } + configINI.sections.filter { $0.name != "default" }
            for section in ordered {
                guard let name = configProfileName(section.name) else { continue }
                profiles[name, default: Profile(name: name)].configFileValues.merge(section.values) { _, new in new }
            }
        }
        if let credentialsINI {
            for section in credentialsINI.sections {
                profiles[section.name, default: Profile(name: section.name)].credentialsFileValues.merge(section.values) { _, new in new }
            }
        }
        return SharedConfiguration(
            credentialsFile: credentialsPath, configFile: configPath,
            credentialsFileExists: credentialsINI != nil, configFileExists: configINI != nil,
            profiles: profiles, defaultProfileName: profileName(explicit: nil, environment: environment))
    }

    public func profile(_ name: String) -> Profile? {
        profiles[name]
    }

    /// The profile's `region` (`profile` nil: `AWS_PROFILE`, else `default`).
    public func region(profile: String? = nil) -> String? {
        guard let value = profiles[profile ?? defaultProfileName]?["region"], !value.isEmpty else { return nil }
        return value
    }

    /// `/home/me/.aws/credentials and /home/me/.aws/config (not found)`: for messages.
    public var filesDescription: String {
        func describe(_ path: String?, exists: Bool, fallback: String) -> String {
            guard let path else { return "\(fallback) (no home directory)" }
            return exists ? path : "\(path) (not found)"
        }
        return describe(credentialsFile, exists: credentialsFileExists, fallback: "~/.aws/credentials")
            + " and " + describe(configFile, exists: configFileExists, fallback: "~/.aws/config")
    }

    // MARK: Reading

    static func path(variable: String, defaultName: String, environment: ProviderEnvironment) -> String? {
        if let override = environment.variable(variable) { return environment.expandingTilde(override) }
        guard let home = environment.home, !home.isEmpty else { return nil }
        return (home.hasSuffix("/") ? home : home + "/") + ".aws/" + defaultName
    }

    static func read(_ path: String?) throws(CredentialError) -> INIFile? {
        guard let path else { return nil }
        switch LocalFiles.read(path) {
        case .missing:
            return nil
        case .unreadable(let reason):
            throw CredentialError(provider: "shared config", "\(path) \(reason)")
        case .text(let text):
            do {
                return try INIFile.parse(text)
            } catch {
                throw CredentialError(provider: "shared config", "\(path):\(error.line): \(error.message)")
            }
        }
    }

    /// `default` → `default`; `profile prod` → `prod`; `profile "my prod"` → `my prod`; anything
    /// else (`sso-session x`, `services y`, `prod`) is not a profile.
    static func configProfileName(_ section: String) -> String? {
        if section == "default" { return "default" }
        guard section.hasPrefix("profile"), let first = section.dropFirst("profile".count).first, first == " " || first == "\t" else { return nil }
        var name = INIFile.trimmed(section.dropFirst("profile".count))
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast())
        } else if name.contains(where: { $0 == " " || $0 == "\t" }) {
            return nil
        }
        return name.isEmpty ? nil : name
    }
}
