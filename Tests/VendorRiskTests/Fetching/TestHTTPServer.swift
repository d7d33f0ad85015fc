import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// What the test server does with one request.
enum TestResponse: Sendable {
    /// A complete response with a `Content-Length`.
    case send(status: HTTPResponseStatus = .ok, headers: [(String, String)] = [], body: [UInt8] = [])
    /// Headers, then the body one byte every `interval` (a server that drips).
    case drip(headers: [(String, String)], body: [UInt8], interval: TimeAmount)
    /// A chunked body generated as the client reads it: `prefix`, then `unit` repeated until
    /// `total` bytes, written only as the socket drains (backpressure), so memory stays flat.
    case generate(prefix: [UInt8], unit: [UInt8], total: Int)
    /// Headers promising `declaredLength` bytes, `partial` of them, then a TCP reset.
    case reset(declaredLength: Int, partial: [UInt8])

    static func send(_ text: String, status: HTTPResponseStatus = .ok, headers: [(String, String)] = []) -> TestResponse {
        .send(status: status, headers: headers, body: Array(text.utf8))
    }
}

/// One request as the server saw it.
struct RecordedRequest: Sendable {
    let path: String
    let headers: HTTPHeaders
}

/// A small HTTP/1.1 server on 127.0.0.1 with a random port, started by a test: the fetcher
/// tests never reach any other address.
final class TestHTTPServer: Sendable {
    let port: Int
    private let channel: any Channel
    private let stats: Stats

    final class Stats: Sendable {
        private let state = NIOLockedValueBox<(requests: [RecordedRequest], bodyBytes: Int)>(([], 0))
        func record(_ request: RecordedRequest) { state.withLockedValue { $0.requests.append(request) } }
        func sent(_ bytes: Int) { state.withLockedValue { $0.bodyBytes += bytes } }
        var requests: [RecordedRequest] { state.withLockedValue { $0.requests } }
        var bodyBytes: Int { state.withLockedValue { $0.bodyBytes } }
    }

    private init(port: Int, channel: any Channel, stats: Stats) {
        self.port = port
        self.channel = channel
        self.stats = stats
    }

    /// Starts a server answering every request with `route(request)`.
    static func start(_ route: @escaping @Sendable (RecordedRequest) -> TestResponse) async throws -> TestHTTPServer {
        let stats = Stats()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(Handler(route: route, stats: stats))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw ServerError.noPort }
        return TestHTTPServer(port: port, channel: channel, stats: stats)
    }

    /// Runs `body` with a started server and stops the server afterwards.
    static func with<R>(isolation: isolated (any Actor)? = #isolation,
                        _ route: @escaping @Sendable (RecordedRequest) -> TestResponse,
                        _ body: (TestHTTPServer) async throws -> R) async throws -> R {
        let server = try await start(route)
        do {
            let result = try await body(server)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }
    var requests: [RecordedRequest] { stats.requests }
    /// Body bytes the server has written so far, over all requests.
    var bodyBytesSent: Int { stats.bodyBytes }

    func stop() async throws { try await channel.close() }

    enum ServerError: Error { case noPort }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let route: @Sendable (RecordedRequest) -> TestResponse
        private let stats: Stats
        private var head: HTTPRequestHead?

        init(route: @escaping @Sendable (RecordedRequest) -> TestResponse, stats: Stats) {
            self.route = route
            self.stats = stats
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case let .head(head): self.head = head
            case .body: break
            case .end:
                guard let head else { return }
                let request = RecordedRequest(path: head.uri, headers: head.headers)
                stats.record(request)
                respond(route(request), channel: context.channel)
            }
        }

        private func respond(_ response: TestResponse, channel: any Channel) {
            let stats = self.stats
            switch response {
            case let .send(status, headers, body):
                var fields = HTTPHeaders(headers)
                if !fields.contains(name: "content-length") { fields.add(name: "Content-Length", value: "\(body.count)") }
                channel.write(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields)),
                              promise: nil)
                if !body.isEmpty {
                    channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
                    stats.sent(body.count)
                }
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)

            case let .drip(headers, body, interval):
                var fields = HTTPHeaders(headers)
                fields.add(name: "Content-Length", value: "\(body.count)")
                channel.writeAndFlush(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: fields)),
                                      promise: nil)
                Self.drip(body[...], every: interval, on: channel, stats: stats)

            case let .generate(prefix, unit, total):
                let head = HTTPResponseHead(version: .http1_1, status: .ok,
                                            headers: ["Content-Type": "application/rss+xml", "Transfer-Encoding": "chunked"])
                channel.write(HTTPServerResponsePart.head(head), promise: nil)
                var chunk = ByteBuffer(bytes: prefix)
                let repeats = max(1, (64 << 10) / max(1, unit.count))
                var block = ByteBuffer()
                for _ in 0..<repeats { block.writeBytes(unit) }
                chunk.writeImmutableBuffer(block)
                Self.pump(first: chunk, block: block, remaining: total, on: channel, stats: stats)

            case let .reset(declaredLength, partial):
                let head = HTTPResponseHead(version: .http1_1, status: .ok,
                                            headers: ["Content-Length": "\(declaredLength)", "Content-Type": "application/rss+xml"])
                channel.write(HTTPServerResponsePart.head(head), promise: nil)
                stats.sent(partial.count)
                channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: partial)))).whenComplete { _ in
                    // SO_LINGER 0 makes close() send RST rather than FIN: a reset, not an early end.
                    guard let provider = channel as? any SocketOptionProvider else {
                        channel.close(promise: nil)
                        return
                    }
                    provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
                }
            }
        }

        /// One byte, then the rest later; stops when the client has gone. Bounded by the body.
        private static func drip(_ rest: ArraySlice<UInt8>, every interval: TimeAmount, on channel: any Channel, stats: Stats) {
            guard let byte = rest.first, channel.isActive else {
                if channel.isActive { channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil) }
                return
            }
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: [byte]))), promise: nil)
            stats.sent(1)
            let remaining = rest.dropFirst()
            channel.eventLoop.scheduleTask(in: interval) { drip(remaining, every: interval, on: channel, stats: stats) }
        }

        /// Writes the next block once the previous one has reached the socket, hopping through
        /// the event loop so that synchronously completed writes do not nest. At most
        /// `remaining / block` rounds; stops as soon as a write fails (the client closed).
        private static func pump(first: ByteBuffer?, block: ByteBuffer, remaining: Int, on channel: any Channel, stats: Stats) {
            guard remaining > 0 else {
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
                return
            }
            var buffer = first ?? block
            if buffer.readableBytes > remaining { buffer = buffer.getSlice(at: buffer.readerIndex, length: remaining) ?? buffer }
            let size = buffer.readableBytes
            channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(buffer))).whenComplete { result in
                guard case .success = result else { return }
                stats.sent(size)
                channel.eventLoop.execute { pump(first: nil, block: block, remaining: remaining - size, on: channel, stats: stats) }
            }
        }
    }
}
