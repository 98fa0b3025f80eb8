import BackupServiceEmulator
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reports of a run are all-or-nothing: every destination is checked before any work, and the
/// files are put in place together after evaluation, or none is.
struct ReportPlanTests {
    static let gate = ReportTargetTests.gate

    /// A check whose jobs do not exist: had anything been read, the error would be about them.
    static let gateWithoutJobs = ["check", "--rules", "rules/", "--jobs", "/nonexistent/jobs.json", "--now", CheckCommandTests.now]

    static func leftovers(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".partial") }
    }

    @Test func theSameFileTwiceIsRefusedBeforeAnyWork() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let report = directory.appendingPathComponent("r.json").path
        let link = directory.appendingPathComponent("link.json").path
        #expect(symlink("r.json", link) == 0)
        let spellings = [
            ["--report", "json=\(report)", "--report", "csv=\(report)"],
            ["--report", "json=\(report)", "--report", "csv=\(directory.path)/./sub/../r.json"],
            ["--report", "json=\(report)", "--report", "csv=\(link)"],
        ]
        for reports in spellings {
            let result = try CLI.run(Self.gateWithoutJobs + reports)
            #expect(result.status == 2, "\(reports)")
            #expect(result.error.contains("the json report is written there too"), "\(result.error)")
            #expect(result.error.contains("nothing was evaluated"))
            #expect(!result.error.contains("/nonexistent"), "the jobs were read first: \(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: report))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("sub").path), "no directory is created for a refused run")
    }

    @Test func aRelativeAndAnAbsoluteSpellingAreOneFile() throws {
        // The tool runs in the package root.
        let result = try CLI.run(Self.gateWithoutJobs + ["--report", "json=out/r.json", "--report", "csv=\(CLI.packageRoot.path)/out/r.json"])
        #expect(result.status == 2)
        #expect(result.error.contains("the json report is written there too"), "\(result.error)")
    }

    @Test func twoReportsToADeviceAreFine() throws {
        let result = try CLI.run(Self.gate + ["--report", "json=/dev/null", "--report", "csv=/dev/null"])
        #expect(result.status == 0, "\(result.error)")
    }

    @Test func unwritableDestinationsAreRefusedBeforeAnyWork() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let plain = directory.appendingPathComponent("plain")
        try Data().write(to: plain)
        let tooLong = directory.appendingPathComponent(String(repeating: "n", count: 300) + ".json").path
        let cases: [(path: String, reason: String)] = [
            (directory.path, "Is a directory"),
            ("\(plain.path)/sub/r.json", "Not a directory"),
            ("\(plain.path)/r.json", "Not a directory"),
            (tooLong, "File name too long"),
        ]
        for (path, reason) in cases {
            let result = try CLI.run(Self.gateWithoutJobs + ["--report", "junit=\(directory.path)/ok.xml", "--report", "json=\(path)"])
            #expect(result.status == 2, "\(path)")
            #expect(result.error.contains("cannot write the json report: \(path): \(reason); nothing was evaluated"), "\(result.error)")
            #expect(!result.error.contains("/nonexistent"), "the jobs were read first: \(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("ok.xml").path))
    }

    /// Root may write anywhere, so as root the tool runs as nobody (setpriv), to meet a folder it
    /// cannot write.
    static var unprivileged: (executable: String, prefix: [String])? {
        if geteuid() != 0 { return (CLI.executable.path, []) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return nil }
        return ("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.executable.path])
    }

    @Test(.enabled(if: unprivileged != nil))
    func aFolderThatCannotBeWrittenIsRefusedBeforeAnyWork() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        #expect(chmod(directory.path, 0o755) == 0)
        let locked = directory.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        #expect(chmod(locked.path, 0o555) == 0)
        let (executable, prefix) = try #require(Self.unprivileged)
        let result = try ProcessRunner.run(executable, prefix + Self.gateWithoutJobs + ["--report", "json=\(locked.path)/sub/r.json"], in: CLI.packageRoot)
        let message = result.error
        #expect(result.status == 2, "\(message)")
        #expect(message.contains("cannot write the json report: \(locked.path)/sub/r.json: Permission denied; nothing was evaluated"), "\(message)")
    }

    @Test func aLongNameThatFitsIsWritten() throws {
        // The temporary file beside it must fit too: `.NAME.PID.partial` would not.
        let directory = try CheckCommandTests.temporaryDirectory()
        let path = directory.appendingPathComponent(String(repeating: "n", count: 250) + ".json").path
        let result = try CLI.run(Self.gate + ["--report", "json=\(path)"])
        #expect(result.status == 0, "\(result.error)")
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    @Test func aReportThatFailsAfterEvaluationLeavesEveryFileAsItWas() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let json = directory.appendingPathComponent("r.json").path
        let csv = directory.appendingPathComponent("new/r.csv").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: json))
        // /dev/full accepts the open and fails the write: after evaluation, after the temporary
        // files were written.
        let result = try CLI.run(Self.gate + ["--report", "json=\(json)", "--report", "junit=/dev/full", "--report", "csv=\(csv)"])
        #expect(result.status == 2)
        #expect(result.error.contains("the rules were evaluated, but the reports were not written: cannot write the junit report: /dev/full: No space left on device; no report file was changed"), "\(result.error)")
        #expect(!result.error.contains("nothing was evaluated"))
        #expect(try String(contentsOfFile: json, encoding: .utf8) == "old")
        #expect(!FileManager.default.fileExists(atPath: csv))
        #expect(try Self.leftovers(in: directory).isEmpty)
        #expect(try Self.leftovers(in: directory.appendingPathComponent("new")).isEmpty)
        #expect(ReportTargetTests.isCharacterDevice("/dev/full"))
    }

    @Test func everyReportIsWrittenWhenAllCanBe() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let paths = ["json": "a/r.json", "junit": "b/r.xml", "csv": "r.csv", "sarif": "r.sarif"].mapValues { directory.appendingPathComponent($0).path }
        let result = try CLI.run(Self.gate + paths.flatMap { ["--report", "\($0.key)=\($0.value)"] } + ["--report", "markdown=/dev/null"])
        #expect(result.status == 0, "\(result.error)")
        for path in paths.values { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        #expect(try Self.leftovers(in: directory).isEmpty)
    }

    @Test func aFetchWhoseListingCannotBeSavedSendsNoRequest() async throws {
        let setup = try await FetchCommandTests.start()
        defer { Task { await setup.stop() } }
        let fetch = try CLI.run(["fetch", "--out", setup.directory.path] + setup.endpoint, environment: setup.environment)
        #expect(fetch.status == 2)
        #expect(fetch.error.contains("cannot write the listing: \(setup.directory.path): Is a directory; nothing was fetched"), "\(fetch.error)")

        let saved = setup.path("jobs.json")
        let check = try CLI.run(
            ["check", "--rules", "rules/", "--fetch", "--save-jobs", saved, "--report", "json=\(saved)"] + setup.endpoint,
            environment: setup.environment)
        #expect(check.status == 2)
        #expect(check.error.contains("cannot write the saved listing: \(saved): the json report is written there too"), "\(check.error)")
        #expect(setup.emulator.statistics.requests == 0)
    }

    @Test func testReportsAreCheckedBeforeAnyTestRuns() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let result = try CLI.run(["test", "rules/", "--report", "junit=\(directory.path)"])
        #expect(result.status == 2)
        #expect(result.error.contains("cannot write the JUnit report: \(directory.path): Is a directory; no test was run"), "\(result.error)")
        #expect(result.output.isEmpty, "tests ran: \(result.output)")
    }

    @Test func aJUnitReportUnderProcNamesThePathAskedFor() throws {
        let result = try CLI.run(["test", "rules/", "--report", "junit=/proc/x.xml"])
        #expect(result.status == 2)
        #expect(result.error.contains("/proc/x.xml: "), "\(result.error)")
        #expect(!result.error.contains(".partial"), "the temporary file is named: \(result.error)")
    }
}
