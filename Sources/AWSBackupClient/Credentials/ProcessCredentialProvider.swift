import BackupJobs
import Dispatch
import Foundation

/// A profile's `credential_process`: runs the command with `/bin/sh -c` (in the provider
/// environment's variables) and reads the JSON it prints:
///
/// ```json
/// {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "2026-11-28T13:00:00Z"}
/// ```
///
/// A non-zero exit is an error quoting the command's standard error (one line, cut short); what
/// it printed on standard output is never quoted, as it may hold keys.
public struct ProcessCredentialProvider: ExplainingCredentialProvider {
    public let name: String
    public var command: String
    public var environment: ProviderEnvironment
    /// How much of the command's standard error an error message quotes.
    public static let stderrLimit = 500

    public init(name: String = "credential_process", command: String, environment: ProviderEnvironment) {
        self.name = name
        self.command = command
        self.environment = environment
    }

    public func lookup() async throws(CredentialError) -> CredentialLookup {
        let program = Self.programName(command)
        let result: ProcessResult
        do {
            result = try await ProcessRunner.run(shellCommand: command, environment: environment.variables)
        } catch {
            throw CredentialError(provider: name, "could not run credential_process \(program): \(error.message)")
        }
        let json = JSONValue.parse(result.stdout)
        if result.status != 0 {
            // Scrub anything secret the command may also have printed on standard output.
            let secrets = [json?["SecretAccessKey"]?.string, json?["SessionToken"]?.string, json?["AccessKeyId"]?.string]
            let stderr = TextLimits.scrub(TextLimits.excerpt(String(decoding: result.stderr, as: UTF8.self), limit: Self.stderrLimit), secrets: secrets)
            let how = result.signaled ? "was killed by signal \(result.status)" : "exited with status \(result.status)"
            throw CredentialError(provider: name, "credential_process \(program) \(how)" + (stderr.isEmpty ? " and printed nothing on standard error" : ": \(stderr)"))
        }
        guard let json else {
            throw CredentialError(provider: name, "credential_process \(program) did not print a JSON object (\(result.stdout.isEmpty ? "its output was empty" : "its output is not valid JSON"))")
        }
        guard case .object = json else {
            throw CredentialError(provider: name, "credential_process \(program) printed \(json.kindDescription), not a JSON object")
        }
        switch json["Version"] {
        case .number(1)?:
            break
        case nil:
            throw CredentialError(provider: name, "credential_process \(program) printed no Version: it must print \"Version\": 1")
        case .number(let version)?:
            throw CredentialError(provider: name, "credential_process \(program) printed Version \(version.shortDescription), but only version 1 is supported")
        case let other?:
            throw CredentialError(provider: name, "credential_process \(program): Version should be the number 1, found \(other.kindDescription)")
        }
        let credentials = try CredentialJSON.credentials(from: json, tokenKey: "SessionToken", requireToken: false, provider: name, source: "the output of credential_process \(program)")
        if let expiration = credentials.expiration, expiration <= environment.now() {
            throw CredentialError(provider: name, "credential_process \(program) returned credentials that expired at \(expiration)")
        }
        return .found(credentials)
    }

    /// The program, for messages: `/usr/local/bin/get-creds` of `/usr/local/bin/get-creds --role x`.
    /// Arguments are left out: they may hold secrets.
    static func programName(_ command: String) -> String {
        let first = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? command
        return TextLimits.excerpt(first, limit: 120)
    }
}

extension Double {
    /// `2`, `1.5`.
    fileprivate var shortDescription: String {
        self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
    }
}

struct ProcessResult: Sendable {
    var status: Int32
    var signaled: Bool
    var stdout: [UInt8]
    var stderr: [UInt8]
}

struct ProcessLaunchError: Error {
    var message: String
}

enum ProcessRunner {
    /// Runs `/bin/sh -c command` to completion off the cooperative pool, reading both pipes
    /// while it runs (so a chatty command cannot block on a full pipe).
    static func run(shellCommand: String, environment: [String: String]) async throws(ProcessLaunchError) -> ProcessResult {
        let outcome: Result<ProcessResult, ProcessLaunchError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: runBlocking(shellCommand: shellCommand, environment: environment))
            }
        }
        return try outcome.get()
    }

    private final class Buffer: @unchecked Sendable {
        // Written by one thread before `group.leave()`, read after `group.wait()`.
        var bytes: [UInt8] = []
    }

    private static func runBlocking(shellCommand: String, environment: [String: String]) -> Result<ProcessResult, ProcessLaunchError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shellCommand]
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            return .failure(ProcessLaunchError(message: "\(error.localizedDescription)"))
        }
        let errorBuffer = Buffer()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorBuffer.bytes = Array(stderr.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let output = Array(stdout.fileHandleForReading.readDataToEndOfFile())
        group.wait()
        process.waitUntilExit()
        try? stdout.fileHandleForReading.close()
        try? stderr.fileHandleForReading.close()
        return .success(ProcessResult(
            status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
            stdout: output, stderr: errorBuffer.bytes))
    }
}
