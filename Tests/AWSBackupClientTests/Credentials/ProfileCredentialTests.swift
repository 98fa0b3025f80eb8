import BackupJobs
import Testing

@testable import AWSBackupClient

/// Profile selection and resolution over the shared files, with STS answered by `FakeSTS` (the
/// moto suite makes the same calls against a real server).
@Suite struct ProfileCredentialTests {
    let home: TemporaryHome
    let sts = FakeSTS()
    let clock = ManualCredentialClock()

    init() throws {
        home = try TemporaryHome()
    }

    func environment(_ variables: [String: String] = [:]) -> ProviderEnvironment {
        makeCredentialEnvironment(baseCredentialVariables(["AWS_REGION": "eu-west-1"]).merging(variables) { _, new in new }, home: home, clock: clock.function, transport: sts.transport)
    }

    func lookup(_ profile: String, explicit: Bool = true, _ variables: [String: String] = [:]) async throws(CredentialError) -> CredentialLookup {
        try await ProfileCredentialProvider(profile: profile, explicit: explicit, environment: environment(variables)).lookup()
    }

    func credentials(_ profile: String, _ variables: [String: String] = [:]) async throws(CredentialError) -> Credentials? {
        try await lookup(profile, explicit: true, variables).credentials
    }

    // MARK: Selecting the profile

    @Test(arguments: [
        ("flag", ["AWS_PROFILE": "env"], "flag"),
        (nil, ["AWS_PROFILE": "env"], "env"),
        (nil, [:], "default"),
        ("", ["AWS_PROFILE": ""], "default"),
    ] as [(String?, [String: String], String)])
    func profileName(_ flag: String?, _ variables: [String: String], _ expected: String) {
        #expect(SharedConfiguration.profileName(explicit: flag, environment: environment(variables)) == expected)
    }

    @Test func staticKeysFromTheCredentialsFile() async throws {
        try home.credentials("""
            [default]
            aws_access_key_id = AKIDDEFAULT
            aws_secret_access_key = secret-default
            [prod]
            aws_access_key_id = AKIDPROD
            aws_secret_access_key = secret-prod
            aws_session_token = token-prod
            """)
        #expect(try await credentials("default") == Credentials(accessKeyID: "AKIDDEFAULT", secretAccessKey: "secret-default"))
        #expect(try await credentials("prod") == Credentials(accessKeyID: "AKIDPROD", secretAccessKey: "secret-prod", sessionToken: "token-prod"))
        #expect(sts.calls.isEmpty)
    }

    @Test func staticKeysFromTheConfigFile() async throws {
        try home.config("""
            [default]
            aws_access_key_id = AKIDCONFIGDEFAULT
            aws_secret_access_key = s1
            [profile prod]
            aws_access_key_id = AKIDCONFIGPROD
            aws_secret_access_key = s2
            aws_security_token = legacy-token
            [prod]
            aws_access_key_id = NOT-A-PROFILE-IN-THE-CONFIG-FILE
            aws_secret_access_key = s3
            """)
        #expect(try await credentials("default")?.accessKeyID == "AKIDCONFIGDEFAULT")
        #expect(try await credentials("prod") == Credentials(accessKeyID: "AKIDCONFIGPROD", secretAccessKey: "s2", sessionToken: "legacy-token"))
    }

    @Test func theCredentialsFileWinsOverTheConfigFile() async throws {
        try home.credentials("""
            [prod]
            aws_access_key_id = AKIDFROMCREDENTIALS
            aws_secret_access_key = from-credentials
            """)
        try home.config("""
            [profile prod]
            aws_access_key_id = AKIDFROMCONFIG
            aws_secret_access_key = from-config
            region = ap-southeast-2
            credential_process = /bin/false
            """)
        #expect(try await credentials("prod") == Credentials(accessKeyID: "AKIDFROMCREDENTIALS", secretAccessKey: "from-credentials"))
        let configuration = try SharedConfiguration.load(environment: environment())
        #expect(configuration.region(profile: "prod") == "ap-southeast-2")
        #expect(configuration.profile("prod")?["aws_access_key_id"] == "AKIDFROMCREDENTIALS")
    }

