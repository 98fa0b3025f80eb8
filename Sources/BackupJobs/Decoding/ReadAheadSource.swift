#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads another source on a thread of its own, a few chunks ahead of the decoder: reading the
/// file, its SHA-256 digest and gzip inflation run on one core while the JSON is decoded on the
/// other. Memory stays bounded: at most `depth` chunks wait to be decoded.
///
/// The decoder sees the very stream it would see reading `upstream` directly: the same bytes in
/// the same order and, after the last byte `upstream` gave, the error it threw (again on every
/// later read) or the end. Only the sizes of single reads differ, which decoding never depends on.
///
/// `upstream`, and every source under it, belongs to the reading thread from `init` until
/// `finish()` returns: the caller reads their digest or byte counts only after that. A source
/// dropped without `finish` (the decoder stopped at an error) lets the thread go without waiting
/// for it: it may sit in a `read(2)` of a terminal or pipe that sends nothing more, and it stops
/// at its next chunk.
final class ReadAheadSource: ByteSource {
    private let channel: ChunkChannel
    private var thread: pthread_t?
    /// What the thread holds, when it could not be started: then reads go straight upstream.
    private var inline: (any ByteSource)?
    /// The chunk being handed out, and how much of it has been.
    private var current: ChunkChannel.Chunk?
    private var handedOut = 0
    /// Bytes handed to the decoder (decompressed ones, for gzip): the upstream's own count may
    /// be read only after `finish`.
    private(set) var bytesConsumed = 0

    /// Starts reading `upstream` in chunks of `chunkSize` bytes (at least 64 KiB: the decoder's
    /// own reads may be tiny, a thread switch per byte would not be).
    init(upstream: any ByteSource, chunkSize: Int, depth: Int = 3) {
        channel = ChunkChannel(chunkSize: max(chunkSize, 1 << 16), depth: depth)
        let reader = ChunkReader(upstream: upstream, channel: channel)
        let context = Unmanaged.passRetained(reader).toOpaque()
        var started = pthread_t()
        let status = pthread_create(&started, nil, { context in
            // Balances `passRetained` above: the thread owns the reader until it returns.
            Unmanaged<ChunkReader>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        if status == 0 {
            thread = started
        } else {
            // No thread to be had (a process at its limit): read on this one, as before.
            Unmanaged<ChunkReader>.fromOpaque(context).release()
            inline = upstream
        }
    }

    deinit {
        // Not finished: the decoder stopped early. The thread holds what it uses (the reader,
        // the channel and its buffers) and ends on its own.
        guard let thread else { return }
        channel.cancel()
        pthread_detach(thread)
    }

    /// Waits for the reading thread, which has ended once a read returned 0 or threw (and
    /// otherwise stops at its next chunk). After this the upstream sources are the caller's again.
    func finish() {
        guard let thread else { return }
        channel.cancel()
        pthread_join(thread, nil)
        self.thread = nil
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ListingInputError) -> Int {
        if let inline { return try inline.read(into: buffer) }
        guard buffer.count > 0 else { return 0 }
        if current == nil {
            guard let next = try channel.take() else { return 0 }
            current = next
            handedOut = 0
        }
        guard let chunk = current else { return 0 }
        let count = min(buffer.count, chunk.count - handedOut)
        buffer.baseAddress!.copyMemory(from: chunk.buffer.baseAddress! + handedOut, byteCount: count)
        handedOut += count
        bytesConsumed += count
        if handedOut == chunk.count {
            channel.recycle(chunk.buffer)
            current = nil
        }
        return count
    }
}

/// The reading thread's side: fills free buffers from upstream until the end, an error, or the
/// decoder's `cancel`.
private final class ChunkReader {
    private let upstream: any ByteSource
    private let channel: ChunkChannel

    init(upstream: any ByteSource, channel: ChunkChannel) {
        self.upstream = upstream
        self.channel = channel
    }

    func run() {
        while let buffer = channel.freeBuffer() {
            do {
                let count = try upstream.read(into: buffer)
                channel.deliver(buffer, count: count)
                if count == 0 { return }
            } catch {
                channel.fail(error, returning: buffer)
                return
            }
        }
    }
}

/// Buffers passing between the reading thread and the decoder, in a FIFO of filled chunks and a
/// pool of free ones (`depth` in all, allocated as first needed).
///
/// Thread safety: every stored property but `chunkSize` and `depth` (constants) is read and
/// written only with `mutex` held, and the threads wait on `changed` (broadcast on every change)
/// for the state they need. A buffer's bytes are written only by the reading thread while it
/// holds the buffer outside the channel, and read only by the decoder after `take` hands it over
/// under the mutex, so the two never touch one buffer at once.
private final class ChunkChannel {
    struct Chunk {
        let buffer: UnsafeMutableRawBufferPointer
        let count: Int
    }

    private enum Ending {
        case reading
        case end
        case failed(ListingInputError)
    }

    let chunkSize: Int
    let depth: Int
    // pthread objects must not move once initialized: they live on the heap.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var filled: [Chunk] = []
    private var filledStart = 0
    private var free: [UnsafeMutableRawBufferPointer] = []
    private var allocated: [UnsafeMutableRawBufferPointer] = []
    private var ending = Ending.reading
    private var cancelled = false

    init(chunkSize: Int, depth: Int) {
        self.chunkSize = chunkSize
        self.depth = max(depth, 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        // Neither thread holds the channel any more.
        for buffer in allocated { buffer.deallocate() }
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    private func locked<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    private func wait() { pthread_cond_wait(changed, mutex) }
    private func signal() { pthread_cond_broadcast(changed) }

    // MARK: The reading thread

    /// A buffer to fill, once one is free; nil when the decoder has stopped.
    func freeBuffer() -> UnsafeMutableRawBufferPointer? {
        locked {
            while !cancelled && free.isEmpty && allocated.count == depth { wait() }
            if cancelled { return nil }
            if let buffer = free.popLast() { return buffer }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            allocated.append(buffer)
            return buffer
        }
    }

    /// Hands over a filled buffer; a count of 0 is the end of the stream.
    func deliver(_ buffer: UnsafeMutableRawBufferPointer, count: Int) {
        locked {
            if count == 0 {
                free.append(buffer)
                ending = .end
            } else {
                filled.append(Chunk(buffer: buffer, count: count))
            }
            signal()
        }
    }

    /// The stream failed after the chunks already delivered.
    func fail(_ error: ListingInputError, returning buffer: UnsafeMutableRawBufferPointer) {
        locked {
            free.append(buffer)
            ending = .failed(error)
            signal()
        }
    }

    // MARK: The decoder

    /// The next chunk, waiting for it; nil at the end; the stream's error once every chunk
    /// before it was taken.
    func take() throws(ListingInputError) -> Chunk? {
        try locked { () throws(ListingInputError) -> Chunk? in
            while true {
                if filledStart < filled.count {
                    let chunk = filled[filledStart]
                    filledStart += 1
                    if filledStart == filled.count {
                        filled.removeAll(keepingCapacity: true)
                        filledStart = 0
                    }
                    return chunk
                }
                switch ending {
                case .reading: wait()
                case .end: return nil
                case .failed(let error): throw error
                }
            }
        }
    }

    /// A chunk's buffer is decoded: the reading thread may fill it again.
    func recycle(_ buffer: UnsafeMutableRawBufferPointer) {
        locked {
            free.append(buffer)
            signal()
        }
    }

    /// The decoder stops: the reading thread ends at its next wait.
    func cancel() {
        locked {
            cancelled = true
            signal()
        }
    }
}
