/// Issues and checks `NextToken`s.
///
/// A token is the standard base64 of 33 bytes:
///
/// | bytes | content |
/// |---|---|
/// | 0 | format version, 1 |
/// | 1–8 | a random nonce |
/// | 9–24 | encrypted: the catalog position to continue from (UInt64, big-endian), then the digest of the filters it was issued for (UInt64) |
/// | 25–32 | tag: SipHash-2-4 of bytes 0–24 under the MAC key |
///
/// The encryption is a SipHash keystream over the nonce, so two tokens for the same position look
/// unrelated and a client cannot compute positions. The keys derive from one 128-bit secret
/// (random per emulator unless configured), so tokens do not survive a restart with another
/// secret, just as AWS tokens are meaningless elsewhere. A token is rejected when it does not
/// decode, its tag does not verify (tampering, or another emulator's token), it was issued for
/// other filters, or it points past the end of the catalog. `maxResults` may change between pages,
/// as AWS allows.
struct PageTokenCodec: Sendable {
    private let encryption: SipHash24
    private let authentication: SipHash24
    private let filterDigest: SipHash24
    static let version: UInt8 = 1
    static let length = 33

    init(secret: (UInt64, UInt64)) {
        let master = SipHash24(k0: secret.0, k1: secret.1)
        encryption = master.derived("page-token.encryption")
        authentication = master.derived("page-token.authentication")
        filterDigest = master.derived("page-token.filters")
    }

    func digest(ofFilters fingerprint: [UInt8]) -> UInt64 {
        filterDigest.hash(fingerprint)
    }

    func issue(position: Int, filters: UInt64) -> String {
        let nonce = UInt64.random(in: .min ... .max)
        var bytes: [UInt8] = [Self.version]
        bytes += Self.bigEndian(nonce)
        let stream = keystream(nonce)
        bytes += Self.bigEndian(UInt64(position) ^ stream.0)
        bytes += Self.bigEndian(filters ^ stream.1)
        bytes += Self.bigEndian(authentication.hash(bytes))
        return Base64.encode(bytes)
    }

    enum Rejection: Error, Equatable {
        case malformed, forged, otherFilters, outOfRange
    }

    /// The position a token continues from.
    func open(_ token: String, filters: UInt64, catalogCount: Int) throws(Rejection) -> Int {
        guard let bytes = Base64.decode(token), bytes.count == Self.length, bytes[0] == Self.version else { throw .malformed }
        let tag = Self.readBigEndian(bytes, at: 25)
        guard authentication.hash(Array(bytes[0..<25])) == tag else { throw .forged }
        let stream = keystream(Self.readBigEndian(bytes, at: 1))
        let position = Self.readBigEndian(bytes, at: 9) ^ stream.0
        guard Self.readBigEndian(bytes, at: 17) ^ stream.1 == filters else { throw .otherFilters }
        guard position <= UInt64(catalogCount) else { throw .outOfRange }
        return Int(position)
    }

    private func keystream(_ nonce: UInt64) -> (UInt64, UInt64) {
        let base = Self.bigEndian(nonce)
        return (encryption.hash(base + [0]), encryption.hash(base + [1]))
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 << 8 | UInt64(bytes[offset + $1]) }
    }
}