    @Test func overriddenFilePathsAndTildeExpansion() async throws {
        try home.write("custom/creds.ini", "[default]\naws_access_key_id = AKIDCUSTOM\naws_secret_access_key = s\n")
        try home.write("custom/config.ini", "[default]\nregion = sa-east-1\n")
        try home.credentials("[default]\naws_access_key_id = AKIDIGNORED\naws_secret_access_key = s\n")
        let variables = ["AWS_SHARED_CREDENTIALS_FILE": "~/custom/creds.ini", "AWS_CONFIG_FILE": home.path + "/custom/config.ini"]
        #expect(try await credentials("default", variables)?.accessKeyID == "AKIDCUSTOM")
        let configuration = try SharedConfiguration.load(environment: environment(variables))
        #expect(configuration.credentialsFile == home.path + "/custom/creds.ini")
        #expect(configuration.region() == "sa-east-1")
    }

    @Test func regionLookups() async throws {
        try home.config("""
            [default]
            region = us-west-1
            [profile eu]
            region = eu-north-1
            """)
        let withoutRegionVariables = makeCredentialEnvironment(baseCredentialVariables(), home: home, transport: sts.transport)
        #expect(SharedConfiguration.region(explicit: nil, profile: nil, environment: withoutRegionVariables) == "us-west-1")
        #expect(SharedConfiguration.region(explicit: nil, profile: "eu", environment: withoutRegionVariables) == "eu-north-1")
        #expect(SharedConfiguration.region(explicit: "ca-central-1", profile: "eu", environment: withoutRegionVariables) == "ca-central-1")
        let withAWSProfile = makeCredentialEnvironment(baseCredentialVariables(["AWS_PROFILE": "eu"]), home: home, transport: sts.transport)
        #expect(try SharedConfiguration.load(environment: withAWSProfile).region() == "eu-north-1")
        let withDefaultRegion = makeCredentialEnvironment(baseCredentialVariables(["AWS_DEFAULT_REGION": "af-south-1"]), home: home, transport: sts.transport)
        #expect(SharedConfiguration.region(explicit: nil, profile: "eu", environment: withDefaultRegion) == "af-south-1")
        #expect(SharedConfiguration.region(explicit: nil, profile: "eu", environment: environment()) == "eu-west-1")
    }

    // MARK: Missing and empty profiles

    @Test func aMissingExplicitProfileIsAnErrorNamingItAndTheFiles() async throws {
        try home.credentials("[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n[staging]\naws_access_key_id = AKID2\naws_secret_access_key = s\n")
        let error = await credentialError { _ = try await lookup("prod") }
        let message = error?.message ?? ""
        #expect(message.contains("\"prod\" does not exist"))
        #expect(message.contains(home.path + "/.aws/credentials"))
        #expect(message.contains(home.path + "/.aws/config (not found)"))
        #expect(message.contains("default, staging"))
    }

    @Test func aMissingDefaultProfileIsNothingHere() async throws {
        guard case .notFound(let reason) = try await lookup("default", explicit: false) else {
            Issue.record("expected no credentials")
            return
        }
        #expect(reason.contains("no profile \"default\""))
    }

    @Test func anExplicitProfileWithoutCredentialsIsAnError() async throws {
        try home.config("[profile empty]\nregion = eu-west-1\n")
        let error = await credentialError { _ = try await lookup("empty") }
        #expect(error?.message.contains("has no credentials") == true)
        guard case .notFound = try await lookup("empty", explicit: false) else {
            Issue.record("the default profile without credentials is not an error")
            return
        }
    }

    @Test(arguments: [
        ("[p]\naws_access_key_id = AKID\n", "sets aws_access_key_id but not aws_secret_access_key"),
        ("[p]\naws_secret_access_key = wJalrSECRET\n", "sets aws_secret_access_key but not aws_access_key_id"),
    ])
    func partialKeysAreAnError(_ file: String, _ message: String) async throws {
        try home.credentials(file)
        let error = await credentialError { _ = try await lookup("p") }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        expectNoSecrets(error?.description ?? "", ["wJalrSECRET"])
    }

