// libFuzzer harness for the job listing decoder (BackupJobs: ListingLoader, ListingDecoder,
// RecordObjectDecoder, the gzip reader) and the listing writer (ListingDocument). Built and run by
// `Scripts/fuzz.sh listings` (not part of Package.swift).
//
// The input is the listing's bytes, as a file would hold them, so the seeds in
// Fuzz/corpus-listings are plain listings. For every input:
//   1. decode it whole (in one read): a table, or an error;
//   2. decode it again in tiny chunks (1 to 64 bytes, chosen from the input's hash) and require
//      the same outcome: the same jobs and input record, or the very same error (code, place,
//      context, message): where reads are cut must never show;
//   3. for a quarter of the inputs (by hash), gzip them (one member, or two when the hash says
//      so, as `cat a.gz b.gz` makes) and require the same jobs, or the same error marked as
//      being in decompressed data;
//   4. when the decode succeeded: write each kind's table as a listing document, decode them, and
//      require the same jobs of every kind, no duplicates, and byte-identical output when written
//      again.
// The decoder must never crash or hang on anything. A broken invariant calls fatalError, which
// libFuzzer records as a crash with the input; the message says what differed.

import BackupJobs
import CZlib

/// What decoding some bytes came to, comparable across chunk sizes.
enum Outcome: Equatable {
    /// The tables as listing documents, one per kind in kind order (exact bytes: a string that
    /// differs only in its normalization still differs), the duplicates merged, and what the
    /// input record counted.
    case listing(document: [UInt8], duplicates: Int, record: InputRecord)
    case error(ListingInputError)

    var summary: String {
        switch self {
        case .listing(let document, let duplicates, let record):
            "listing of \(document.count) bytes, \(duplicates) duplicates, \(record)\n"
                + String(decoding: document.prefix(2000), as: UTF8.self).debugDescription
        case .error(let error): "error \(error)"
        }
    }
}

/// Reads of 8 KiB hold any input whole (-max_len is 4 KiB), as the loader's default 4 MiB do,
/// without allocating 4 MiB for every decode (slow under AddressSanitizer).
let wholeChunk = 1 << 13

func decode(_ bytes: [UInt8], chunkSize: Int = wholeChunk) -> (Outcome, [RecordTable]?) {
    var loader = ListingLoader()
    loader.chunkSize = chunkSize
    do {
        let listing = try loader.load(bytes: bytes, name: "fuzz.json")
        let document = listing.tables.flatMap { ListingDocument.bytes($0) }
        let duplicates = listing.tables.reduce(0) { $0 + $1.duplicatesDropped }
        return (.listing(document: document, duplicates: duplicates, record: listing.inputs[0]), listing.tables)
    } catch {
        return (.error(error), nil)
    }
}

/// FNV-1a: a stable hash of the input, for the choices the input does not spell out.
func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0100_0000_01B3 }
    return h
}

/// gzip with zlib. Level 1, a 512-byte window and the least memory: the content matters here,
/// not the ratio, and zlib's usual 256 KiB of state would cost more than the decoding.
func gzip(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var stream = z_stream()
    // 9 + 16: a 512-byte window with the gzip wrapper.
    guard deflateInit2_(&stream, 1, Z_DEFLATED, 9 + 16, 1, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        fatalError("deflateInit2 failed")
    }
    defer { deflateEnd(&stream) }
    var input = Array(bytes)
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
    let status = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = uInt(outBuffer.count)
            return deflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { fatalError("deflate failed: \(status)") }
    output.removeSubrange(Int(stream.total_out)...)
    return output
}

func fail(_ what: String, _ input: [UInt8], _ details: String) -> Never {
    fatalError("""
        \(what)
        --- input (escaped) ---
        \(String(decoding: input, as: UTF8.self).debugDescription)
        --- details ---
        \(details)
        """)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    let bytes = Array(buffer)
    let h = hash(buffer)

    // 1, 2: whole, then in tiny chunks.
    let (whole, tables) = decode(bytes)
    let chunkSize = Int(h % 64) + 1
    let (chunked, _) = decode(bytes, chunkSize: chunkSize)
    if chunked != whole {
        fail("the outcome depends on the chunk size (\(chunkSize) bytes)", bytes,
             "read whole:\n\(whole.summary)\n--- in chunks of \(chunkSize) ---\n\(chunked.summary)")
    }

    // 3: the same bytes through gzip (not for input that is gzip already: that would be
    // decompressed once only, and rightly read as something else).
    if (h >> 8) & 3 == 0 && !bytes.starts(with: [0x1F, 0x8B]) {
        let split = (h >> 16) & 1 == 1 ? Int((h >> 24) % UInt64(bytes.count + 1)) : bytes.count
        let compressed = split < bytes.count ? gzip(bytes[..<split]) + gzip(bytes[split...]) : gzip(bytes[...])
        let (unzipped, _) = decode(compressed, chunkSize: Int((h >> 32) % 64) + 1)
        switch (whole, unzipped) {
        case (.listing(let a, let d1, let r1), .listing(let b, let d2, let r2))
            where a == b && d1 == d2 && r2.bytes == r1.bytes && r2.jobsRead == r1.jobsRead && r2.compressedFiles == 1
                && r2.listingDocuments == r1.listingDocuments && r2.arrays == r1.arrays && r2.topLevelJobs == r1.topLevelJobs
                && r2.storedBytes == compressed.count:
            break
        case (.error(var expected), .error(let got)):
            expected.isCompressed = true
            if got != expected {
                fail("gzip changes the error (split at \(split))", bytes, "plain:\n\(whole.summary)\n--- gzip ---\n\(unzipped.summary)")
            }
        default:
            fail("gzip changes the outcome (split at \(split))", bytes, "plain:\n\(whole.summary)\n--- gzip ---\n\(unzipped.summary)")
        }
    }

    // 4: what the writer writes reads back as the same jobs, and writes the same bytes.
    // A listing of no kind (`[]`, JSON Lines of nothing) has no table to write.
    guard case .listing(let document, _, _) = whole, let tables, !tables.isEmpty else { return 0 }
    let (reread, rereadTables) = decode(document)
    guard case .listing(let again, let duplicates, _) = reread, let rereadTables else {
        fail("the written listing does not decode", bytes, "written:\n\(String(decoding: document, as: UTF8.self).debugDescription)\n--- outcome ---\n\(reread.summary)")
    }
    if duplicates != 0 || rereadTables.map(\.kind) != tables.map(\.kind)
        || !zip(rereadTables, tables).allSatisfy({ $0.count == $1.count && $0.elementsEqual($1) }) {
        fail("the written listing decodes to other jobs", bytes,
             "written:\n\(String(decoding: document, as: UTF8.self).debugDescription)\n--- jobs before ---\n\(tables.map(Array.init))\n--- after ---\n\(rereadTables.map(Array.init))")
    }
    if again != document {
        fail("writing the re-read listing gives other bytes", bytes,
             "first:\n\(String(decoding: document, as: UTF8.self).debugDescription)\n--- second ---\n\(String(decoding: again, as: UTF8.self).debugDescription)")
    }
    return 0
}
