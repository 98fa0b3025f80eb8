import Foundation
import TestSupport
import Testing

@testable import BackupJobs

struct JobLoaderTests {
    func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    @Test func readsFilesAndDirectoriesOfPagesInNameOrder() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pages = directory.appendingPathComponent("pages")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        try write(listingJSON([jobJSON("P2")]), to: pages.appendingPathComponent("page-0002.json"))
        try write(listingJSON([jobJSON("P1")], nextToken: "t2"), to: pages.appendingPathComponent("page-0001.json"))
        try Data(try gzip(Array((jobJSON("P3") + "\n").utf8))).write(to: pages.appendingPathComponent("page-0003.jsonl.gz"))
        try write("notes", to: pages.appendingPathComponent("README.txt"))
        try write("{}", to: pages.appendingPathComponent(".hidden.json"))
        try FileManager.default.createDirectory(at: pages.appendingPathComponent("nested.json"), withIntermediateDirectories: true)
        let single = directory.appendingPathComponent("single.json")
        try write(listingJSON([jobJSON("S")]), to: single)

        let listing = try ListingLoader().load([pages.path, single.path])
        #expect(listing.backupJobs.asBackupJobs.map(\.backupJobId) == ["P1", "P2", "P3", "S"])
        #expect(listing.inputs.count == 2)
        let pagesRecord = listing.inputs[0]
        #expect(pagesRecord.files.map(\.path) == ["page-0001.json", "page-0002.json", "page-0003.jsonl.gz"].map { pages.appendingPathComponent($0).path })
        #expect(pagesRecord.files.map(\.jobsRead) == [1, 1, 1])
        #expect(pagesRecord.files.map(\.isCompressed) == [false, false, true])
        #expect(Set(pagesRecord.skippedFiles) == Set([".hidden.json", "README.txt", "nested.json"].map { pages.appendingPathComponent($0).path }))
        #expect(pagesRecord.listingDocuments == 2 && pagesRecord.topLevelJobs == 1 && pagesRecord.compressedFiles == 1)
        #expect(listing.completeness == .complete)
        #expect(listing.inputs[1].files.map(\.path) == [single.path])
        // The digest is of the file as stored: what sha256sum prints.
        let digest = try ProcessRunner.run("/usr/bin/env", ["sha256sum", single.path]).output.prefix(64)
        #expect(listing.inputs[1].files[0].sha256 == String(digest))
    }

    @Test func aPathThatDoesNotExistIsAnError() throws {
        do {
            _ = try ListingLoader().load(["/nonexistent/jobs.json"])
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.description == "/nonexistent/jobs.json: error[input.unreadable]: cannot open: No such file or directory")
        }
    }

    @Test func aDirectoryWithoutJobFilesIsAnError() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try write("x", to: directory.appendingPathComponent("notes.txt"))
        do {
            _ = try ListingLoader().load([directory.path])
            Issue.record("loaded an empty directory")
        } catch {
            #expect(error.code == .noJobFiles)
            #expect(error.source == directory.path)
        }
    }

    @Test func anErrorInTheSecondFileStopsEverything() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("a.json"), bad = directory.appendingPathComponent("b.json")
        try write(listingJSON([jobJSON("A")]), to: good)
        try write(listingJSON([jobJSON("B", #""State":5"#)]), to: bad)
        do {
            _ = try ListingLoader().load([good.path, bad.path])
            Issue.record("returned a partial listing")
        } catch {
            #expect(error.source == bad.path)
            #expect(error.code == .wrongType)
        }
    }
}

/// Large realistic listings from the shared generator, in every format, against Python's
/// own JSON parser as the reference.
@Suite(.enabled(if: Paths.sharedIsUsable, "needs ../shared/bench/gen_backup_jobs.py (set BACKUP_AUDIT_SHARED)"))
struct GeneratedListingTests {
    /// Python reads the same file with `json` and flattens each job to dotted paths and text:
    /// timestamps as epoch milliseconds (exact decimal arithmetic), booleans as true/false.
    static let flattener = #"""
        import json, sys, os, glob, decimal
        from datetime import datetime, timezone
        TIMES = {"CreationDate", "CompletionDate", "ExpectedCompletionDate", "StartBy", "InitiationDate"}
        def ms(v):
            if isinstance(v, str):
                d = datetime.fromisoformat(v.replace("Z", "+00:00"))
                if d.tzinfo is None: d = d.replace(tzinfo=timezone.utc)
                return int(d.replace(microsecond=0).timestamp()) * 1000 + d.microsecond // 1000
            return int((v * 1000).to_integral_value(rounding=decimal.ROUND_FLOOR))
        def flat(prefix, obj, out):
            for k, v in obj.items():
                if v is None: continue
                if isinstance(v, dict): flat(prefix + k + ".", v, out)
                elif k in TIMES: out[prefix + k] = str(ms(v))
                elif isinstance(v, bool): out[prefix + k] = "true" if v else "false"
                else: out[prefix + k] = str(v)
            return out
        def docs(path):
            files = sorted(glob.glob(os.path.join(path, "*.json"))) if os.path.isdir(path) else [path]
            for f in files:
                if f.endswith(".jsonl"):
                    yield [json.loads(l, parse_float=decimal.Decimal) for l in open(f) if l.strip()]
                else:
                    yield json.load(open(f), parse_float=decimal.Decimal)["BackupJobs"]
        json.dump([flat("", job, {}) for jobs in docs(sys.argv[1]) for job in jobs], open(sys.argv[2], "w"))
        """#

    /// Our job flattened the same way.
    static func flattened(_ job: BackupJob) -> [String: String] {
        var out: [String: String] = [:]
        for descriptor in RecordSchema.backupJob.fields {
            switch job[BackupJobField(descriptor.index)] {
            case .string(let v)?: out[descriptor.path] = v
            case .timestamp(let t)?: out[descriptor.path] = String(t.millisecondsSinceEpoch)
            case .integer(let v)?: out[descriptor.path] = String(v)
            case .boolean(let v)?: out[descriptor.path] = String(v)
            case .stringMap(let map)?: for (key, value) in map { out[descriptor.path + "." + key] = value }
            case .integerMap(let map)?: for (key, value) in map { out[descriptor.path + "." + key] = String(value) }
            case nil: continue
            }
        }
        return out
    }

    static func reference(_ path: URL) throws -> [[String: String]] {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("flat.json")
        let result = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", flattener, path.path, output.path])
        #expect(result.status == 0, "\(result.error)")
        return try JSONDecoder().decode([[String: String]].self, from: Data(contentsOf: output))
    }

    @Test(arguments: [
        ("api", ["--format", "api"]),
        ("cli", ["--format", "cli", "--utc-offset", "5.5"]),
        ("cli-negative-offset", ["--format", "cli", "--utc-offset", "-7"]),
        ("jsonl", ["--format", "jsonl"]),
        ("pages", ["--format", "pages", "--page-size", "997"]),
    ])
    func decodesLikePythonsJSONParser(_ name: String, _ format: [String]) throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent(name == "jsonl" ? "jobs.jsonl" : name == "pages" ? "pages" : "jobs.json")
        try generateJobs(["--resources", "300", "--days", "10", "--seed", "5"] + format, output: output)
        var loader = ListingLoader()
        loader.chunkSize = 4096  // many refills across a multi-megabyte file
        let listing = try loader.load([output.path])
        let expected = try Self.reference(output)
        #expect(listing.backupJobs.count == expected.count)
        #expect(listing.backupJobs.count > 3000)
        #expect(listing.backupJobs.duplicatesDropped == 0)
        for (index, (ours, theirs)) in zip(listing.backupJobs.asBackupJobs.map(Self.flattened), expected).enumerated() where ours != theirs {
            Issue.record("job \(index) differs:\n ours:   \(ours)\n python: \(theirs)")
            break
        }
        if name == "pages" {
            #expect(listing.inputs[0].listingDocuments > 1)
            #expect(listing.completeness == .complete)
        }
    }

    @Test func apiAndCLIFormsOfTheSameDataGiveEqualTables() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let api = directory.appendingPathComponent("api.json"), cli = directory.appendingPathComponent("cli.json")
        try generateJobs(["--resources", "200", "--days", "7", "--seed", "9", "--format", "api"], output: api)
        try generateJobs(["--resources", "200", "--days", "7", "--seed", "9", "--format", "cli", "--utc-offset", "-3.5"], output: cli)
        let fromAPI = try ListingLoader().load([api.path]), fromCLI = try ListingLoader().load([cli.path])
        #expect(Array(fromAPI.backupJobs.asBackupJobs) == Array(fromCLI.backupJobs.asBackupJobs))
        #expect(RecordSummary(fromAPI.backupJobs) == RecordSummary(fromCLI.backupJobs))
        // Both at once: every job is a duplicate of itself.
        let both = try ListingLoader().load([api.path, cli.path])
        #expect(both.backupJobs.count == fromAPI.backupJobs.count)
        #expect(both.backupJobs.duplicatesDropped == fromAPI.backupJobs.count)
        #expect(both.conflicts.isEmpty, "the same records in two formats are copies, not conflicts")
    }
}
