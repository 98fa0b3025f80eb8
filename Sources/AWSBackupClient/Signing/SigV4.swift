public import BackupJobs
import Crypto

/// AWS credentials: a key pair, with a session token and an expiry for temporary ones.
public struct Credentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    public var expiration: Timestamp?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Timestamp? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Never the secret: credentials can end up in logs through string interpolation.
    public var description: String {
        "Credentials(\(Redaction.accessKey(accessKeyID))\(sessionToken == nil ? "" : ", temporary")\(expiration.map { ", expires \($0)" } ?? ""))"
    }
}

/// An HTTP request as the signer sees it.
public struct SignableRequest: Sendable, Equatable {
    public var method: String
    /// The path, not percent-encoded (`/backup-jobs/`, `/example space/`).
    public var path: String
    /// Query parameters, not percent-encoded, in the order they are sent.
    public var query: [(name: String, value: String)]
    /// Header names as sent; duplicates allowed.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: SignableRequest, rhs: SignableRequest) -> Bool {
        lhs.method == rhs.method && lhs.path == rhs.path && lhs.body == rhs.body
            && lhs.query.map { [$0.name, $0.value] } == rhs.query.map { [$0.name, $0.value] }
            && lhs.headers.map { [$0.name, $0.value] } == rhs.headers.map { [$0.name, $0.value] }
    }

    /// The query string as sent on the wire, in the given order.
    public var encodedQuery: String {
        query.map { SigV4.percentEncode($0.name) + "=" + SigV4.percentEncode($0.value) }.joined(separator: "&")
    }

    /// The path as sent on the wire.
    public var encodedPath: String { SigV4.encodePath(path) }
}

/// AWS Signature Version 4, for services other than S3: the path is normalised and encoded once,
/// every query parameter and signed header goes into the canonical request.
public struct SigV4: Sendable {
    public var credentials: Credentials
    public var region: String
    public var service: String
    /// Remove `.`, `..` and empty segments from the path before signing (every service but S3).
    public var normalizesPath = true
    /// Add and sign `x-amz-content-sha256` (AWS SDKs do not for AWS Backup).
    public var signsBody = false
    /// Add the session token after signing, outside SignedHeaders (some services want that).
    public var omitsSessionTokenFromSignature = false

    public init(credentials: Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    static let algorithm = "AWS4-HMAC-SHA256"

    // MARK: Signing with the Authorization header

    /// The request with `X-Amz-Date`, `X-Amz-Security-Token` and `Authorization` added.
    public func sign(_ request: SignableRequest, at time: Timestamp) -> SignableRequest {
        var signed = request
        let (date, day) = Self.amzDate(time)
        signed.headers.append(("X-Amz-Date", date))
        let payloadHash = Self.hexSHA256(request.body)
        if signsBody { signed.headers.append(("X-Amz-Content-Sha256", payloadHash)) }
        if let token = credentials.sessionToken, !omitsSessionTokenFromSignature { signed.headers.append(("X-Amz-Security-Token", token)) }
        let (canonical, signedHeaders) = canonicalRequest(signed, payloadHash: payloadHash)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let signature = self.signature(stringToSign: stringToSign(canonical, date: date, scope: scope), day: day)
        signed.headers.append(("Authorization", "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"))
        if let token = credentials.sessionToken, omitsSessionTokenFromSignature { signed.headers.append(("X-Amz-Security-Token", token)) }
        return signed
    }

    // MARK: The parts

    /// The canonical request and the signed header names (`host;x-amz-date`).
    public func canonicalRequest(_ request: SignableRequest, payloadHash: String) -> (text: String, signedHeaders: String) {
        let headers = Self.canonicalHeaders(request.headers)
        let signedHeaders = headers.map(\.name).joined(separator: ";")
        let path = normalizesPath ? Self.normalizedPath(request.path) : request.path
        let query = request.query.map { (Self.percentEncode($0.name), Self.percentEncode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { $0.0 + "=" + $0.1 }.joined(separator: "&")
        let text = [
            request.method, Self.encodePath(path), query,
            headers.map { "\($0.name):\($0.value)\n" }.joined(), signedHeaders, payloadHash,
        ].joined(separator: "\n")
        return (text, signedHeaders)
    }

    public func stringToSign(_ canonicalRequest: String, date: String, scope: String) -> String {
        [Self.algorithm, date, scope, Self.hexSHA256(Array(canonicalRequest.utf8))].joined(separator: "\n")
    }

    func signature(stringToSign: String, day: String) -> String {
        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return Self.hex(Array(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key)))
    }

    /// Header names lower-cased and sorted; values trimmed with runs of blanks collapsed; names
    /// that repeat joined with `,` in order.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            if values[key] == nil { order.append(key) }
            values[key, default: []].append(collapseBlanks(value))
        }
        return order.sorted().map { ($0, values[$0]!.joined(separator: ",")) }
    }

    static func collapseBlanks(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    /// `/a/./b/../c//d` → `/a/c/d`, keeping a trailing slash.
    static func normalizedPath(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." { _ = segments.popLast(); continue }
            segments.append(segment)
        }
        let joined = "/" + segments.joined(separator: "/")
        return path.hasSuffix("/") && !segments.isEmpty ? joined + "/" : joined
    }

    static func encodePath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { percentEncode(String($0)) }.joined(separator: "/")
    }

    /// RFC 3986 encoding as AWS wants it: only `A-Z a-z 0-9 - _ . ~` stay as they are.
    public static func percentEncode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// `%E1%88%B4` → `ሴ`; malformed escapes are kept as they are.
    public static func percentDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count, let value = UInt8(String(decoding: utf8[i + 1...i + 2], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `20150830T123600Z` and `20150830`.
    static func amzDate(_ time: Timestamp) -> (date: String, day: String) {
        let iso = time.iso8601  // 2015-08-30T12:36:00.000Z
        let digits = iso.prefix(19).filter { $0 != "-" && $0 != ":" }
        return (digits + "Z", String(digits.prefix(8)))
    }

    static func hexSHA256(_ bytes: [UInt8]) -> String {
        hex(Array(SHA256.hash(data: bytes)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        Hex.lowercase(bytes)
    }
}

/// Keeps secrets out of output: what `--debug` and error messages show instead.
public enum Redaction {
    /// `AKIA…WXYZ`: enough to tell keys apart, not enough to use one.
    public static func accessKey(_ key: String) -> String {
        key.count > 8 ? String(key.prefix(4)) + "…" + String(key.suffix(4)) : "…"
    }

    /// Replaces every secret-bearing header value.
    public static func headers(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.map { header in
            switch header.name.lowercased() {
            case "authorization":
                // Keep the algorithm, scope and signed header names; drop the signature and key id.
                let kept = header.value.replacing(/Credential=[^\/]+/, with: "Credential=REDACTED").replacing(/Signature=[0-9a-f]+/, with: "Signature=REDACTED")
                return (header.name, kept)
            case "x-amz-security-token", "x-aws-ec2-metadata-token", "x-aws-ec2-metadata-token-ttl-seconds":
                return (header.name, header.name.lowercased().hasSuffix("ttl-seconds") ? header.value : "REDACTED")
            default:
                return header
            }
        }
    }
}
