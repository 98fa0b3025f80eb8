import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// `HTTPTransport` over AsyncHTTPClient: pooled connections (reused across pages), TLS, timeouts.
public final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient
    /// Largest response body accepted (a ListBackupJobs page of 1000 jobs is about 1 MB).
    public static let maximumBodySize = 64 << 20

    public init(connectTimeout: Duration = .seconds(10)) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .nanoseconds(connectTimeout.nanoseconds)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        try? client.syncShutdown()
    }

    /// Closes the pooled connections; call once no request is in flight.
    public func shutdown() async {
        try? await client.shutdown()
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(timeout.nanoseconds))
            var body = try await response.body.collect(upTo: Self.maximumBodySize)
            let bytes = body.readBytes(length: body.readableBytes) ?? []
            return HTTPResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: bytes)
        } catch let error as HTTPClientError {
            throw Self.classify(error)
        } catch is CancellationError {
            throw TransportError(.permanent, "cancelled")
        } catch let error as ChannelError {
            throw TransportError(.connection, "connection failed: \(error)")
        } catch {
            throw TransportError(.connection, "\(error)")
        }
    }

    static func classify(_ error: HTTPClientError) -> TransportError {
        switch error {
        case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .getConnectionFromPoolTimeout:
            TransportError(.timeout, "timed out (\(error))")
        case .remoteConnectionClosed, .bodyLengthMismatch:
            TransportError(.connection, "the connection was closed before the response was complete")
        case .cancelled:
            TransportError(.permanent, "cancelled")
        case .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath:
            TransportError(.permanent, "invalid request: \(error)")
        default:
            TransportError(.connection, "\(error)")
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
