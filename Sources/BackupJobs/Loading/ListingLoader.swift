#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one `--jobs` argument (a file, a directory or standard input) held.
public struct InputRecord: Sendable, Equatable {
    /// The argument as given; `-` for standard input.
    public var path: String
    /// The files read: the path itself, or a directory's job files in name order.
    public var files: [InputFile] = []
    /// Files in a directory that were not read: hidden, or not named like job data.
    public var skippedFiles: [String] = []
    /// Bytes of JSON decoded (after decompression).
    public var bytes = 0
    /// Bytes read from disk or the stream (smaller than `bytes` when compressed).
    public var storedBytes = 0
    public var compressedFiles = 0
    public var listingDocuments = 0
    public var arrays = 0
    public var topLevelJobs = 0
    /// The inventories the documents were (`GetResources output`, `AWS Config results`, `terraform state`).
    public var inventorySources: Set<String> = []
    /// Inventories as lists of ARNs, and as CSV files.
    public var arnLists = 0
    public var csvFiles = 0
    /// Record objects read (jobs of every kind), before duplicates were merged.
    public var jobsRead = 0
    /// The same by kind.
    public var jobsReadByKind: [RecordKind: Int] = [:]
    public var epochTimestamps = 0
    public var isoTimestamps = 0
    public init(path: String) {
        self.path = path
    }

    mutating func add(_ stats: ListingDecoder.StreamStats, storedBytes: Int) {
        bytes += stats.bytes
        self.storedBytes += storedBytes
        listingDocuments += stats.listingDocuments
        arrays += stats.arrays
        topLevelJobs += stats.topLevelJobs
        inventorySources.formUnion(stats.inventorySources)
        arnLists += stats.arnLists
        csvFiles += stats.csvFiles
        jobsRead += stats.jobsRead
        jobsReadByKind.merge(stats.recordsByKind, uniquingKeysWith: +)
        epochTimestamps += stats.epochTimestamps
        isoTimestamps += stats.isoTimestamps
    }

    /// The kinds of the records read, in `RecordKind` order.
    public var kinds: [RecordKind] { RecordKind.allCases.filter { jobsReadByKind[$0, default: 0] > 0 } }

    /// The shape of the data, as people name it; the kinds of records when they are not only
    /// backup jobs (`API response, gzip; copy jobs`).
    public var formatDescription: String {
        var shapes: [String] = []
        if listingDocuments > 0 {
            let operation = kinds.count == 1 ? kinds[0].operation : "List"
            let style = isoTimestamps > 0 && epochTimestamps == 0 ? "AWS CLI output"
                : epochTimestamps > 0 && isoTimestamps == 0 ? "API response" : "\(operation) listing"
            let named = kinds == [.inventoryResource] && !inventorySources.isEmpty ? inventorySources.sorted().joined(separator: " + ") : style
            shapes.append(listingDocuments == 1 ? named : "\(named), \(listingDocuments) documents")
        }
        if arrays > 0 { shapes.append(arrays == 1 ? "JSON array" : "\(arrays) JSON arrays") }
        if topLevelJobs > 0 { shapes.append("JSON Lines") }
        if arnLists > 0 { shapes.append(arnLists == 1 ? "list of ARNs" : "\(arnLists) lists of ARNs") }
        if csvFiles > 0 { shapes.append(csvFiles == 1 ? "CSV" : "\(csvFiles) CSV files") }
        var text = shapes.joined(separator: " + ")
        if compressedFiles > 0 { text += ", gzip" }
        if kinds.contains(where: { $0 != .backupJob }) { text += "; " + kinds.map(\.pluralNoun).joined(separator: ", ") }
        return text
    }
}

/// One file (or standard input) that was read.
public struct InputFile: Sendable, Equatable {
    /// As given, or a directory's path joined with the file's name; `-` for standard input.
    public var path: String
    /// SHA-256 of the bytes as stored, in hex: what `sha256sum` prints.
    public var sha256: String
    public var storedBytes: Int
    /// Bytes of JSON after decompression.
    public var bytes: Int
    /// Record objects read (jobs of every kind), and by kind.
    public var jobsRead: Int
    public var jobsReadByKind: [RecordKind: Int]
    public var isCompressed: Bool

    public init(
        path: String, sha256: String, storedBytes: Int, bytes: Int, jobsRead: Int, jobsReadByKind: [RecordKind: Int] = [:],
        isCompressed: Bool
    ) {
        self.path = path
        self.sha256 = sha256
        self.storedBytes = storedBytes
        self.bytes = bytes
        self.jobsRead = jobsRead
        self.jobsReadByKind = jobsReadByKind
        self.isCompressed = isCompressed
    }
}

