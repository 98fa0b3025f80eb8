import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a report goes: a regular file is replaced whole; a device, a FIFO or standard output is
/// written where it is, and never replaced by a file; a link stays a link.
struct ReportTargetTests {
    static let gate = ["check", "--rules", "rules/", "--jobs", "examples/list-backup-jobs.json", "--now", CheckCommandTests.now, "--rule", "backup-role"]

    static func fileType(_ path: String, following: Bool = false) -> mode_t? {
        var info = stat()
        let found = following ? stat(path, &info) : lstat(path, &info)
        return found == 0 ? info.st_mode & S_IFMT : nil
    }

    static func isCharacterDevice(_ path: String) -> Bool { fileType(path) == S_IFCHR }

    @Test func devNullStaysADevice() throws {
        let result = try CLI.run(Self.gate + ["--report", "json=/dev/null", "--report", "junit=/dev/null"])
        #expect(result.status == 0, "\(result.error)")
        #expect(Self.isCharacterDevice("/dev/null"))
    }

    @Test func aFIFOIsWrittenInPlace() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let fifo = directory.appendingPathComponent("report.pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread {
            // Opening blocks until the writer opens its end, as a shell's `cat < pipe` would.
            if let handle = FileHandle(forReadingAtPath: fifo) { received = handle.readDataToEndOfFile() }
        }
        reader.start()
        let result = try CLI.run(Self.gate + ["--report", "json=\(fifo)"])
        // Had the writer replaced the FIFO instead of opening it, the reader would wait forever:
        // open the writing end once ourselves so that it sees the end of the stream.
        let unblock = open(fifo, O_WRONLY | O_NONBLOCK)
        if unblock >= 0 { close(unblock) }
        while !reader.isFinished { usleep(1000) }
        #expect(result.status == 0, "\(result.error)")
        #expect(Self.fileType(fifo) == S_IFIFO)
        let json = try JSONSerialization.jsonObject(with: received) as? [String: Any]
        #expect(json?["now"] as? String == "2026-11-28T12:00:00.000Z")
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let target = directory.appendingPathComponent("reports/latest.json").path
        try FileManager.default.createDirectory(atPath: directory.appendingPathComponent("reports").path, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        #expect(chmod(target, 0o600) == 0)
        let link = directory.appendingPathComponent("report.json").path
        #expect(symlink("reports/latest.json", link) == 0)
        let dangling = directory.appendingPathComponent("new.xml").path
        #expect(symlink("reports/created.xml", dangling) == 0)

        let result = try CLI.run(Self.gate + ["--report", "json=\(link)", "--report", "junit=\(dangling)"])
        #expect(result.status == 0, "\(result.error)")
        #expect(Self.fileType(link) == S_IFLNK)
        #expect(Self.fileType(dangling) == S_IFLNK)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\"now\""))
        #expect(try String(contentsOfFile: directory.appendingPathComponent("reports/created.xml").path, encoding: .utf8).contains("<testsuites"))
        var info = stat()
        #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o600, "the replaced file keeps its permissions")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("reports").path).filter { $0.hasSuffix(".partial") }
        #expect(leftovers.isEmpty)
    }

    @Test(arguments: ["/dev/stdout", "-"])
    func standardOutputByName(_ path: String) throws {
        let result = try CLI.run(Self.gate + ["--report", "csv=\(path)"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("checked_at,rule,"))
        #expect(Self.isCharacterDevice("/dev/null"))
    }

    @Test func onlyOneReportGoesToStandardOutputWhateverItsName() throws {
        let result = try CLI.run(Self.gate + ["--report", "csv=/dev/stdout", "--report", "text"])
        #expect(result.status == 2)
        #expect(result.error.contains("only one report can go to standard output"))
    }

    @Test func aPathUnderARegularFileNamesTheReason() throws {
        let directory = try CheckCommandTests.temporaryDirectory()
        let file = directory.appendingPathComponent("plain")
        try Data().write(to: file)
        let result = try CLI.run(Self.gate + ["--report", "json=\(file.path)/sub/r.json"])
        #expect(result.status == 2)
        #expect(result.error.contains("\(file.path)/sub/r.json: Not a directory"), "\(result.error)")
        #expect(!result.error.contains("NSCocoaErrorDomain"))
        #expect(!result.error.contains(".partial"))
    }
}
