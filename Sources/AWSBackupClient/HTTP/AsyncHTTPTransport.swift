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

    /// Sends `request`; `timeout` bounds the whole exchange: connecting, sending, the response
    /// head and the whole body.
    ///
    /// The deadline is the event loop's (AsyncHTTPClient's `HTTPClient.Task` API), not the
    /// async `execute(_:timeout:)`: that one stops applying once the response head arrives (a
    /// server that sends a head and stalls the body would hold the request forever), and it
    /// cancels through a Swift task, so while the cooperative thread pool is busy (two threads on
    /// a 2-core machine) a 1 s deadline could fire after a minute, when the answer it was meant to
    /// give up on had arrived.
    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        do {
            var headers = HTTPHeaders()
            for (name, value) in request.headers { headers.add(name: name, value: value) }
            let outgoing = try HTTPClient.Request(
                url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers,
                body: request.body.isEmpty ? nil : .bytes(request.body))
            let task = client.execute(
                request: outgoing, delegate: ResponseAccumulator(request: outgoing, maxBodySize: Self.maximumBodySize),
                deadline: .now() + .nanoseconds(timeout.nanoseconds))
            let response = try await withTaskCancellationHandler {
                try await task.get()
            } onCancel: {
                task.cancel()
            }
            var body = response.body ?? ByteBuffer()
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
