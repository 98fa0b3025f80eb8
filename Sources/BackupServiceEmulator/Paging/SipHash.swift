/// SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit pseudorandom function, used here as the
/// MAC and the keystream of page tokens. It keeps the emulator free of a crypto dependency; a
/// page token needs unforgeability against tests and buggy clients, not against nation states.
struct SipHash24 {
    var k0: UInt64
    var k1: UInt64

    init(k0: UInt64, k1: UInt64) {
        self.k0 = k0
        self.k1 = k1
    }

    /// A key derived from this one for another purpose (`label`), so one secret can key several
    /// independent functions.
    func derived(_ label: String) -> SipHash24 {
        SipHash24(k0: hash(Array((label + ".0").utf8)), k1: hash(Array((label + ".1").utf8)))
    }

    func hash(_ bytes: [UInt8]) -> UInt64 {
        var v0: UInt64 = k0 ^ 0x736f_6d65_7073_6575
        var v1: UInt64 = k1 ^ 0x646f_7261_6e64_6f6d
        var v2: UInt64 = k0 ^ 0x6c79_6765_6e65_7261
        var v3: UInt64 = k1 ^ 0x7465_6462_7974_6573

        @inline(__always)
        func round() {
            v0 &+= v1; v1 = rotate(v1, 13); v1 ^= v0; v0 = rotate(v0, 32)
            v2 &+= v3; v3 = rotate(v3, 16); v3 ^= v2
            v0 &+= v3; v3 = rotate(v3, 21); v3 ^= v0
            v2 &+= v1; v1 = rotate(v1, 17); v1 ^= v2; v2 = rotate(v2, 32)
        }

        let whole = bytes.count / 8 * 8
        var index = 0
        while index < whole {
            var m: UInt64 = 0
            for k in 0..<8 { m |= UInt64(bytes[index + k]) << (8 * UInt64(k)) }
            v3 ^= m
            round(); round()
            v0 ^= m
            index += 8
        }
        var last = UInt64(truncatingIfNeeded: bytes.count) << 56
        for k in 0..<(bytes.count - whole) { last |= UInt64(bytes[whole + k]) << (8 * UInt64(k)) }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }

    @inline(__always)
    private func rotate(_ x: UInt64, _ b: UInt64) -> UInt64 {
        (x << b) | (x >> (64 - b))
    }
}
