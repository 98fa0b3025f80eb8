import BackupJobs
import Testing

@testable import AWSBackupClient

@Suite struct EnvironmentCredentialTests {
    func lookup(_ variables: [String: String]) async throws(CredentialError) -> CredentialLookup {
        try await EnvironmentCredentialProvider(environment: makeCredentialEnvironment(variables, home: nil, transport: StubCredentialTransport.unused())).lookup()
    }

    @Test func staticKeys() async throws {
        let found = try await lookup(["AWS_ACCESS_KEY_ID": exampleAccessKey, "AWS_SECRET_ACCESS_KEY": exampleSecret])
        #expect(found.credentials == Credentials(accessKeyID: exampleAccessKey, secretAccessKey: exampleSecret))
    }

    struct TokenCase: Sendable, CustomTestStringConvertible {
        var variables: [String: String]
        var token: String?
        var testDescription: String { variables.keys.sorted().joined(separator: "+") }
    }

    @Test(arguments: [
        TokenCase(variables: ["AWS_SESSION_TOKEN": "session"], token: "session"),
        TokenCase(variables: ["AWS_SECURITY_TOKEN": "security"], token: "security"),
        TokenCase(variables: ["AWS_SESSION_TOKEN": "session", "AWS_SECURITY_TOKEN": "security"], token: "session"),
        TokenCase(variables: ["AWS_SESSION_TOKEN": ""], token: nil),
        TokenCase(variables: [:], token: nil),
    ])
    func sessionToken(_ testCase: TokenCase) async throws {
        let variables = testCase.variables.merging(["AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s"]) { a, _ in a }
        #expect(try await lookup(variables).credentials?.sessionToken == testCase.token)
    }

    @Test func expirationFromTheEnvironment() async throws {
        let variables = ["AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "t", "AWS_CREDENTIAL_EXPIRATION": "2026-11-28T13:00:00Z"]
        #expect(try await lookup(variables).credentials?.expiration == Timestamp(iso8601: "2026-11-28T13:00:00Z"))
        let error = await credentialError { _ = try await lookup(variables.merging(["AWS_CREDENTIAL_EXPIRATION": "tomorrow"]) { _, new in new }) }
        #expect(error?.message.contains("AWS_CREDENTIAL_EXPIRATION") == true)
    }

    @Test(arguments: [[:], ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""], ["AWS_SESSION_TOKEN": "t"]])
    func nothingSet(_ variables: [String: String]) async throws {
        guard case .notFound(let reason) = try await lookup(variables) else {
            Issue.record("expected no credentials")
            return
        }
        #expect(reason.contains("AWS_ACCESS_KEY_ID"))
    }

    @Test(arguments: [
        (["AWS_ACCESS_KEY_ID": exampleAccessKey], "AWS_SECRET_ACCESS_KEY"),
        (["AWS_ACCESS_KEY_ID": exampleAccessKey, "AWS_SECRET_ACCESS_KEY": ""], "AWS_SECRET_ACCESS_KEY"),
        (["AWS_SECRET_ACCESS_KEY": exampleSecret], "AWS_ACCESS_KEY_ID"),
    ])
    func oneKeyWithoutTheOtherIsAnError(_ variables: [String: String], _ missing: String) async throws {
        let error = await credentialError { _ = try await lookup(variables) }
        #expect(error?.message.contains("\(missing) is not") == true, "\(String(describing: error))")
        #expect(error?.provider == "environment")
        expectNoSecrets(error?.description ?? "", [exampleSecret])
    }

    @Test func descriptionNeverShowsTheSecret() async throws {
        let credentials = try await lookup(["AWS_ACCESS_KEY_ID": exampleAccessKey, "AWS_SECRET_ACCESS_KEY": exampleSecret, "AWS_SESSION_TOKEN": "very-secret-token"]).credentials
        let text = "\(String(describing: credentials))"
        expectNoSecrets(text, [exampleSecret, "very-secret-token", exampleAccessKey])
    }
}
