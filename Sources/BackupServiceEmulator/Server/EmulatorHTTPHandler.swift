import NIOCore
import NIOHTTP1

/// One connection's HTTP/1.1 requests to the service. Runs on the connection's event loop; the
/// pipeline's `HTTPServerPipelineHandler` keeps responses in request order on keep-alive
/// connections and holds back pipelined requests until the current response is written.
final class EmulatorHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Bodies are not part of ListBackupJobs; this bounds what a confused client can make us hold.
    static let maximumBodySize = 1 << 20

    private let service: ListService
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false

    init(service: ListService) {
        self.service = service
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = []
            bodyTooLarge = false
        case .body(var chunk):
            if body.count + chunk.readableBytes > Self.maximumBodySize {
                bodyTooLarge = true
            } else if let bytes = chunk.readBytes(length: chunk.readableBytes) {
                body += bytes
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let keepAlive = requestHead.isKeepAlive
            let outcome: ServiceOutcome
            if bodyTooLarge {
                let error = EmulatedErrorResponse(status: 413, type: "RequestEntityTooLargeException", message: "Request body too large")
                var buffer = context.channel.allocator.buffer(capacity: 128)
                buffer.writeBytes(error.body)
                outcome = ServiceOutcome(action: .respond(status: 413, headers: [("x-amzn-ErrorType", error.type)], body: buffer), delay: .zero)
            } else {
                let request = ReceivedRequest(
                    method: requestHead.method.rawValue, target: requestHead.uri,
                    headers: requestHead.headers.map { ($0.name, $0.value) }, body: body)
                outcome = service.handle(request, allocator: context.channel.allocator)
            }
            body = []
            if outcome.delay > .zero {
                let nanoseconds = outcome.delay.components.seconds * 1_000_000_000 + outcome.delay.components.attoseconds / 1_000_000_000
                context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) {
                    self.perform(outcome.action, version: requestHead.version, keepAlive: keepAlive, context: context)
                }
            } else {
                perform(outcome.action, version: requestHead.version, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func perform(_ action: ServiceOutcome.Action, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        switch action {
        case .drop:
            context.close(promise: nil)
        case .respond(let status, let headers, let body):
            context.write(wrapOutboundOut(.head(responseHead(status, headers, length: body.readableBytes, version: version, keepAlive: keepAlive))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            if keepAlive {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            }
        case .cut(let status, let headers, var body, let bytes):
            context.write(wrapOutboundOut(.head(responseHead(status, headers, length: body.readableBytes, version: version, keepAlive: keepAlive))), promise: nil)
            let part = body.readSlice(length: bytes) ?? body
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(part)))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    private func responseHead(_ status: Int, _ headers: [(name: String, value: String)], length: Int, version: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        var fields = HTTPHeaders(headers)
        fields.add(name: "Content-Length", value: String(length))
        if !keepAlive { fields.add(name: "Connection", value: "close") }
        return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: fields)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
