import ArgumentParser
import BackupJobs
import Foundation

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
            do {
                if var asynchronous = command as? any AsyncParsableCommand {
                    try await asynchronous.run()
                } else {
                    try command.run()
                }
            } catch let error as ValidationError {
                // Thrown by a subcommand's run(): ArgumentParser would show the top-level usage.
                Terminal.error(usageError(error.message, for: type(of: command)))
                exit(ExitStatus.invalidInput.rawValue)
            }
        } catch let error as ListingInputError {
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

extension Main {
    /// `Error: MESSAGE`, then the usage of the subcommand that was run, as ArgumentParser shows
    /// its own errors.
    static func usageError(_ message: String, for command: any ParsableCommand.Type) -> String {
        let names = ["backup-audit"] + path(to: command, in: BackupAudit.self).map { $0._commandName }
        return "Error: \(message)\n"
            + "Usage: \(BackupAudit.usageString(for: command).replacingOccurrences(of: "\n", with: "\n       "))\n"
            + "  See '\(names.joined(separator: " ")) --help' for more information."
    }

    /// The subcommands leading from `root` to `command` (`jobs`, `summary`).
    static func path(to command: any ParsableCommand.Type, in root: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
        for subcommand in root.configuration.subcommands {
            if ObjectIdentifier(subcommand) == ObjectIdentifier(command) { return [subcommand] }
            let below = path(to: command, in: subcommand)
            if !below.isEmpty { return [subcommand] + below }
        }
        return []
    }
}

enum BackupAuditVersion {
    static let current = "0.1.0"
}
