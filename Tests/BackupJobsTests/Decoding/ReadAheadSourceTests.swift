#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

@testable import BackupJobs

/// The read-ahead thread hands the decoder the stream its source gives, unchanged: the same
/// bytes, then the same end or error, whatever the sizes of the reads on either side.
struct ReadAheadSourceTests {
    /// Everything a source gives, read `readSize` bytes at a time, and the error it ends with.
    static func drain(_ source: any ByteSource, readSize: Int) -> (bytes: [UInt8], error: ListingInputError?) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize, alignment: 1)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        do {
            while true {
                let count = try source.read(into: buffer)
                if count == 0 { return (bytes, nil) }
                bytes += buffer[..<count]
            }
        } catch {
            return (bytes, error)
        }
    }

    static let data: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }

    @Test(arguments: [(1, 1), (7, 16), (4096, 1 << 16), (1 << 20, 1 << 16), (3, 1 << 20)])
    func givesEveryByteInOrder(readSize: Int, chunkSize: Int) {
        let ahead = ReadAheadSource(upstream: MemorySource(Self.data), chunkSize: chunkSize)
        let (bytes, error) = Self.drain(ahead, readSize: readSize)
        #expect(error == nil)
        #expect(bytes == Self.data)
        // The end stays the end.
        #expect(Self.drain(ahead, readSize: readSize).bytes.isEmpty)
        ahead.finish()
    }

    /// Damaged gzip: the bytes zlib inflated before it found the damage, then its error, and the
    /// error again on the next read rather than an end that would look like a whole stream.
    @Test(arguments: [1, 100, 1 << 16])
    func givesTheUpstreamErrorAfterTheBytesBeforeIt(readSize: Int) throws {
        var damaged = try gzip(Array(String(repeating: #"{"BackupJobId":"a"}"#, count: 5000).utf8))
        damaged[damaged.count / 2] ^= 0x5A
        let direct = Self.drain(try GzipSource(upstream: MemorySource(damaged), prefix: [], name: "jobs.json.gz"), readSize: 1 << 16)
        let expected = try #require(direct.error)
        #expect(expected.code == .corruptGzip)

        let ahead = ReadAheadSource(
            upstream: try GzipSource(upstream: MemorySource(damaged), prefix: [], name: "jobs.json.gz"), chunkSize: 1 << 16)
        let (bytes, error) = Self.drain(ahead, readSize: readSize)
        #expect(error == expected)
        #expect(bytes == direct.bytes)
        #expect(Self.drain(ahead, readSize: readSize).error == expected)
    }

    /// A decoder that stops at an error does not wait for a reader blocked on a pipe that sends
    /// nothing more (a terminal as standard input): dropping the source lets the thread go.
    @Test(.timeLimit(.minutes(1)))
    func droppingTheSourceDoesNotWaitForABlockedRead() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let sent: [UInt8] = Array(#"{"BackupJobs": ["#.utf8)
        try #require(write(ends[1], sent, sent.count) == sent.count)
        var ahead: ReadAheadSource? = ReadAheadSource(
            upstream: FileDescriptorSource(descriptor: ends[0], name: "<stdin>"), chunkSize: 1 << 16)
        // Only what was sent: reading on would wait for the pipe, as the thread does.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: sent.count, alignment: 1)
        defer { buffer.deallocate() }
        var got = 0
        while got < sent.count {
            let count = try #require(ahead).read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[got...]))
            try #require(count > 0)
            got += count
        }
        #expect(Array(buffer) == sent)
        // The thread now waits in read(2) for bytes that never come; this returns at once.
        ahead = nil
        #expect(ahead == nil)
        // Closing the write end ends the thread's read; it then finds it was let go.
        close(ends[1])
    }

    /// The loader reads through the thread: a file's records and digest are those of reading it
    /// directly, and an error in it is the error of reading it whole in one chunk.
    @Test func loadedFilesKeepTheirDigestAndErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("read-ahead-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("jobs.json.gz")
        let text = listingJSON((0..<2000).map { jobJSON("job-\($0)") })
        let compressed = try gzip(Array(text.utf8))
        try Data(compressed).write(to: good)
        var loader = ListingLoader()
        loader.chunkSize = 4096
        let listing = try loader.load([good.path])
        #expect(listing.backupJobs.count == 2000)
        let file = try #require(listing.inputs.first?.files.first)
        let digest = HashingSource(upstream: MemorySource(compressed))
        _ = Self.drain(digest, readSize: 1 << 16)
        #expect(file.sha256 == digest.hexDigest())
        #expect(file.storedBytes == compressed.count)
        #expect(file.bytes == text.utf8.count)

        let bad = directory.appendingPathComponent("bad.json")
        var broken = Array(text.utf8)
        broken[broken.count - 40] = UInt8(ascii: "|")
        try Data(broken).write(to: bad)
        let whole = try #require(decodingError(broken, chunkSize: broken.count, name: bad.path))
        for chunkSize in [16, 4096, 1 << 20] {
            loader.chunkSize = chunkSize
            #expect(throws: whole) { try loader.load([bad.path]) }
        }
    }
}
