/// The bytes the decoder is looking at: what has been read and not yet committed.
///
/// After each refill the window starts at the decoder's last committed position, so a unit
/// (one job) cut by the end of the previous read is whole again once more bytes arrive.
final class ReadWindow {
    private var buffer: UnsafeMutableRawBufferPointer
    /// The absolute offset in the stream of the window's first byte.
    private(set) var start = 0
    /// Bytes of the window holding data.
    private(set) var count = 0
    /// The stream has ended: no bytes follow the window.
    private(set) var isFinal = false

    init(capacity: Int) {
        buffer = .allocate(byteCount: max(capacity, 16), alignment: 16)
    }

    deinit { buffer.deallocate() }

    var base: UnsafePointer<UInt8> {
        UnsafePointer(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
    }

    /// Drops the bytes before `offset` (absolute), then reads more after the rest; doubles the
    /// buffer when one unit fills it.
    func refill(keepingFrom offset: Int, from source: any ByteSource) throws(ListingInputError) {
        let keep = offset - start
        if keep > 0 {
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + keep, byteCount: count - keep)
            start = offset
            count -= keep
        }
        if count == buffer.count {
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            larger.copyMemory(from: UnsafeRawBufferPointer(buffer))
            buffer.deallocate()
            buffer = larger
        }
        let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[count...]))
        if read == 0 { isFinal = true } else { count += read }
    }
}
