import Crypto

/// Builds a listing from List operation response bodies held in memory, one page at a time: how a
/// live fetch turns responses into the same `Listing` a file gives. Each page is of the kind the
/// fetch asked for (ListBackupJobs: backup jobs); pages may be of several kinds, belong to
/// several inputs (one per Region) and arrive in any order; duplicates are merged as for files.
public struct PageAccumulator {
    private var decoder = ListingDecoder()
    private var inputs: [String: Input] = [:]
    private var order: [String] = []

    private struct Input {
        var record: InputRecord
        /// One hasher per stream of pages (a slice of the creation window), so the digest does not
        /// depend on how the network interleaved the slices.
        var streams: [Int: SHA256] = [:]
    }

    public init() {}

    /// What one page held.
    public struct Page: Sendable, Equatable {
        /// Records in the page (kept or not).
        public var jobs: Int
        public var nextToken: String?
    }

    /// Decodes one response body and adds its records (only those at positions in `keeping`, when
    /// given: `--max-items` cuts pages). The body must be one listing document of `kind` (a
    /// ListCopyJobs response for copy jobs).
    ///
    /// - Parameters:
    ///   - kind: the kind of records the request asked for.
    ///   - input: the input the page belongs to, as reports name it.
    ///   - stream: which sequence of pages within the input; pages of one stream must be added in order.
    ///   - name: the page, for error messages (`us-east-1 page 3`).
    public mutating func add(
        page body: [UInt8], kind: RecordKind, input: String, stream: Int = 0, name: String,
        keeping range: Range<Int>? = nil
    ) throws(ListingInputError) -> Page {
        decoder.keepRecord = range.map { range in { range.contains($0) } }
        decoder.expectedKind = kind
        defer {
            decoder.keepRecord = nil
            decoder.expectedKind = nil
        }
        let stats = try decoder.decode(MemorySource(body), name: name, isCompressed: false)
        guard stats.listingDocuments == 1, stats.arrays == 0, stats.topLevelJobs == 0 else {
            throw ListingInputError(
                .notAListing, source: name,
                message: "a \(kind.operation) response is one {\"\(kind.member)\": [...]} document; this page holds "
                    + "\(stats.listingDocuments) documents, \(stats.arrays) arrays and \(stats.topLevelJobs) bare jobs")
        }
        if inputs[input] == nil {
            inputs[input] = Input(record: InputRecord(path: input))
            order.append(input)
        }
        inputs[input]!.record.add(stats, storedBytes: body.count)
        body.withUnsafeBytes { inputs[input]!.streams[stream, default: SHA256()].update(bufferPointer: $0) }
        return Page(jobs: stats.jobsRead, nextToken: stats.lastNextToken)
    }

    /// Declares an input that may receive no page (a Region that was skipped still gets a record).
    public mutating func declare(input: String) {
        guard inputs[input] == nil else { return }
        inputs[input] = Input(record: InputRecord(path: input))
        order.append(input)
    }

    /// The listing, with one record per input in the order inputs were first seen. An input's
    /// digest is the SHA-256 of its page bodies in order; an input of several streams gets the
    /// SHA-256 of its streams' digests in stream order.
    public consuming func finish() -> Listing {
        let records = order.map { name in
            let input = inputs[name]!
            var record = input.record
            let digests = input.streams.sorted { $0.key < $1.key }.map { Array($0.value.finalize()) }
            let digest: [UInt8] = switch digests.count {
            case 0: Array(SHA256.hash(data: [UInt8]()))
            case 1: digests[0]
            default: Array(SHA256.hash(data: digests.flatMap { $0 }))
            }
            record.files = [InputFile(path: name, sha256: Hex.lowercase(digest), storedBytes: record.storedBytes,
                                      bytes: record.bytes, jobsRead: record.jobsRead, jobsReadByKind: record.jobsReadByKind,
                                      isCompressed: false)]
            return record
        }
        // Pages of several slices interleave, so the order they were decoded in is no chain; the
        // fetcher knows whether it fetched everything (`--max-items` stops short on purpose).
        var listing = decoder.finish(inputs: records)
        listing.completeness = .complete
        return listing
    }
}
