#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Distinct strings of a listing (every table of it), each stored once and named by a small integer.
///
/// A listing repeats the same account ids, vault and role ARNs, states and plan ids on every
/// job; interning them keeps a million jobs in a few hundred megabytes and turns equality into
/// an integer comparison. Ids start at 1; 0 never names a string.
///
/// Decoding interns every string of every job, so the pool is plain memory behind a
/// copy-on-write reference: a lookup costs a hash, a probe and a `memcmp`, with no reference
/// counting.
public struct StringPool: Sendable {
    private var storage = Storage()

    public init() {}

    /// How many distinct strings the pool holds.
    public var count: Int { storage.count }

    /// The string with this id.
    public subscript(id: UInt32) -> String {
        String(decoding: storage.bytes(Int(id)), as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of string `id`.
    public func withUTF8<R>(_ id: UInt32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try withExtendedLifetime(storage) { try body(storage.bytes(Int(id))) }
    }

    /// The id of `string` if the pool holds it: a rule's literal compares with data by id.
    public func id(of string: String) -> UInt32? {
        var string = string
        return string.withUTF8 { utf8 in storage.lookup(utf8, hash: Self.hash(utf8)).found }
    }

    /// Whether two pools are one (tables of one listing share theirs, so their ids agree).
    func isSameStorage(as other: StringPool) -> Bool { storage === other.storage }

    /// The id of these bytes, adding them if new. The bytes must be valid UTF-8.
    @inline(__always)
    mutating func intern(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt32 {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage.intern(utf8, hash: Self.hash(utf8))
    }

    mutating func intern(_ string: String) -> UInt32 {
        var string = string
        return string.withUTF8 { intern($0) }
    }

    /// A fast 64-bit multiply-mix hash over eight bytes at a time, folded to 32 bits.
    @inline(__always)
    static func hash(_ utf8: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(utf8.count)
        guard let base = utf8.baseAddress else { return UInt32(truncatingIfNeeded: h) }
        let raw = UnsafeRawPointer(base)
        let count = utf8.count
        var i = 0
        while i + 8 <= count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < count {
            // The last eight bytes, overlapping ones already mixed; short strings byte by byte.
            var tail: UInt64 = 0
            if count >= 8 {
                tail = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            } else {
                for k in 0..<count { tail |= UInt64(base[k]) << UInt64(8 * k) }
            }
            h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        }
        h ^= h >> 29
        h = h &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 32
        return UInt32(truncatingIfNeeded: h)
    }
}

extension StringPool {
    /// The pool's memory. Mutated only through a uniquely referenced `StringPool`.
    private final class Storage: @unchecked Sendable {
        /// UTF-8 bytes of every string, back to back.
        private var bytes: UnsafeMutablePointer<UInt8>
        private var byteCount = 0
        private var byteCapacity: Int
        /// `ends[id]` is where string `id` ends in `bytes`; it starts at `ends[id - 1]`.
        private var ends: UnsafeMutablePointer<Int>
        private var hashes: UnsafeMutablePointer<UInt32>
        private var idCapacity: Int
        private(set) var count = 0
        /// Open addressing: each slot holds a string's hash (high half) and id (low half), 0 when
        /// empty, so a probe compares hashes without touching `hashes`. A power of two in size.
        private var slots: UnsafeMutablePointer<UInt64>
        private var slotCount: Int

        init(byteCapacity: Int = 1 << 16, idCapacity: Int = 1 << 10) {
            self.byteCapacity = byteCapacity
            self.idCapacity = idCapacity
            bytes = Self.allocate(byteCapacity)
            ends = Self.allocate(idCapacity + 1)
            ends[0] = 0
            hashes = Self.allocate(idCapacity + 1)
            slotCount = idCapacity * 2
            slots = Self.allocate(slotCount)
            slots.initialize(repeating: 0, count: slotCount)
        }

        deinit {
            free(bytes)
            free(ends)
            free(hashes)
            free(slots)
        }

        func copy() -> Storage {
            let copy = Storage(byteCapacity: byteCapacity, idCapacity: idCapacity)
            copy.bytes.update(from: bytes, count: byteCount)
            copy.byteCount = byteCount
            copy.ends.update(from: ends, count: count + 1)
            copy.hashes.update(from: hashes, count: count + 1)
            copy.count = count
            free(copy.slots)
            copy.slotCount = slotCount
            copy.slots = Self.allocate(slotCount)
            copy.slots.update(from: slots, count: slotCount)
            return copy
        }

        @inline(__always)
        func bytes(_ id: Int) -> UnsafeBufferPointer<UInt8> {
            precondition(id >= 1 && id <= count, "no string with id \(id)")
            let start = ends[id - 1]
            return UnsafeBufferPointer(start: bytes + start, count: ends[id] - start)
        }

        @inline(__always)
        func lookup(_ utf8: UnsafeBufferPointer<UInt8>, hash: UInt32) -> (found: UInt32?, slot: Int) {
            let mask = slotCount - 1
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot]
                if entry == 0 { return (nil, slot) }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let candidate = Int(UInt32(truncatingIfNeeded: entry))
                    let start = ends[candidate - 1]
                    if ends[candidate] - start == utf8.count && Self.equal(bytes + start, utf8) {
                        return (UInt32(candidate), slot)
                    }
                }
                slot = (slot + 1) & mask
            }
        }

        @inline(__always)
        func intern(_ utf8: UnsafeBufferPointer<UInt8>, hash: UInt32) -> UInt32 {
            let (found, slot) = lookup(utf8, hash: hash)
            if let found { return found }
            return insert(utf8, hash: hash, slot: slot)
        }

        private func insert(_ utf8: UnsafeBufferPointer<UInt8>, hash: UInt32, slot: Int) -> UInt32 {
            precondition(count < Int(UInt32.max) - 1, "more than 4 billion distinct strings")
            if byteCount + utf8.count > byteCapacity {
                byteCapacity = max(byteCapacity * 2, byteCount + utf8.count)
                bytes = Self.reallocate(bytes, byteCapacity)
            }
            if count == idCapacity {
                idCapacity *= 2
                ends = Self.reallocate(ends, idCapacity + 1)
                hashes = Self.reallocate(hashes, idCapacity + 1)
            }
            if let source = utf8.baseAddress { (bytes + byteCount).update(from: source, count: utf8.count) }
            byteCount += utf8.count
            count += 1
            ends[count] = byteCount
            hashes[count] = hash
            slots[slot] = Self.slotEntry(id: count, hash: hash)
            if count * 2 > slotCount { rehash() }
            return UInt32(count)
        }

        private func rehash() {
            free(slots)
            slotCount *= 2
            slots = Self.allocate(slotCount)
            slots.initialize(repeating: 0, count: slotCount)
            let mask = slotCount - 1
            for id in 1...count {
                var slot = Int(hashes[id]) & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Self.slotEntry(id: id, hash: hashes[id])
            }
        }

        @inline(__always)
        private static func slotEntry(id: Int, hash: UInt32) -> UInt64 {
            UInt64(hash) << 32 | UInt64(id)
        }

        /// Byte equality, eight bytes at a time: the strings are short, a `memcmp` call costs more.
        @inline(__always)
        private static func equal(_ stored: UnsafeMutablePointer<UInt8>, _ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
            let count = utf8.count
            guard let other = utf8.baseAddress else { return true }
            let a = UnsafeRawPointer(stored), b = UnsafeRawPointer(other)
            if count < 8 {
                for k in 0..<count where stored[k] != other[k] { return false }
                return true
            }
            var i = 0
            while i + 8 <= count {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                    return false
                }
                i += 8
            }
            return i == count
                || a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }

        // malloc and realloc rather than Swift's allocate: glibc grows large blocks in place
        // with mremap, so doubling a 200 MB arena does not hold two copies of it.
        private static func allocate<T: BitwiseCopyable>(_ count: Int) -> UnsafeMutablePointer<T> {
            guard let memory = malloc(count * MemoryLayout<T>.stride) else { fatalError("out of memory") }
            return memory.bindMemory(to: T.self, capacity: count)
        }

        private static func reallocate<T: BitwiseCopyable>(_ old: UnsafeMutablePointer<T>, _ count: Int) -> UnsafeMutablePointer<T> {
            guard let memory = realloc(old, count * MemoryLayout<T>.stride) else { fatalError("out of memory") }
            return memory.bindMemory(to: T.self, capacity: count)
        }
    }
}
