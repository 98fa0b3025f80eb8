import BackupJobs

/// Static keys from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (or the
/// older `AWS_SECURITY_TOKEN`), with an optional `AWS_CREDENTIAL_EXPIRATION`, as botocore reads
/// them. Empty variables count as unset. One key without the other is an error naming the
/// missing variable.
public struct EnvironmentCredentialProvider: ExplainingCredentialProvider {
    public let name = "environment"
    public var environment: ProviderEnvironment

    public init(environment: ProviderEnvironment) {
        self.environment = environment
    }

    public func lookup() async throws(CredentialError) -> CredentialLookup {
        try resolve()
    }

    /// The synchronous work: nothing here waits.
    func resolve() throws(CredentialError) -> CredentialLookup {
        let accessKey = environment.variable("AWS_ACCESS_KEY_ID")
        let secret = environment.variable("AWS_SECRET_ACCESS_KEY")
        switch (accessKey, secret) {
        case (nil, nil):
            return .notFound("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        case (_?, nil):
            throw CredentialError(provider: name, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or neither")
        case (nil, _?):
            throw CredentialError(provider: name, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or neither")
        case (let accessKey?, let secret?):
            // Every SDK reads AWS_SESSION_TOKEN; botocore also reads the older AWS_SECURITY_TOKEN.
            let token = environment.variable("AWS_SESSION_TOKEN") ?? environment.variable("AWS_SECURITY_TOKEN")
            var expiration: Timestamp?
            if let text = environment.variable("AWS_CREDENTIAL_EXPIRATION") {
                guard let parsed = Timestamp(iso8601: text) else {
                    throw CredentialError(provider: name, "AWS_CREDENTIAL_EXPIRATION \"\(TextLimits.excerpt(text, limit: 40))\" is not an ISO 8601 time such as 2026-11-28T12:00:00Z")
                }
                expiration = parsed
            }
            return .found(Credentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token, expiration: expiration))
        }
    }
}
