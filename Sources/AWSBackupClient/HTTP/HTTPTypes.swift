/// One HTTP exchange, independent of the client library: what signing, retries and the API code
/// work with. `AsyncHTTPTransport` sends it with AsyncHTTPClient.
public struct HTTPRequest: Sendable {
    public var method: String
    /// `https://backup.us-east-1.amazonaws.com/backup-jobs/?state=FAILED`, already percent-encoded.
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}

/// Sends requests. Errors are `TransportError`s: they say what failed and whether a retry may help.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse
}

/// A request that got no HTTP response.
public struct TransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Connection refused, reset or closed before the response: retrying may help.
        case connection
        /// No response in time: retrying may help.
        case timeout
        /// TLS failed, the URL is malformed, the request was cancelled: retrying will not help.
        case permanent
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
