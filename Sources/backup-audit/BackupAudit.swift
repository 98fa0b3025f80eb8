import ArgumentParser
import BackupJobs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct BackupAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup-audit",
        abstract: "Check that AWS Backup jobs meet your compliance rules.",
        discussion: ExitStatus.help,
        version: BackupAuditVersion.current,
        subcommands: [Check.self, Eval.self, Query.self, Test.self, Fetch.self, Lint.self, Format.self, Jobs.self]
    )
}

/// The process entry point: runs the command and turns every outcome into a documented exit
/// status (ArgumentParser's own usage status, 64, becomes 2 like every other invalid input).
@main
enum Main {
    static func main() async {
        do {
            var command = try BackupAudit.parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let error as JobInputError {
            Terminal.error("backup-audit: " + error.description)
            exit(ExitStatus.invalidInput.rawValue)
        } catch {
            let code = BackupAudit.exitCode(for: error)
            let message = BackupAudit.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Terminal.output(message) }
                exit(0)
            }
            if !message.isEmpty { Terminal.error(message) }
            exit(code == .validationFailure ? ExitStatus.invalidInput.rawValue : code.rawValue)
        }
    }
}

enum BackupAuditVersion {
    static let current = "0.1.0"
}
