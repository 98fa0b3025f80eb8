import Foundation
import Testing

struct LintCommandTests {
    func write(_ text: String, named name: String = "rules.rules") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static let broken = """
        rule r {
          title "t"
          every job satisfies IamRoleARN contains "AWSBackup"
        }

        """

    @Test func theBenchmarkPackLintsClean() throws {
        let result = try CLI.run(["lint", "examples/benchmark/pack.rules"])
        #expect(result.status == 0)
        #expect(result.output == "0 errors, 0 warnings in 1 file\n")
    }

    @Test func errorsExitWithStatus2AndShowTheSourceLine() throws {
        let url = try write(Self.broken)
        let result = try CLI.run(["lint", url.path])
        #expect(result.status == 2)
        #expect(result.output == """
            \(url.path):3:23: error[type.unknown-field]: unknown field 'IamRoleARN'
              |
            3 |   every job satisfies IamRoleARN contains "AWSBackup"
              |                       ^^^^^^^^^^
              = note: did you mean 'IamRoleArn'?

            1 error, 0 warnings in 1 file

            """)
    }

    @Test func warningsPassUnlessStrict() throws {
        let url = try write("rule r {\n  every job satisfies Finished\n}\n")
        #expect(try CLI.run(["lint", url.path]).status == 0)
        #expect(try CLI.run(["lint", "--strict", url.path]).status == 2)
    }

    @Test func jsonAndGitHubFormats() throws {
        let url = try write(Self.broken)
        let json = try CLI.run(["lint", "--format", "json", url.path])
        #expect(json.status == 2)
        let document = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as! [String: Any]
        let first = (document["diagnostics"] as! [[String: Any]])[0]
        #expect(first["code"] as? String == "type.unknown-field")
        #expect((first["start"] as? [String: Int]) == ["line": 3, "column": 23])
        #expect((first["end"] as? [String: Int]) == ["line": 3, "column": 33])
        let github = try CLI.run(["lint", "--format", "github", url.path])
        #expect(github.output == "::error file=\(url.path),line=3,col=23,endLine=3,endColumn=33,title=backup-audit type.unknown-field::unknown field 'IamRoleARN'%0Anote: did you mean 'IamRoleArn'?\n")
    }

    @Test func aDirectoryIsOneRuleSet() throws {
        let first = try write("rule same {\n  title \"a\"\n  every job satisfies Finished\n}\n", named: "a.rules")
        try Data("rule same {\n  title \"b\"\n  every job satisfies InFlight\n}\n".utf8)
            .write(to: first.deletingLastPathComponent().appendingPathComponent("b.rules"))
        let result = try CLI.run(["lint", first.deletingLastPathComponent().path])
        #expect(result.status == 2)
        #expect(result.output.contains("error[rule.duplicate-id]: rule id 'same' is already used"))
        #expect(result.output.hasSuffix("1 error, 0 warnings in 2 files\n"))
    }

    @Test func parametersAreOverriddenAndChecked() throws {
        let url = try write("param rpo = 24h\nrule r {\n  title \"t\"\n  every job satisfies CreationDate within rpo\n}\n")
        #expect(try CLI.run(["lint", url.path, "--param", "rpo=48h"]).status == 0)
        let wrong = try CLI.run(["lint", url.path, "--param", "rpo=5%"])
        #expect(wrong.status == 2)
        #expect(wrong.output.contains("--param rpo:1:1: error[param.invalid-value]: parameter 'rpo' is a duration; '5%' is a percentage"))
        #expect(try CLI.run(["lint", url.path, "--param", "nonsense"]).status == 2)
        // The flag's wording is the command line's: the library says "parameter 'rpo'".
        let notLiteral = try CLI.run(["lint", url.path, "--param", "rpo=now"])
        #expect(notLiteral.status == 2)
        #expect(notLiteral.output.contains("--param rpo:1:1: error[param.invalid-value]: the value of parameter 'rpo' must be a literal"), "\(notLiteral.output)")
    }

    @Test func unreadableAndInvalidFiles() throws {
        let missing = try CLI.run(["lint", "no/such.rules"])
        #expect(missing.status == 2)
        #expect(missing.output.contains("no/such.rules: error[syntax.unreadable-file]: no such file or directory"))
        let url = try write("")
        try Data([0x72, 0x75, 0x6C, 0x65, 0x20, 0xFF, 0x0A]).write(to: url)
        let invalid = try CLI.run(["lint", url.path])
        #expect(invalid.status == 2)
        #expect(invalid.output.contains("error[syntax.invalid-utf8]: the file is not valid UTF-8 (line 1, column 6, byte 5)"))
    }

    @Test func readsStandardInput() throws {
        let result = try CLI.run(["lint", "-"], stdin: Data(Self.broken.utf8))
        #expect(result.status == 2)
        #expect(result.output.hasPrefix("<stdin>:3:23: error[type.unknown-field]"))
    }
}

struct FormatCommandTests {
    static let messy = "rule r{title \"t\"\nevery job satisfies Finished and   InFlight}\n"
    static let tidy = "rule r {\n  title \"t\"\n\n  every job satisfies Finished and InFlight\n}\n"

    func write(_ text: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fmt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("r.rules")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func rewritesInPlace() throws {
        let url = try write(Self.messy)
        let result = try CLI.run(["fmt", url.path])
        #expect(result.status == 0)
        #expect(try String(contentsOf: url, encoding: .utf8) == Self.tidy)
        #expect(try CLI.run(["fmt", "--check", url.path]).status == 0)
    }

    @Test func rewritesThroughALinkAndKeepsIt() throws {
        let url = try write(Self.messy)
        let link = url.deletingLastPathComponent().appendingPathComponent("link.rules")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "r.rules")
        let result = try CLI.run(["fmt", link.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "r.rules")
        #expect(try String(contentsOf: url, encoding: .utf8) == Self.tidy)
    }

    @Test func checkAndDiffChangeNothing() throws {
        let url = try write(Self.messy)
        let check = try CLI.run(["fmt", "--check", url.path])
        #expect(check.status == 1)
        #expect(check.output == "would reformat \(url.path)\n")
        let diff = try CLI.run(["fmt", "--diff", url.path])
        #expect(diff.status == 1, "a diff exits 1, as diff does")
        #expect(diff.output.contains("-rule r{title \"t\"\n-every job satisfies Finished and   InFlight}\n+rule r {\n+  title \"t\"\n+\n+  every job satisfies Finished and InFlight\n+}"))
        #expect(try String(contentsOf: url, encoding: .utf8) == Self.messy)
        let tidy = try write(Self.tidy)
        let none = try CLI.run(["fmt", "--diff", tidy.path])
        #expect(none.status == 0)
        #expect(none.output.isEmpty)
    }

    @Test func formatsStandardInputToStandardOutput() throws {
        let result = try CLI.run(["fmt", "-"], stdin: Data(Self.messy.utf8))
        #expect(result.status == 0)
        #expect(result.output == Self.tidy)
    }

    @Test func leavesFilesWithSyntaxErrorsAlone() throws {
        let url = try write("rule r {\n  every job satisfies (\n}\n")
        let result = try CLI.run(["fmt", url.path])
        #expect(result.status == 2)
        #expect(result.error.contains("error[syntax.unexpected-token]"))
        #expect(try String(contentsOf: url, encoding: .utf8) == "rule r {\n  every job satisfies (\n}\n")
    }
}
