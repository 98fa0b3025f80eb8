import AWSBackupClient
import BackupJobs

/// A request as it arrived: method, the path and query decoded from the request target, headers
/// in order, body.
struct ReceivedRequest {
    var method: String
    var path: String
    var query: [(name: String, value: String)]
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// Splits `/backup-jobs/?a=1&b=%3A` into the decoded path and parameters. Parameters keep the
    /// order they were sent in; `+` stays `+` (SigV4 encodes spaces as `%20`).
    init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.headers = headers
        self.body = body
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = SigV4.percentDecode(String(parts[0]))
        query = parts.count < 2 ? [] : parts[1].split(separator: "&").map { pair in
            let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (SigV4.percentDecode(String(nameValue[0])), nameValue.count == 2 ? SigV4.percentDecode(String(nameValue[1])) : "")
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name }?.value
    }
}

/// Checks AWS Signature Version 4 in the `Authorization` header, as AWS does: it recomputes the
/// signature from the request as received (method, path, query, the headers named in
/// `SignedHeaders`, the body's hash, `X-Amz-Date`, and the region and service of the credential
/// scope) with `SigV4`, and compares.
///
/// Rejections (all 403), in the order they are checked:
/// - no `Authorization`: `MissingAuthenticationTokenException`;
/// - not `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`, no or malformed
///   `X-Amz-Date`: `IncompleteSignatureException`;
/// - `host` or `x-amz-date` not signed, a scope whose date differs from `X-Amz-Date`, whose
///   service is not `backup`, whose terminator is not `aws4_request`, or whose region is not the
///   configured one: `InvalidSignatureException`;
/// - `X-Amz-Date` more than the allowed skew (15 minutes) from the server's clock:
///   `InvalidSignatureException` "Signature expired" (or "not yet current");
/// - an access key not configured: `UnrecognizedClientException`;
/// - a session token that differs from the configured one, or one sent for a key without one:
///   `UnrecognizedClientException`; none sent for a key with one, or credentials past their
///   expiration: `ExpiredTokenException`;
/// - a different signature: `InvalidSignatureException`, with the canonical request and string to
///   sign the server computed, as AWS services send them.
struct SignatureVerifier {
    var credentials: [String: Credentials]
    /// The region the scope must name; `nil` accepts any.
    var region: String?
    /// Regions that answer as an opt-in Region the account has not enabled does.
    var disabledRegions: Set<String> = []
    var maximumSkewMilliseconds: Int64
    static let service = "backup"
    static let algorithm = "AWS4-HMAC-SHA256"
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The key the request was signed with, or why it is rejected.
    func verify(_ request: ReceivedRequest, now: Timestamp) -> Result<Credentials, EmulatedErrorResponse> {
        guard let authorization = request.header("authorization") else {
            return .failure(Self.reject("MissingAuthenticationTokenException", "Missing Authentication Token"))
        }
        let header: AuthorizationHeader
        switch AuthorizationHeader.parse(authorization) {
        case .success(let parsed): header = parsed
        case .failure(let error): return .failure(error)
        }
        guard let date = request.header("x-amz-date") else {
            return .failure(Self.reject("IncompleteSignatureException",
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=\(Self.redacted(authorization))"))
        }
        guard let time = Self.parseAmzDate(date) else {
            return .failure(Self.reject("IncompleteSignatureException",
                "Date must be in ISO-8601 'basic format'. Got '\(date)'. See http://en.wikipedia.org/wiki/ISO_8601"))
        }
        let signedNames = header.signedHeaders.split(separator: ";").map(String.init)
        guard signedNames.contains("host") else {
            return .failure(Self.reject("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."))
        }
        guard signedNames.contains("x-amz-date") else {
            return .failure(Self.reject("InvalidSignatureException", "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."))
        }
        let scope = header.scope
        guard scope.day == String(date.prefix(8)) else {
            return .failure(Self.reject("InvalidSignatureException",
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scope.day)' != '\(date.prefix(8))', from '\(date)'."))
        }
        guard scope.service == Self.service else {
            return .failure(Self.reject("InvalidSignatureException", "Credential should be scoped to correct service: '\(Self.service)'. "))
        }
        if disabledRegions.contains(scope.region) {
            // What AWS answers in an opt-in Region the account has not enabled.
            return .failure(Self.reject("UnrecognizedClientException", "The security token included in the request is invalid."))
        }
        if let region, scope.region != region {
            return .failure(Self.reject("InvalidSignatureException", "Credential should be scoped to a valid region, not '\(scope.region)'. "))
        }
        guard scope.terminator == "aws4_request" else {
            return .failure(Self.reject("InvalidSignatureException",
                "Credential should be scoped with a valid terminator: 'aws4_request', not '\(scope.terminator)'. "))
        }
        let skew = time.millisecondsSinceEpoch - now.millisecondsSinceEpoch
        if abs(skew) > maximumSkewMilliseconds {
            let minutes = maximumSkewMilliseconds / 60_000
            let message = skew < 0
                ? "Signature expired: \(date) is now earlier than \(Self.amzDate(now.millisecondsSinceEpoch - maximumSkewMilliseconds)) (\(Self.amzDate(now.millisecondsSinceEpoch)) - \(minutes) min.)"
                : "Signature not yet current: \(date) is still later than \(Self.amzDate(now.millisecondsSinceEpoch + maximumSkewMilliseconds)) (\(Self.amzDate(now.millisecondsSinceEpoch)) + \(minutes) min.)"
            return .failure(Self.reject("InvalidSignatureException", message))
        }
        guard let key = credentials[scope.accessKeyID] else {
            return .failure(Self.reject("UnrecognizedClientException", "The security token included in the request is invalid."))
        }
        let sentToken = request.header("x-amz-security-token")
        if let expected = key.sessionToken {
            guard let sentToken else {
                return .failure(Self.reject("ExpiredTokenException", "The security token included in the request is expired"))
            }
            guard sentToken == expected else {
                return .failure(Self.reject("UnrecognizedClientException", "The security token included in the request is invalid."))
            }
        } else if sentToken != nil {
            return .failure(Self.reject("UnrecognizedClientException", "The security token included in the request is invalid."))
        }
        if let expiration = key.expiration, now >= expiration {
            return .failure(Self.reject("ExpiredTokenException", "The security token included in the request is expired"))
        }

        // Recompute: the signed headers as received, minus the two `sign` adds itself.
        let tokenIsSigned = signedNames.contains("x-amz-security-token")
        let kept = request.headers.filter { header in
            let name = header.name.lowercased()
            return signedNames.contains(name) && name != "x-amz-date" && name != "x-amz-security-token"
        }
        let signer = SigV4(
            credentials: Credentials(accessKeyID: key.accessKeyID, secretAccessKey: key.secretAccessKey, sessionToken: tokenIsSigned ? sentToken : nil),
            region: scope.region, service: scope.service)
        let unsigned = SignableRequest(method: request.method, path: request.path, query: request.query, headers: kept, body: request.body)
        let signed = signer.sign(unsigned, at: time)
        let expected = signed.headers.last { $0.name == "Authorization" }.flatMap { AuthorizationHeader.parse($0.value).success }
        guard let expected, expected.signature == header.signature.lowercased(), expected.signedHeaders == header.signedHeaders else {
            var message = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
            if request.body.isEmpty {
                let canonical = signer.canonicalRequest(
                    SignableRequest(method: signed.method, path: signed.path, query: signed.query,
                                    headers: signed.headers.filter { $0.name != "Authorization" }, body: signed.body),
                    payloadHash: Self.emptyPayloadHash).text
                let stringToSign = signer.stringToSign(canonical, date: date, scope: scope.text)
                message += "\n\nThe Canonical String for this request should have been\n'\(canonical)'\n\nThe String-to-Sign should have been\n'\(stringToSign)'\n"
            }
            return .failure(Self.reject("InvalidSignatureException", message))
        }
        return .success(key)
    }

    static func reject(_ type: String, _ message: String) -> EmulatedErrorResponse {
        EmulatedErrorResponse(status: 403, type: type, message: message)
    }

    /// `20150830T123600Z` → the instant; `nil` unless exactly that shape and a valid time.
    static func parseAmzDate(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
              (bytes[0..<8] + bytes[9..<15]).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        let s = { (range: Range<Int>) in String(decoding: bytes[range], as: UTF8.self) }
        return Timestamp(iso8601: "\(s(0..<4))-\(s(4..<6))-\(s(6..<8))T\(s(9..<11)):\(s(11..<13)):\(s(13..<15))Z")
    }

    /// Epoch milliseconds as `20150830T123600Z`.
    static func amzDate(_ milliseconds: Int64) -> String {
        let iso = Timestamp(millisecondsSinceEpoch: milliseconds).iso8601
        return String(iso.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }

    /// The header with the key id and signature hidden, for messages.
    static func redacted(_ authorization: String) -> String {
        Redaction.headers([("Authorization", authorization)])[0].value
    }
}

/// `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/backup/aws4_request, SignedHeaders=host;x-amz-date, Signature=…`
struct AuthorizationHeader {
    struct Scope {
        var accessKeyID: String
        var day: String
        var region: String
        var service: String
        var terminator: String
        var text: String { "\(day)/\(region)/\(service)/\(terminator)" }
    }

    var scope: Scope
    var signedHeaders: String
    var signature: String

    static func parse(_ value: String) -> Result<AuthorizationHeader, EmulatedErrorResponse> {
        let trimmed = value.drop { $0 == " " }
        let algorithm = trimmed.prefix { $0 != " " }
        guard algorithm == SignatureVerifier.algorithm else {
            return .failure(SignatureVerifier.reject("IncompleteSignatureException",
                "Unsupported AWS 'algorithm': '\(algorithm)'. Authorization=\(SignatureVerifier.redacted(value))"))
        }
        var parameters: [String: String] = [:]
        for part in trimmed.dropFirst(algorithm.count).split(separator: ",") {
            let pair = part.trimmingBlanks.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            parameters[String(pair[0])] = String(pair[1])
        }
        let missing = ["Credential", "Signature", "SignedHeaders"].filter { (parameters[$0] ?? "").isEmpty }
        guard missing.isEmpty else {
            let message = missing.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " ")
            return .failure(SignatureVerifier.reject("IncompleteSignatureException", "\(message) Authorization=\(SignatureVerifier.redacted(value))"))
        }
        let credential = parameters["Credential"]!.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard credential.count == 5, !credential[0].isEmpty else {
            return .failure(SignatureVerifier.reject("IncompleteSignatureException",
                "Credential should be scoped to a valid access key id, date, region, service and terminator, as KEY/YYYYMMDD/REGION/SERVICE/aws4_request. Authorization=\(SignatureVerifier.redacted(value))"))
        }
        return .success(AuthorizationHeader(
            scope: Scope(accessKeyID: credential[0], day: credential[1], region: credential[2], service: credential[3], terminator: credential[4]),
            signedHeaders: parameters["SignedHeaders"]!, signature: parameters["Signature"]!))
    }
}

extension Result {
    fileprivate var success: Success? {
        if case .success(let value) = self { value } else { nil }
    }
}

extension Substring {
    fileprivate var trimmingBlanks: Substring {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { formIndex(after: &start) }
        while end > start, self[index(before: end)] == " " || self[index(before: end)] == "\t" { formIndex(before: &end) }
        return self[start..<end]
    }
}
