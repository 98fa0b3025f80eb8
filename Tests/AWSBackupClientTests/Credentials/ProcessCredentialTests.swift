import BackupJobs
import Testing

@testable import AWSBackupClient

/// `credential_process`: scripts written by the tests, run through `/bin/sh -c`.
@Suite struct ProcessCredentialTests {
    let home: TemporaryHome
    let clock = ManualCredentialClock(Timestamp(iso8601: "2026-11-28T12:00:00Z")!)

    init() throws {
        home = try TemporaryHome()
    }

    func run(_ command: String, _ variables: [String: String] = [:]) async throws(CredentialError) -> Credentials? {
        let environment = makeCredentialEnvironment(baseCredentialVariables(variables), home: home, clock: clock.function, transport: StubCredentialTransport.unused())
        return try await ProcessCredentialProvider(name: "profile p", command: command, environment: environment).credentials()
    }

    /// `sh /path/to/script`: the script is read by the shell rather than executed, as a file
    /// another test's fork may still hold open for writing cannot be (ETXTBSY).
    func script(_ name: String, _ body: String) throws -> String {
        "sh " + (try home.write("bin/\(name)", body + "\n"))
    }

    @Test func success() async throws {
        let path = try script("ok.sh", """
            cat <<'EOF'
            {"Version": 1, "AccessKeyId": "ASIAPROCESS", "SecretAccessKey": "process-secret", "SessionToken": "process-token", "Expiration": "2026-11-28T13:00:00Z"}
            EOF
            """)
        let credentials = try await run(path)
        #expect(credentials == Credentials(accessKeyID: "ASIAPROCESS", secretAccessKey: "process-secret", sessionToken: "process-token", expiration: Timestamp(iso8601: "2026-11-28T13:00:00Z")))
    }

    @Test func theCommandRunsThroughTheShellWithArgumentsAndTheProviderEnvironment() async throws {
        let path = try home.write("dir with space/tool.sh", """
            printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' "$1" "$ROLE_FROM_ENV"
            """)
        let credentials = try await run("sh \"\(path)\" AKIDARG && true", ["ROLE_FROM_ENV": "secret-from-env"])
        #expect(credentials == Credentials(accessKeyID: "AKIDARG", secretAccessKey: "secret-from-env"))
    }

    @Test func nonZeroExitQuotesStandardErrorButNeverStandardOutput() async throws {
        let path = try script("fail.sh", """
            echo '{"Version": 1, "AccessKeyId": "ASIALEAK", "SecretAccessKey": "stdout-secret-value"}'
            echo "error: the SSO session has expired; run aws sso login" >&2
            echo "debug: secret was stdout-secret-value" >&2
            exit 3
            """)
        let error = await credentialError { _ = try await run(path + " --token hunter2-argument") }
        let message = error?.description ?? ""
        #expect(message.contains("credential_process sh exited with status 3"), "\(message)")
        #expect(message.contains("error: the SSO session has expired; run aws sso login"))
        expectNoSecrets(message, ["stdout-secret-value", "hunter2-argument"])
        #expect(message.contains("REDACTED"))
    }

    @Test func longStandardErrorIsCut() async throws {
        let path = try script("noisy.sh", "i=0; while [ $i -lt 200 ]; do printf 'noise %s ' $i >&2; i=$((i+1)); done; exit 1")
        let error = await credentialError { _ = try await run(path) }
        let message = error?.message ?? ""
        #expect(message.hasSuffix("…"))
        #expect(message.count < ProcessCredentialProvider.stderrLimit + 200)
        #expect(!message.contains("noise 199"))
    }

    @Test func aFailingCommandWithoutStandardError() async throws {
        let error = await credentialError { _ = try await run("exit 7") }
        #expect(error?.message == "credential_process exit exited with status 7 and printed nothing on standard error")
    }

    @Test func aMissingProgram() async throws {
        let error = await credentialError { _ = try await run(home.path + "/bin/does-not-exist --flag") }
        #expect(error?.message.contains("exited with status 127") == true, "\(String(describing: error))")
        #expect(error?.message.contains("not found") == true)
    }

    @Test(arguments: [
        ("echo 'this is not json, but AKIDSECRETOUTPUT'", "its output is not valid JSON"),
        ("true", "its output was empty"),
        ("echo '[1, 2]'", "printed an array, not a JSON object"),
        ("echo '{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"AKIDSECRETOUTPUT\"}'", "printed no Version"),
        ("echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"AKIDSECRETOUTPUT\"}'", "printed Version 2, but only version 1 is supported"),
        ("echo '{\"Version\": \"1\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"AKIDSECRETOUTPUT\"}'", "Version should be the number 1, found a string"),
        ("echo '{\"Version\": 1, \"SecretAccessKey\": \"AKIDSECRETOUTPUT\"}'", "has no AccessKeyId"),
        ("echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'", "has no SecretAccessKey"),
        ("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": 12}'", "SecretAccessKey should be a string, found a number"),
        ("echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"AKIDSECRETOUTPUT\", \"Expiration\": \"soon\"}'", "Expiration \"soon\" is not an ISO 8601 time"),
    ])
    func badOutput(_ command: String, _ message: String) async throws {
        let error = await credentialError { _ = try await run(command) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        expectNoSecrets(error?.description ?? "", ["AKIDSECRETOUTPUT"])
    }

    @Test func expiredCredentialsAreAnError() async throws {
        let path = try script("expired.sh", """
            echo '{"Version": 1, "AccessKeyId": "ASIAOLD", "SecretAccessKey": "old-secret", "SessionToken": "old-token", "Expiration": "2026-11-28T11:59:59Z"}'
            """)
        let error = await credentialError { _ = try await run(path) }
        #expect(error?.message.contains("returned credentials that expired at 2026-11-28T11:59:59.000Z") == true, "\(String(describing: error))")
        expectNoSecrets(error?.description ?? "", ["old-secret", "old-token"])
    }

    @Test func aLargeOutputDoesNotBlockThePipes() async throws {
        // 200 KB on standard error before the JSON: both pipes must be drained while the command runs.
        let path = try script("large.sh", """
            head -c 200000 /dev/zero | tr '\\0' 'x' >&2
            echo '{"Version": 1, "AccessKeyId": "AKIDLARGE", "SecretAccessKey": "s"}'
            """)
        #expect(try await run(path)?.accessKeyID == "AKIDLARGE")
    }
}