/// Reads listings of any kinds of records from files, directories and standard input into one
/// `Listing`: a table per kind, sharing one string pool.
///
/// Formats are recognised from the content, never the name: API response bodies, AWS CLI
/// output, concatenated pages, arrays of records, JSON Lines, each optionally gzip-compressed; the
/// kind by the document's member or the records' id member. Any error stops loading: a listing
/// is read whole or it is not returned. The documents of each kind in all the paths, in the order
/// given (a directory's files in name order), form one listing of that kind, and the listing says
/// whether they make a whole one (`completeness`); the caller decides what an incomplete one is
/// good for.
public struct ListingLoader: Sendable {
    /// Bytes read per chunk; tests make it tiny to cut jobs at every possible byte.
    public var chunkSize = 4 << 20

    /// Suffixes of files a directory contributes (each may also end in `.gz`).
    public static let jobFileSuffixes = [".json", ".jsonl", ".ndjson"]

    public init() {}

    /// Reads listings of any kind: job data and inventories in JSON (not the plain inventories,
    /// lists of ARNs and CSV, which only `load(jobs:resources:)` reads as resources).
    public func load(_ paths: [String]) throws(ListingInputError) -> Listing {
        var decoder = ListingDecoder()
        decoder.chunkSize = chunkSize
        var records: [InputRecord] = []
        try load(paths, role: .any, into: &records, decoder: &decoder)
        return decoder.finish(inputs: records)
    }

    /// Reads job data (`jobs`: backup, copy and restore jobs) and inventories (`resources`:
    /// protected resources, and the resources that should be protected, from GetResources, AWS
    /// Config, terraform state, a list of ARNs or a CSV file) into one listing sharing one string
    /// pool, so jobs and resources join on ARNs. Inventories among the jobs, or jobs among the
    /// resources, are an error (`input.misplaced-kind`).
    public func load(jobs: [String], resources: [String]) throws(ListingInputError) -> Listing {
        var decoder = ListingDecoder()
        decoder.chunkSize = chunkSize
        var records: [InputRecord] = []
        try load(jobs, role: .jobs, into: &records, decoder: &decoder)
        try load(resources, role: .resources, into: &records, decoder: &decoder)
        return decoder.finish(inputs: records)
    }

    /// What an argument is read as.
    private enum Role {
        case any, jobs, resources

        var families: Set<RecordFamily> {
            switch self {
            case .any: [.job, .inventory]
            case .jobs: [.job]
            case .resources: [.inventory]
            }
        }

        /// Suffixes of the files a directory contributes (each may also end in `.gz`).
        var suffixes: [String] {
            self == .resources ? ListingLoader.jobFileSuffixes + ListingLoader.listFileSuffixes : ListingLoader.jobFileSuffixes
        }
    }

    /// Suffixes of the plain inventories a directory of resources contributes.
    public static let listFileSuffixes = [".csv", ".txt"]

    private func load(_ paths: [String], role: Role, into records: inout [InputRecord], decoder: inout ListingDecoder) throws(ListingInputError) {
        decoder.accepted = role.families
        for path in paths {
            var record = InputRecord(path: path)
            if path == "-" {
                try read(FileDescriptorSource(descriptor: 0, name: "<stdin>"), name: "<stdin>", role: role, into: &record, decoder: &decoder)
            } else if try isDirectory(path) {
                try readDirectory(path, role: role, into: &record, decoder: &decoder)
            } else {
                try read(FileDescriptorSource(path: path), name: path, role: role, into: &record, decoder: &decoder)
            }
            records.append(record)
        }
    }

    /// Decodes a listing held in memory (a response body, a test's fixture) as if read from a
    /// file called `name`.
    public func load(bytes: [UInt8], name: String) throws(ListingInputError) -> Listing {
        var decoder = ListingDecoder()
        decoder.chunkSize = chunkSize
        var record = InputRecord(path: name)
        try read(MemorySource(bytes), name: name, role: .any, into: &record, decoder: &decoder)
        return decoder.finish(inputs: [record])
    }

    private func readDirectory(_ path: String, role: Role, into record: inout InputRecord, decoder: inout ListingDecoder) throws(ListingInputError) {
        guard let directory = opendir(path) else {
            throw ListingInputError(.unreadable, source: path, message: "cannot read the directory: \(systemError(errno))")
        }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(directory)
        for name in names.sorted() {
            let file = path.hasSuffix("/") ? path + name : path + "/" + name
            let plain = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
            guard !name.hasPrefix("."), role.suffixes.contains(where: plain.hasSuffix), try !isDirectory(file) else {
                record.skippedFiles.append(file)
                continue
            }
            try read(FileDescriptorSource(path: file), name: file, role: role, into: &record, decoder: &decoder)
        }
        guard !record.files.isEmpty else {
            let names = role.suffixes.map { "*" + $0 }.joined(separator: ", ")
            throw ListingInputError(
                .noJobFiles, source: path,
                message: "the directory holds no \(role == .resources ? "resource" : "job") files (\(names), optionally .gz)")
        }
    }

