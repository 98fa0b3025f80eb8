import Foundation
import Testing

/// `backup-audit test`: the shipped pack passes its own tests (so a broken pack fails CI), and
/// failing, invalid and missing tests are reported as a test runner reports them.
struct TestCommandTests {
    /// A directory with the given files, removed afterwards.
    final class Workspace {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-test-\(UUID().uuidString)")

        init(_ files: [String: String]) throws {
            for (name, text) in files {
                let file = url.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: file)
            }
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    static let rules = """
        rule failed-jobs {
          title "No failed jobs"
          no job where State == FAILED
        }

        """

    @Test func theShippedPackPassesItsTests() throws {
        let result = try CLI.run(["test", "rules/", "--strict"])
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        #expect(result.output.hasSuffix(" passed, 0 failed\n"))
        let passed = Int(result.output.split(separator: "\n").last!.split(separator: " ")[0])!
        #expect(passed >= 30)
        #expect(result.error.isEmpty, "every rule has a passing and a failing test: \(result.error)")
    }

    @Test func aFailingTestShowsExpectedActualAndWhy() throws {
        let workspace = try Workspace(["pack.rules": Self.rules + """
            test "a completed job passes" {
              now 2026-11-28T12:00:00Z
              job { BackupJobId = "ok", State = COMPLETED }
              expect failed-jobs passes
            }

            test "wrong: a failed job is expected to pass" {
              now 2026-11-28T12:00:00Z
              job { BackupJobId = "bad", State = FAILED, StatusMessage = "Access denied" }
              expect failed-jobs passes
            }

            """])
        let junit = workspace.path("out/tests.xml")
        let result = try CLI.run(["test", workspace.path("pack.rules"), "--report", "junit=\(junit)"])
        #expect(result.status == 1)
        #expect(result.output.contains("  ✗ wrong: a failed job is expected to pass"))
        #expect(!result.output.contains("a completed job passes"), "passing tests are shown only with --verbose")
        #expect(result.output.contains("pack.rules:14: expect failed-jobs passes"))
        #expect(result.output.contains("but it failed: 1 of 1 job failed"))
        #expect(result.output.contains("\"bad\": "))
        #expect(result.output.hasSuffix("1 passed, 1 failed\n"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains(#"tests="2" failures="1" errors="0""#))
        #expect(xml.contains("pack.rules:14: expect failed-jobs passes but it failed: 1 of 1 job failed"))
        #expect(xml.contains(#"type="ExpectationNotMet""#))

        let verbose = try CLI.run(["test", workspace.path("pack.rules"), "--verbose", "--run", "completed"])
        #expect(verbose.status == 0)
        #expect(verbose.output.contains("  ✓ a completed job passes ("))
        #expect(verbose.output.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test(arguments: [
        ("expect faild-jobs fails", "there is no rule 'faild-jobs' to test", "did you mean 'failed-jobs'?"),
        ("job { Stat = FAILED }\n  expect failed-jobs fails", "unknown field 'Stat'", "did you mean 'State'?"),
        ("job { State = DONE }\n  expect failed-jobs fails", "'DONE' is not one of", ""),
        ("job { CreationDate = \"yesterday\" }\n  expect failed-jobs fails", "CreationDate holds a timestamp", ""),
        ("param window = 2d\n  expect failed-jobs fails", "the rules declare no parameter 'window'", ""),
        ("expect failed-jobs fails for \"arn:aws:ec2:eu-west-1:1:volume/v\"", "a job rule's subjects are BackupJobIds", ""),
        ("expect failed-jobs succeeds", "expected 'passes' or 'fails'", ""),
    ])
    func invalidTestsExitTwoWithDiagnostics(_ statements: String, _ message: String, _ note: String) throws {
        let workspace = try Workspace(["pack.rules": Self.rules + "test \"t\" {\n  now 2026-11-28T12:00:00Z\n  \(statements)\n}\n"])
        let result = try CLI.run(["test", workspace.path("pack.rules")])
        #expect(result.status == 2, "\(result.output)\n\(result.error)")
        #expect(result.error.contains(message), "\(result.error)")
        if !note.isEmpty { #expect(result.error.contains(note), "\(result.error)") }
        #expect(result.error.contains("nothing was run"))
        let lint = try CLI.run(["lint", workspace.path("pack.rules")])
        #expect(lint.status == 2, "lint reports test errors too")
    }

    @Test func fixturesAreReadRelativeToTheirFile() throws {
        let workspace = try Workspace([
            "pack/pack.rules": Self.rules + """
                test "jobs from a listing" {
                  now 2026-11-28T12:00:00Z
                  jobs "fixtures/failed.json"
                  job { BackupJobId = "inline", State = COMPLETED }
                  expect failed-jobs fails for "from-file"
                  expect failed-jobs passes for "inline"
                }

                """,
            "pack/fixtures/failed.json": #"{"BackupJobs": [{"BackupJobId": "from-file", "State": "FAILED"}]}"#,
        ])
        let result = try CLI.run(["test", workspace.path("pack")])
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        #expect(result.output.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test func aMissingFixtureExitsTwoNamingTheTest() throws {
        let workspace = try Workspace(["pack.rules": Self.rules + """
            test "needs a file" {
              now 2026-11-28T12:00:00Z
              jobs "missing.json"
              expect failed-jobs passes
            }

            """])
        let result = try CLI.run(["test", workspace.path("pack.rules")])
        #expect(result.status == 2)
        #expect(result.error.contains("test \"needs a file\""))
        #expect(result.error.contains("missing.json"))
    }

    @Test func aRuleSetWithoutTestsIsAnError() throws {
        let workspace = try Workspace(["pack.rules": Self.rules])
        let result = try CLI.run(["test", workspace.path("pack.rules")])
        #expect(result.status == 2)
        #expect(result.error.contains("a rule set without tests proves nothing"))
    }

    @Test func strictFailsForARuleWithoutBothOutcomes() throws {
        let workspace = try Workspace(["pack.rules": Self.rules + """
            test "only the happy path" {
              now 2026-11-28T12:00:00Z
              job { State = COMPLETED }
              expect failed-jobs passes
            }

            """])
        let lenient = try CLI.run(["test", workspace.path("pack.rules")])
        #expect(lenient.status == 0)
        #expect(lenient.error.contains("warning: rules not tested both ways: failed-jobs has no test expecting it to fail\n"), "\(lenient.error)")
        let strict = try CLI.run(["test", workspace.path("pack.rules"), "--strict"])
        #expect(strict.status == 1)
    }

    @Test func theLanguageReferenceTestsPass() throws {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let blocks = text.components(separatedBy: "```rules\n").dropFirst().map { $0.components(separatedBy: "```")[0] }.filter { $0.contains("test \"") }
        try #require(!blocks.isEmpty)
        for block in blocks {
            let workspace = try Workspace(["example.rules": block])
            let result = try CLI.run(["test", workspace.path("example.rules")])
            #expect(result.status == 0, "\(block)\n\(result.output)\(result.error)")
        }
    }
}