    @Test(arguments: [
        ("[profile sso]\nsso_session = corp\nsso_account_id = 1\n", "IAM Identity Center"),
        ("[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n", "MFA"),
    ])
    func unsupportedProfilesSaySo(_ config: String, _ message: String) async throws {
        try home.config(config + "\n[profile base]\naws_access_key_id = AKID\naws_secret_access_key = s\n")
        let name = config.contains("sso") ? "sso" : "mfa"
        let error = await credentialError { _ = try await lookup(name) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    // MARK: AssumeRole

    @Test func roleWithASourceProfile() async throws {
        try home.credentials("[base]\naws_access_key_id = \(exampleAccessKey)\naws_secret_access_key = \(exampleSecret)\n")
        try home.config("""
            [profile audit]
            role_arn = arn:aws:iam::123456789012:role/audit
            source_profile = base
            external_id = ext-4711
            role_session_name = audit-run
            duration_seconds = 900
            """)
        let credentials = try #require(try await credentials("audit"))
        #expect(credentials.accessKeyID == "ASIAFAKE1AUDIT")
        #expect(credentials.sessionToken == "token-1-audit")
        #expect(credentials.expiration == Timestamp(iso8601: "2026-11-28T13:00:00Z"))
        let call = try #require(sts.calls.first)
        #expect(call.url == "https://sts.eu-west-1.amazonaws.com/")
        #expect(call.formParameters == [
            "Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": "arn:aws:iam::123456789012:role/audit",
            "RoleSessionName": "audit-run", "ExternalId": "ext-4711", "DurationSeconds": "900",
        ])
        #expect(call.signingAccessKey == exampleAccessKey)
        #expect(call.recordedHeader("Authorization")?.contains("/eu-west-1/sts/aws4_request") == true)
        #expect(call.recordedHeader("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8")
    }

    @Test func defaultSessionNameAndDuration() async throws {
        try home.config("""
            [profile audit]
            role_arn = arn:aws:iam::123456789012:role/audit
            source_profile = base
            [profile base]
            aws_access_key_id = AKIDBASE
            aws_secret_access_key = s
            """)
        _ = try await credentials("audit")
        let form = try #require(sts.calls.first).formParameters
        #expect(form["RoleSessionName"] == "backup-audit-\(clock.now.millisecondsSinceEpoch / 1000)")
        #expect(form["DurationSeconds"] == "3600")
        #expect(form["ExternalId"] == nil)
    }

    @Test func chainsOfSourceProfiles() async throws {
        try home.config("""
            [profile top]
            role_arn = arn:aws:iam::123456789012:role/top
            source_profile = middle
            [profile middle]
            role_arn = arn:aws:iam::123456789012:role/middle
            source_profile = bottom
            [profile bottom]
            aws_access_key_id = AKIDBOTTOM
            aws_secret_access_key = s
            """)
        let credentials = try await credentials("top")
        #expect(credentials?.accessKeyID == "ASIAFAKE2TOP")
        // The middle role is assumed with the bottom keys, the top role with the middle role's.
        #expect(sts.calls.map { $0.formParameters["RoleArn"] ?? "" } == ["arn:aws:iam::123456789012:role/middle", "arn:aws:iam::123456789012:role/top"])
        #expect(sts.calls.map { $0.signingAccessKey ?? "" } == ["AKIDBOTTOM", "ASIAFAKE1MIDDLE"])
        #expect(sts.calls[1].recordedHeader("X-Amz-Security-Token") == "token-1-middle")
    }

    @Test func aSourceProfileWithKeysAndARoleUsesItsKeys() async throws {
        // botocore: a source profile with static keys provides them, even if it also has a role.
        try home.config("""
            [profile top]
            role_arn = arn:aws:iam::123456789012:role/top
            source_profile = both
            [profile both]
            role_arn = arn:aws:iam::123456789012:role/ignored
            source_profile = nowhere
            aws_access_key_id = AKIDBOTH
            aws_secret_access_key = s
            """)
        _ = try await credentials("top")
        #expect(sts.calls.map { $0.signingAccessKey ?? "" } == ["AKIDBOTH"])
    }

    @Test func aProfileMayNameItselfAsSourceForItsOwnKeys() async throws {
        try home.config("""
            [profile self]
            role_arn = arn:aws:iam::123456789012:role/self
            source_profile = self
            aws_access_key_id = AKIDSELF
            aws_secret_access_key = s
            """)
        #expect(try await credentials("self")?.accessKeyID == "ASIAFAKE1SELF")
        #expect(sts.calls.map { $0.signingAccessKey ?? "" } == ["AKIDSELF"])
    }

    @Test(arguments: [
        ("""
        [profile a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = b
        [profile b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = a
        """, "\"a\" → \"b\" → \"a\""),
        ("""
        [profile a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = a
        """, "\"a\" → \"a\""),
        ("""
        [profile a]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = b
        [profile b]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = c
        [profile c]
        role_arn = arn:aws:iam::123456789012:role/c
        source_profile = b
        """, "\"a\" → \"b\" → \"c\" → \"b\""),
    ])
    func sourceProfileCyclesAreErrors(_ config: String, _ cycle: String) async throws {
        try home.config(config)
        let error = await credentialError { _ = try await lookup("a") }
        #expect(error?.message.contains("cycle: \(cycle)") == true, "\(String(describing: error))")
        #expect(sts.calls.isEmpty)
    }

