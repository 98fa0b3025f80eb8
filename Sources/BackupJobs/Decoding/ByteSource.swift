#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import Crypto

/// Where the decoder's bytes come from, a chunk at a time: the decoder never holds a whole
/// listing, so memory stays flat however large the input.
protocol ByteSource: AnyObject {
    /// Fills the front of `buffer`; returns how many bytes were written, 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ListingInputError) -> Int
    /// Bytes taken from the underlying file or stream so far (compressed bytes for gzip).
    var bytesConsumed: Int { get }
}

/// A file or standard input, read with `read(2)`.
final class FileDescriptorSource: ByteSource {
    private let descriptor: Int32
    private let closesDescriptor: Bool
    let name: String
    private(set) var bytesConsumed = 0

    /// Opens a file for reading.
    init(path: String) throws(ListingInputError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ListingInputError(.unreadable, source: path, message: "cannot open: \(systemError(errno))")
        }
        self.descriptor = descriptor
        self.closesDescriptor = true
        self.name = path
    }

    /// Reads an already open descriptor (standard input) without closing it.
    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.closesDescriptor = false
        self.name = name
    }

    deinit {
        if closesDescriptor { close(descriptor) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ListingInputError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            #if canImport(Glibc)
            let count = Glibc.read(descriptor, base, buffer.count)
            #else
            let count = Darwin.read(descriptor, base, buffer.count)
            #endif
            if count >= 0 {
                bytesConsumed += count
                return count
            }
            if errno == EINTR { continue }
            throw ListingInputError(.unreadable, source: name, message: "read failed: \(systemError(errno))")
        }
    }
}

/// Inflates gzip data (one member or several concatenated, as `cat a.gz b.gz` makes) from
/// another source.
///
/// Every call of zlib's `inflate` gets the same output room, the whole of `output`, whatever the
/// reader asks for: on damaged data, whether zlib notices a back-reference reaching beyond what
/// it inflated depends on that room, and the error must not depend on how the data was read.
final class GzipSource: ByteSource {
    private static let outputRoom = 1 << 16
    private let upstream: any ByteSource
    private let name: String
    /// zlib keeps a pointer back to its stream: it must not move, so it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    /// What the last `inflate` call wrote; `output[pending]` is not read yet.
    private let output: UnsafeMutableRawBufferPointer
    private var pending = 0..<0
    private var upstreamEnded = false
    private var memberEnded = false

    var bytesConsumed: Int { upstream.bytesConsumed }

    /// `prefix` holds bytes already taken from `upstream` (to detect the format).
    init(upstream: any ByteSource, prefix: [UInt8], name: String) throws(ListingInputError) {
        self.upstream = upstream
        self.name = name
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1 << 20, prefix.count), alignment: 16)
        prefix.withUnsafeBytes { input.copyMemory(from: $0) }
        self.input = input
        output = .allocate(byteCount: Self.outputRoom, alignment: 16)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(prefix.count)
        // 15 + 16: a 32 KiB window, gzip wrapper only.
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            input.deallocate()
            output.deallocate()
            throw ListingInputError(.corruptGzip, source: name, message: "cannot start gzip decompression (zlib status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        input.deallocate()
        output.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ListingInputError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while pending.isEmpty {
            guard try inflateOnce() else { return 0 }
        }
        let count = min(buffer.count, pending.count)
        base.copyMemory(from: output.baseAddress! + pending.lowerBound, byteCount: count)
        pending = (pending.lowerBound + count)..<pending.upperBound
        return count
    }

    /// Calls `inflate` once into the whole output room (reading more input first when zlib has
    /// none); `false` at the end of the data. A call may write nothing (it needed more input).
    private func inflateOnce() throws(ListingInputError) -> Bool {
        if stream.pointee.avail_in == 0 && !upstreamEnded {
            let count = try upstream.read(into: input)
            if count == 0 { upstreamEnded = true }
            stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = uInt(count)
        }
        if memberEnded {
            // Another member may follow; anything else after a member is an error.
            if stream.pointee.avail_in == 0 && upstreamEnded { return false }
            guard stream.pointee.avail_in > 0 else { return true }
            guard stream.pointee.next_in[0] == 0x1F else {
                throw ListingInputError(.corruptGzip, source: name, message: "unexpected data after the end of the gzip stream")
            }
            inflateReset(stream)
            memberEnded = false
        }
        if stream.pointee.avail_in == 0 && upstreamEnded {
            throw ListingInputError(.corruptGzip, source: name, message: "the gzip data is truncated")
        }
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let status = inflate(stream, Z_NO_FLUSH)
        pending = 0..<(output.count - Int(stream.pointee.avail_out))
        switch status {
        case Z_OK: return true
        case Z_STREAM_END: memberEnded = true; return true
        case Z_BUF_ERROR where stream.pointee.avail_in == 0: return true
        default:
            let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            throw ListingInputError(.corruptGzip, source: name, message: "corrupt gzip data: \(detail)")
        }
    }
}

func systemError(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Passes bytes through, computing their SHA-256 on the way: the evidence of which data was read,
/// with no second pass over the file.
final class HashingSource: ByteSource {
    private let upstream: any ByteSource
    private var hasher = SHA256()

    init(upstream: any ByteSource) {
        self.upstream = upstream
    }

    var bytesConsumed: Int { upstream.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ListingInputError) -> Int {
        let count = try upstream.read(into: buffer)
        if count > 0 { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
        return count
    }

    /// The digest of everything read, in lower-case hex.
    func hexDigest() -> String {
        Hex.lowercase(hasher.finalize())
    }
}

/// Bytes in memory.
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private(set) var bytesConsumed = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ListingInputError) -> Int {
        let count = min(buffer.count, bytes.count - bytesConsumed)
        bytes.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[bytesConsumed..<bytesConsumed + count])) }
        bytesConsumed += count
        return count
    }
}