    /// Decodes one stream, decompressing it first when it starts with the gzip magic bytes.
    private func read(_ stored: any ByteSource, name: String, role: Role, into record: inout InputRecord, decoder: inout ListingDecoder) throws(ListingInputError) {
        // The digest covers the bytes as stored (compressed, if they are), like sha256sum.
        let file = HashingSource(upstream: stored)
        let magic = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
        defer { magic.deallocate() }
        var got = 0
        while got < 2 {
            let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: magic[got...]))
            if count == 0 { break }
            got += count
        }
        let inner: any ByteSource
        let prefix = Array(magic[..<got])
        let compressed = prefix == [0x1F, 0x8B]
        if compressed {
            inner = try GzipSource(upstream: file, prefix: prefix, name: name)
            record.compressedFiles += 1
        } else {
            inner = PrefixedSource(prefix: prefix, upstream: file)
        }
        // Reading, digest and inflation on a second core, decoding on this one; `file` is the
        // reading thread's until `finish` (on an error, the thread is let go).
        let source = ReadAheadSource(upstream: inner, chunkSize: chunkSize)
        let stats: ListingDecoder.StreamStats
        do {
            if role == .resources {
                // Inventories may be plain text (a list of ARNs, CSV): read whole, then sniffed.
                let bytes = try Self.readAll(source)
                stats = Self.isJSON(bytes)
                    ? try decoder.decode(MemorySource(bytes), name: name, isCompressed: compressed)
                    : try decoder.decodeResourceList(bytes, name: name, isCompressed: compressed)
            } else {
                stats = try decoder.decode(source, name: name, isCompressed: compressed)
            }
        } catch where compressed && error.code != .corruptGzip && error.code != .unreadable {
            // zlib finds damage only as it inflates it (a member's CRC only at its end), so the
            // JSON decoder can stop at bytes the damage produced before zlib has seen it, and
            // how far zlib got depends on how much was read at once. Corrupt gzip data is the
            // cause to report, whatever the read sizes: inflate the rest before blaming the JSON.
            try Self.drain(source)
            throw error
        }
        source.finish()
        record.add(stats, storedBytes: file.bytesConsumed)
        record.files.append(InputFile(
            path: name == "<stdin>" ? "-" : name, sha256: file.hexDigest(), storedBytes: file.bytesConsumed, bytes: stats.bytes,
            jobsRead: stats.jobsRead, jobsReadByKind: stats.recordsByKind, isCompressed: compressed))
    }

    /// Everything `source` holds.
    private static func readAll(_ source: any ByteSource) throws(ListingInputError) -> [UInt8] {
        var bytes: [UInt8] = []
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while true {
            let count = try source.read(into: scratch)
            if count == 0 { return bytes }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
        }
    }

    /// JSON starts with an object or an array (after a byte order mark and whitespace); UTF-16
    /// goes to the JSON decoder too, which says how to re-save it.
    private static func isJSON(_ bytes: [UInt8]) -> Bool {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard index < bytes.count else { return true }  // empty: the decoder says so
        return [UInt8(ascii: "{"), UInt8(ascii: "["), 0xFF, 0xFE].contains(bytes[index])
    }

    /// Reads `source` to its end, for the errors it raises on the way.
    private static func drain(_ source: any ByteSource) throws(ListingInputError) {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { scratch.deallocate() }
        while try source.read(into: scratch) > 0 {}
    }

    private func isDirectory(_ path: String) throws(ListingInputError) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ListingInputError(.unreadable, source: path, message: "cannot open: \(systemError(errno))")
        }
        return info.st_mode & S_IFMT == S_IFDIR
    }
}

/// Bytes already read to sniff the format, then the rest of the stream.
private final class PrefixedSource: ByteSource {
    private var prefix: [UInt8]
    private let upstream: any ByteSource
    var bytesConsumed: Int { upstream.bytesConsumed }

    init(prefix: [UInt8], upstream: any ByteSource) {
        self.prefix = prefix
        self.upstream = upstream
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ListingInputError) -> Int {
        guard !prefix.isEmpty else { return try upstream.read(into: buffer) }
        let count = min(prefix.count, buffer.count)
        prefix.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        prefix.removeFirst(count)
        return count + (try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...])))
    }
}
