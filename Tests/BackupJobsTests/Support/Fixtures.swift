import Foundation
import TestSupport
import Testing

@testable import BackupJobs

/// Decodes listing text held in memory, in chunks of `chunkSize` bytes.
func decode(_ text: String, chunkSize: Int = 1 << 16, name: String = "jobs.json") throws(ListingInputError) -> Listing {
    var loader = ListingLoader()
    loader.chunkSize = chunkSize
    return try loader.load(bytes: Array(text.utf8), name: name)
}

func decode(bytes: [UInt8], chunkSize: Int = 1 << 16, name: String = "jobs.json") throws(ListingInputError) -> Listing {
    var loader = ListingLoader()
    loader.chunkSize = chunkSize
    return try loader.load(bytes: bytes, name: name)
}

/// The error decoding `bytes` gives, or a test failure when it decodes.
func decodingError(_ bytes: [UInt8], chunkSize: Int = 1 << 16, name: String = "jobs.json",
                   sourceLocation: SourceLocation = #_sourceLocation) -> ListingInputError? {
    do {
        let listing = try decode(bytes: bytes, chunkSize: chunkSize, name: name)
        Issue.record("expected an error, decoded \(listing.backupJobs.count) jobs", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// Text with a `1️⃣` marker where something is expected; the marker is removed and its
/// position (1-based line and byte column, 0-based byte offset) kept. Columns count bytes.
struct MarkedText {
    static let marker = "1️⃣"
    let text: String
    let location: ListingInputError.Location

    init(_ marked: String) {
        let parts = marked.components(separatedBy: Self.marker)
        precondition(parts.count == 2, "exactly one marker")
        text = parts.joined()
        let before = Array(parts[0].utf8)
        let line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        let lineStart = (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        location = .init(line: line, column: before.count - lineStart + 1, byteOffset: before.count)
    }
}

/// A minimal job object, with extra members spliced in.
func jobJSON(_ id: String, _ members: String = "") -> String {
    #"{"BackupJobId":"\#(id)""# + (members.isEmpty ? "" : "," + members) + "}"
}

func listingJSON(_ jobs: [String], nextToken: String? = nil) -> String {
    #"{"BackupJobs":["# + jobs.joined(separator: ",") + "]" + (nextToken.map { #","NextToken":"\#($0)""# } ?? "") + "}"
}

enum Paths {
    /// The package's root directory.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project's shared material (`../shared`, or `$BACKUP_AUDIT_SHARED`): the data generator
    /// and the service model. CI sets `BACKUP_AUDIT_REQUIRE_SHARED=1`, so a missing folder fails
    /// there instead of skipping the tests that need it.
    static let shared: URL = ProcessInfo.processInfo.environment["BACKUP_AUDIT_SHARED"].map { URL(fileURLWithPath: $0) }
        ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    static var sharedIsUsable: Bool {
        FileManager.default.fileExists(atPath: shared.path)
            || ProcessInfo.processInfo.environment["BACKUP_AUDIT_REQUIRE_SHARED"] == "1"
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs the shared data generator (`gen_backup_jobs.py`) into `output`.
func generateJobs(_ arguments: [String], output: URL) throws {
    let script = Paths.shared.appendingPathComponent("bench/gen_backup_jobs.py").path
    let result = try ProcessRunner.run("/usr/bin/env", ["python3", script] + arguments + ["--out", output.path])
    #expect(result.status == 0, "generator failed: \(result.error)")
}

/// Gzip-compresses bytes with Python's gzip module (a peer implementation, not ours).
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let directory = try Paths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("in"), output = directory.appendingPathComponent("out.gz")
    try Data(bytes).write(to: input)
    let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", "import gzip,sys; open(sys.argv[2],'wb').write(gzip.compress(open(sys.argv[1],'rb').read()))", input.path, output.path])
    #expect(result.status == 0, "\(result.error)")
    return Array(try Data(contentsOf: output))
}
