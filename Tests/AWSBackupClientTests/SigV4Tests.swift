import BackupJobs
import Foundation
import Testing

@testable import AWSBackupClient

/// The official AWS Signature Version 4 test suite (shared/sigv4-testsuite): every case, for the
/// Authorization header and for presigned URLs.
@Suite(.enabled(if: SharedMaterial.isUsable, "needs ../shared/sigv4-testsuite (set BACKUP_AUDIT_SHARED)"))
struct SigV4Tests {
    static let suite = SharedMaterial.root.appendingPathComponent("sigv4-testsuite/v4")

    static var cases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: suite.path)) ?? []).sorted()
    }

    struct Context: Decodable {
        struct Keys: Decodable {
            let access_key_id: String
            let secret_access_key: String
            let token: String?
        }
        let credentials: Keys
        let region: String
        let service: String
        let timestamp: String
        let normalize: Bool
        let sign_body: Bool
        let omit_session_token: Bool?
        let expiration_in_seconds: Int
    }

    /// `request.txt`: the request line, headers (a line starting with blanks continues the one
    /// before), then the body after an empty line.
    static func request(_ text: String) -> SignableRequest {
        var lines = text.components(separatedBy: "\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        let target = requestLine[1...requestLine.count - 2].joined(separator: " ")
        var headers: [(name: String, value: String)] = []
        var bodyLines: [String] = []
        var inBody = false
        for line in lines {
            if inBody { bodyLines.append(line); continue }
            if line.isEmpty { inBody = true; continue }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            let colon = line.firstIndex(of: ":")!
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let query: [(name: String, value: String)] = parts.count == 2 ? parts[1].split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return (SigV4.percentDecode(kv[0]), SigV4.percentDecode(kv.count == 2 ? kv[1] : ""))
        } : []
        return SignableRequest(method: String(requestLine[0]), path: parts[0], query: query, headers: headers, body: Array(bodyLines.joined(separator: "\n").utf8))
    }

    func load(_ name: String) throws -> (SigV4, SignableRequest, Timestamp, Context) {
        let directory = Self.suite.appendingPathComponent(name)
        let context = try JSONDecoder().decode(Context.self, from: Data(contentsOf: directory.appendingPathComponent("context.json")))
        var signer = SigV4(
            credentials: Credentials(accessKeyID: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key,
                                     sessionToken: context.credentials.token),
            region: context.region, service: context.service)
        signer.normalizesPath = context.normalize
        signer.signsBody = context.sign_body
        signer.omitsSessionTokenFromSignature = context.omit_session_token ?? false
        let request = Self.request(try String(contentsOf: directory.appendingPathComponent("request.txt"), encoding: .utf8))
        return (signer, request, Timestamp(iso8601: context.timestamp)!, context)
    }

    func expected(_ name: String, _ file: String) throws -> String {
        try String(contentsOf: Self.suite.appendingPathComponent(name).appendingPathComponent(file), encoding: .utf8)
    }

    @Test(arguments: cases)
    func headerSigning(_ name: String) throws {
        let (signer, request, time, _) = try load(name)
        let signed = signer.sign(request, at: time)
        let authorization = try #require(signed.headers.last { $0.name == "Authorization" }?.value)
        let signature = String(authorization.split(separator: "=").last!)
        #expect(signature == (try expected(name, "header-signature.txt")), "\(name)")
        // The canonical request is the one the suite spells out.
        var forCanonical = request
        forCanonical.headers.append(("X-Amz-Date", "20150830T123600Z"))
        if signer.signsBody { forCanonical.headers.append(("X-Amz-Content-Sha256", SigV4.hexSHA256(request.body))) }
        if let token = signer.credentials.sessionToken, !signer.omitsSessionTokenFromSignature { forCanonical.headers.append(("X-Amz-Security-Token", token)) }
        let canonical = signer.canonicalRequest(forCanonical, payloadHash: SigV4.hexSHA256(request.body)).text
        #expect(canonical == (try expected(name, "header-canonical-request.txt")), "\(name)")
    }

    @Test func thereAreThirtyEightCases() {
        #expect(Self.cases.count == 38)
    }

    @Test func botocoresListBackupJobsExample() {
        // SOURCES.md: botocore signing ListBackupJobs with the example keys, us-east-1, no parameters.
        let signer = SigV4(credentials: Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                           region: "us-east-1", service: "backup")
        let request = SignableRequest(method: "GET", path: "/backup-jobs/", headers: [("Host", "backup.us-east-1.amazonaws.com")])
        let signed = signer.sign(request, at: Timestamp(iso8601: "2015-08-30T12:36:00Z")!)
        #expect(signed.headers.last?.value.hasSuffix("Signature=e566d66eebb2f6fb8698cb63c9f3a19f7d44ef9d663c330921d98ea173578e40") == true)
    }

    @Test func secretsNeverPrint() {
        let credentials = Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", sessionToken: "token-secret")
        #expect("\(credentials)" == "Credentials(AKIA…MPLE, temporary)")
        let signed = SigV4(credentials: credentials, region: "us-east-1", service: "backup")
            .sign(SignableRequest(method: "GET", path: "/", headers: [("Host", "h")]), at: Timestamp(millisecondsSinceEpoch: 0))
        let shown = Redaction.headers(signed.headers).map { "\($0.name): \($0.value)" }.joined(separator: "\n")
        #expect(!shown.contains("token-secret") && !shown.contains("AKIAIOSFODNN7EXAMPLE") && !shown.contains("wJalr"))
        #expect(shown.contains("SignedHeaders=host;x-amz-date;x-amz-security-token"))
    }
}
