import BackupJobs
import Dispatch
import Foundation
import Synchronization
import Testing

@testable import AWSBackupClient

#if canImport(Glibc)
import Glibc
#endif

// MARK: Environments

/// A temporary directory for one test: a fake home with `.aws/`, scripts, token files.
final class TemporaryHome: Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("backup-audit-creds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base.appendingPathComponent(".aws"), withIntermediateDirectories: true)
        path = base.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` at `relative` (under the home) and returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String, executable: Bool = false) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
        return full
    }

    func credentials(_ text: String) throws { try write(".aws/credentials", text) }
    func config(_ text: String) throws { try write(".aws/config", text) }
}

/// A clock tests move by hand.
final class ManualCredentialClock: Sendable {
    private let milliseconds: Mutex<Int64>

    init(_ start: Timestamp = Timestamp(iso8601: "2026-11-28T12:00:00Z")!) {
        milliseconds = Mutex(start.millisecondsSinceEpoch)
    }

    var now: Timestamp { Timestamp(millisecondsSinceEpoch: milliseconds.withLock { $0 }) }

    func advance(by duration: Duration) {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        milliseconds.withLock { $0 += ms }
    }

    var function: @Sendable () -> Timestamp { { [self] in now } }
}

enum CredentialWallClock {
    static func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}

enum CredentialTestTransports {
    /// One pooled client for every credential test that talks to a local server.
    static let http = AsyncHTTPTransport(connectTimeout: .seconds(2))
    /// A client that would wait a minute to connect: timing tests use it to show that the
    /// providers' own short timeouts are what ends a request.
    static let patient = AsyncHTTPTransport(connectTimeout: .seconds(60))
}

/// Variables every test starts from: a PATH for `/bin/sh` scripts, and the two services that
/// would otherwise reach the network turned off unless a test configures them.
func baseCredentialVariables(_ extra: [String: String] = [:]) -> [String: String] {
    var variables = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"]
    variables.merge(extra) { _, new in new }
    return variables
}

func makeCredentialEnvironment(
    _ variables: [String: String], home: TemporaryHome?, clock: @escaping @Sendable () -> Timestamp = CredentialWallClock.now,
    transport: any HTTPTransport = CredentialTestTransports.http
) -> ProviderEnvironment {
    ProviderEnvironment(variables: variables, home: home?.path, now: clock, transport: transport)
}

// MARK: Stub transports

/// Answers requests with a closure and records them: for checks that need no server (the
/// container host restriction, "no request was made").
final class StubCredentialTransport: HTTPTransport {
    private let handler: @Sendable (HTTPRequest) throws(TransportError) -> HTTPResponse
    private let recorded = Mutex<[HTTPRequest]>([])

    init(_ handler: @escaping @Sendable (HTTPRequest) throws(TransportError) -> HTTPResponse) {
        self.handler = handler
    }

    /// A transport that must not be used.
    static func unused() -> StubCredentialTransport {
        StubCredentialTransport { request throws(TransportError) in
            Issue.record("unexpected request: \(request.method) \(request.url)")
            throw TransportError(.permanent, "unexpected request")
        }
    }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        return try handler(request)
    }
}

/// Wraps a real transport and records what was sent.
final class RecordingCredentialTransport: HTTPTransport {
    let inner: any HTTPTransport
    private let recorded = Mutex<[HTTPRequest]>([])

    init(_ inner: any HTTPTransport = CredentialTestTransports.http) {
        self.inner = inner
    }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        recorded.withLock { $0.append(request) }
        return try await inner.send(request, timeout: timeout)
    }
}

extension HTTPRequest {
    func recordedHeader(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The form parameters of a Query-protocol body.
    var formParameters: [String: String] {
        var values: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { SigV4.percentDecode(String($0)) }
            values[parts[0]] = parts.count == 2 ? parts[1] : ""
        }
        return values
    }

    /// `AKIA…` of `Credential=AKIA…/20261128/us-east-1/sts/aws4_request`.
    var signingAccessKey: String? {
        guard let authorization = recordedHeader("Authorization"), let range = authorization.range(of: "Credential=") else { return nil }
        return String(authorization[range.upperBound...].prefix { $0 != "/" })
    }
}

/// A fake STS over the stub transport: answers AssumeRole and AssumeRoleWithWebIdentity with
/// keys derived from the role and the call number, and records every call.
final class FakeSTS: Sendable {
    let transport: StubCredentialTransport

    init(failWith error: (status: Int, code: String, message: String)? = nil) {
        let counter = Mutex(0)
        transport = StubCredentialTransport { request throws(TransportError) in
            let form = request.formParameters
            if let error {
                return HTTPResponse(status: error.status, body: Array("""
                    <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>\(error.code)</Code><Message>\(error.message)</Message></Error><RequestId>req-1</RequestId></ErrorResponse>
                    """.utf8))
            }
            let number = counter.withLock { value -> Int in value += 1; return value }
            let action = form["Action"] ?? "?"
            let role = form["RoleArn"]?.split(separator: "/").last.map(String.init) ?? "role"
            let session = form["RoleSessionName"] ?? "session"
            return HTTPResponse(status: 200, body: Array("""
                <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result>
                <Credentials><AccessKeyId>ASIAFAKE\(number)\(role.uppercased())</AccessKeyId><SecretAccessKey>secret-\(number)-\(role)</SecretAccessKey>
                <SessionToken>token-\(number)-\(role)</SessionToken><Expiration>2026-11-28T13:00:00Z</Expiration></Credentials>
                <AssumedRoleUser><AssumedRoleId>AROAFAKE:\(session)</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/\(role)/\(session)</Arn></AssumedRoleUser>
                </\(action)Result><ResponseMetadata><RequestId>req-\(number)</RequestId></ResponseMetadata></\(action)Response>
                """.utf8))
        }
    }

    var calls: [HTTPRequest] { transport.requests }
}

// MARK: Local servers (python3)

/// A Python program run by a test, started with `/usr/bin/env python3 -c`. It prints the port it
/// listens on as its first line, and exits when its standard input closes (so it never outlives
/// the test process) or when `stop()` terminates it.
final class CredentialPythonServer: @unchecked Sendable {
    let port: Int
    private let process: Process
    private let input: Pipe
    private let lock = NSLock()
    private var stopped = false

    init(script: String, arguments: [String] = []) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.input = input

        var line: [UInt8] = []
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            process.waitUntilExit()
            throw ServerError(message: "the Python server did not print its port (exit status \(process.terminationStatus))")
        }
        self.port = port
    }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func stop() {
        let shouldStop = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard shouldStop else { return }
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit {
        stop()
    }
}

/// A small HTTP server on 127.0.0.1 for the container and instance metadata endpoints (and STS
/// error answers): each route (`"PUT /latest/api/token"`) answers with a status and body, after
/// checking required headers (401 when one is missing or wrong), after an optional delay, and
/// with an optional pause between the response head and its body. Every request is logged;
/// `GET /_log` returns the log.
final class LocalCredentialHTTPServer: Sendable {
    struct Route: Encodable, Sendable {
        var status = 200
        var body = ""
        var require: [String: String] = [:]
        /// Seconds before the response.
        var delay: Double = 0
        /// Seconds between the response head and its body.
        var bodyDelay: Double = 0
        var contentType = "application/json"

        enum CodingKeys: String, CodingKey { case status, body, require, delay, bodyDelay = "body_delay", contentType = "content_type" }
    }

    struct LoggedRequest: Decodable, Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    let server: CredentialPythonServer

    init(routes: [String: Route]) throws {
        let json = String(decoding: try JSONEncoder().encode(routes), as: UTF8.self)
        server = try CredentialPythonServer(script: Self.script, arguments: [json])
    }

    var baseURL: String { server.baseURL }
    var port: Int { server.port }

    func log() async throws -> [LoggedRequest] {
        let response = try await CredentialTestTransports.http.send(HTTPRequest(method: "GET", url: baseURL + "/_log"), timeout: .seconds(5))
        return try JSONDecoder().decode([LoggedRequest].self, from: Data(response.body))
    }

    func stop() { server.stop() }

    static let script = #"""
import json, sys, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

routes = json.loads(sys.argv[1])
log = []
lock = threading.Lock()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        key = self.command + " " + self.path
        if key == "GET /_log":
            with lock:
                return self.reply(200, json.dumps(log))
        with lock:
            log.append({"method": self.command, "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body.decode("utf-8", "replace")})
        route = routes.get(key)
        if route is None:
            return self.reply(404, "no route for " + key, "text/plain")
        for name, value in route.get("require", {}).items():
            if self.headers.get(name) != value:
                return self.reply(401, "missing or wrong " + name, "text/plain")
        if route.get("delay"):
            time.sleep(route["delay"])
        self.reply(route.get("status", 200), route.get("body", ""), route.get("content_type", "application/json"), route.get("body_delay", 0))

    def reply(self, status, text, content_type="application/json", body_delay=0):
        data = text.encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body_delay:
                self.wfile.flush()
                time.sleep(body_delay)
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_PUT = do_POST = handle_any

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
"""#
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
func closedLoopbackPort() -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    return bound ? Int(UInt16(bigEndian: address.sin_port)) : 9
    #else
    return 9
    #endif
}

// MARK: Expectations

/// The error a throwing credential call failed with, or nil (and an issue) when it succeeded or
/// failed with another error.
func credentialError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> CredentialError? {
    do {
        try await body()
        Issue.record("expected a CredentialError, got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as CredentialError {
        return error
    } catch {
        Issue.record("expected a CredentialError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Checks that no secret appears in a message.
func expectNoSecrets(_ text: String, _ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    for secret in secrets {
        #expect(!text.contains(secret), "message leaks a secret: \(text)", sourceLocation: sourceLocation)
    }
}

let exampleAccessKey = "AKIAIOSFODNN7EXAMPLE"
let exampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