    @Test(arguments: [
        ("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = ghost\n", "source_profile \"ghost\" of profile \"r\" does not exist"),
        ("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\n", "neither source_profile nor credential_source"),
        ("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b\ncredential_source = Environment\n[profile b]\naws_access_key_id = A\naws_secret_access_key = s\n", "both source_profile and credential_source"),
        ("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Laptop\n", "not one of Environment, Ec2InstanceMetadata, EcsContainer"),
        ("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = empty\n[profile empty]\nregion = x\n", "source_profile \"empty\" of profile \"r\" has no credentials"),
        ("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b\nduration_seconds = an hour\n[profile b]\naws_access_key_id = A\naws_secret_access_key = s\n", "duration_seconds"),
        ("[profile r]\nweb_identity_token_file = /tmp/token\n", "web_identity_token_file but no role_arn"),
    ])
    func roleConfigurationErrors(_ config: String, _ message: String) async throws {
        try home.config(config)
        let error = await credentialError { _ = try await lookup("r") }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.provider == "profile r")
    }

    @Test func credentialSourceEnvironment() async throws {
        try home.config("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = environment\n")
        let variables = ["AWS_ACCESS_KEY_ID": "AKIDFROMENV", "AWS_SECRET_ACCESS_KEY": "s"]
        #expect(try await credentials("r", variables)?.accessKeyID == "ASIAFAKE1R")
        #expect(sts.calls.first?.signingAccessKey == "AKIDFROMENV")
        let error = await credentialError { _ = try await lookup("r") }
        #expect(error?.message.contains("credential_source environment of profile \"r\" has no credentials") == true, "\(String(describing: error))")
    }

    @Test func credentialSourceEc2InstanceMetadataThatIsDisabled() async throws {
        try home.config("[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\ncredential_source = Ec2InstanceMetadata\n")
        let error = await credentialError { _ = try await lookup("r") }
        #expect(error?.message.contains("disabled by AWS_EC2_METADATA_DISABLED") == true, "\(String(describing: error))")
    }

    @Test func stsAccessDeniedSaysWhichRoleAndWho() async throws {
        let denying = FakeSTS(failWith: (403, "AccessDenied", "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/audit"))
        try home.credentials("[base]\naws_access_key_id = \(exampleAccessKey)\naws_secret_access_key = \(exampleSecret)\n")
        try home.config("[profile audit]\nrole_arn = arn:aws:iam::123456789012:role/audit\nsource_profile = base\n")
        let environment = makeCredentialEnvironment(baseCredentialVariables(["AWS_REGION": "eu-west-1"]), home: home, transport: denying.transport)
        let error = await credentialError { _ = try await ProfileCredentialProvider(profile: "audit", explicit: true, environment: environment).lookup() }
        let message = error?.description ?? ""
        #expect(message.contains("source_profile \"base\" (access key AKIA…MPLE) is not allowed to assume role arn:aws:iam::123456789012:role/audit"), "\(message)")
        #expect(message.contains("AccessDenied (HTTP 403): User: arn:aws:iam::123456789012:user/ci is not authorized"))
        #expect(message.contains("request id req-1"))
        #expect(denying.calls.count == 1, "AccessDenied is not retried")
        expectNoSecrets(message, [exampleSecret, exampleAccessKey])
    }

    @Test func webIdentityFromAProfile() async throws {
        let tokenFile = try home.write("token.jwt", "eyJ.profile.token\n")
        try home.config("""
            [profile wi]
            web_identity_token_file = \(tokenFile)
            role_arn = arn:aws:iam::123456789012:role/wi
            role_session_name = from-profile
            """)
        #expect(try await credentials("wi")?.accessKeyID == "ASIAFAKE1WI")
        let call = try #require(sts.calls.first)
        #expect(call.formParameters["Action"] == "AssumeRoleWithWebIdentity")
        #expect(call.formParameters["WebIdentityToken"] == "eyJ.profile.token")
        #expect(call.formParameters["RoleSessionName"] == "from-profile")
        #expect(call.recordedHeader("Authorization") == nil, "AssumeRoleWithWebIdentity is unsigned")
    }

    @Test func credentialProcessFromAProfile() async throws {
        let script = try home.write("bin/creds.sh", """
            echo '{"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "process-secret"}'
            """)
        try home.config("[profile proc]\ncredential_process = sh \(script) --some-arg\n")
        #expect(try await credentials("proc") == Credentials(accessKeyID: "AKIDPROCESS", secretAccessKey: "process-secret"))
    }
}
