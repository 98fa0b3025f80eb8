import Foundation
import TestSupport
import Testing

/// Runs the built `backup-audit` binary the way a user does, from the package root.
enum CLI {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary SwiftPM built next to this test bundle.
    static let executable: URL = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("backup-audit")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/backup-audit")
    }()

    /// What a run did: its exit status and both outputs.
    struct Result {
        /// The exit status, or 128 + the signal's number when a signal ended the process (as a
        /// shell says it), so a crash never reads as a status the program chose.
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs the tool from the package root, as a user would there (ProcessRunner).
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        let result = try ProcessRunner.run(executable.path, arguments, in: packageRoot, environment: environment, stdin: stdin)
        return Result(status: result.status, output: result.output, error: result.error)
    }
}

/// Golden files: compared exactly, rewritten only when `UPDATE_GOLDENS=1`.
enum Golden {
    static let directory = CLI.packageRoot.appendingPathComponent("Tests/BackupAuditCLITests/Goldens")

    static func check(_ actual: String, against name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            try Data(actual.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "differs from Goldens/\(name); rerun with UPDATE_GOLDENS=1 if the change is intended", sourceLocation: sourceLocation)
    }
}
