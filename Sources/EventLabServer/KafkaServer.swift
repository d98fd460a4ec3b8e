import EventLabCore
import EventLabWire
import NIOCore
import NIOPosix
import Synchronization

/// The embedded broker on a TCP port, speaking Kafka's protocol to real clients.
///
/// Requests on one connection are answered one at a time, in order, as Kafka does; a parked
/// JoinGroup or long-poll Fetch holds only its own connection. A malformed frame closes that
/// connection, never the broker.
public final class KafkaServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port the server listens on (useful with port 0).
    public let port: Int
    /// The host the server is bound to.
    public let host: String

    /// Starts listening on `host:port` (port 0 picks a free port).
    ///
    /// - Parameter log: receives a line for each connection closed because of a bad request.
    public static func start(
        broker: Broker, host: String = "127.0.0.1", port: Int = 9092, threads: Int = 2,
        maxFrameBytes: Int = Frame.defaultMaxBytes, log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> KafkaServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let boundPort = BoundPort()
        let running = Running()
        let api = KafkaAPI(broker: broker, advertisedHost: host, advertisedPort: { boundPort.value }) { milliseconds, body in
            // A long poll that ends after the server stopped has nobody left to answer.
            guard running.isRunning else { return }
            group.next().scheduleTask(in: .milliseconds(milliseconds)) { body() }
        }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(KafkaConnectionHandler(api: api, maxFrameBytes: maxFrameBytes, log: log))
                }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.bind(host: host, port: port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        let actualPort = channel.localAddress?.port ?? port
        boundPort.set(Int32(actualPort))
        let ticker = group.next().scheduleRepeatedTask(initialDelay: .milliseconds(200), delay: .milliseconds(200)) { _ in
            broker.tickGroups()
        }
        return KafkaServer(group: group, channel: channel, port: actualPort, host: host, ticker: ticker, running: running)
    }

    private let ticker: RepeatedTask
    private let running: Running

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, port: Int, host: String, ticker: RepeatedTask, running: Running) {
        self.group = group
        self.channel = channel
        self.port = port
        self.host = host
        self.ticker = ticker
        self.running = running
    }

    /// Stops listening, closes every connection, and stops the threads.
    public func stop() throws {
        running.stop()
        ticker.cancel()
        try? channel.close().wait()
        try group.syncShutdownGracefully()
    }
}

/// Whether the server still runs, read from any thread.
private final class Running: Sendable {
    private let flag = Atomic(true)
    var isRunning: Bool { flag.load(ordering: .acquiring) }
    func stop() { flag.store(false, ordering: .releasing) }
}

/// The port the server is bound to, known only after binding when port 0 was asked for.
private final class BoundPort: Sendable {
    private let port = Atomic<Int32>(0)
    var value: Int32 { port.load(ordering: .acquiring) }
    func set(_ value: Int32) { port.store(value, ordering: .releasing) }
}

/// One client connection: cuts the stream into frames, decodes each, asks the API, and writes
/// the answers in order.
final class KafkaConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let api: KafkaAPI
    private let log: @Sendable (String) -> Void
    private var assembler: FrameAssembler
    private var waiting: [[UInt8]] = []
    private var busy = false
    private var closing = false
    /// The rest of the answer being written, while the socket cannot take it all yet.
    private var sending: ResponseCursor?
    private var pumping = false

    init(api: KafkaAPI, maxFrameBytes: Int, log: @escaping @Sendable (String) -> Void) {
        self.api = api
        self.assembler = FrameAssembler(maxBytes: maxFrameBytes)
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        do {
            waiting += try unwrapInboundIn(data).withUnsafeReadableBytes { raw in
                Result { () throws(WireError) in try assembler.append(raw) }
            }.get()
        } catch {
            return close(context: context, because: error)
        }
        next(context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context: context, because: error)
    }

    private func close(context: ChannelHandlerContext, because error: any Error) {
        guard !closing else { return }
        closing = true
        log("closing \(context.remoteAddress.map { "\($0)" } ?? "a connection"): \(error)")
        context.close(promise: nil)
    }

    private func next(context: ChannelHandlerContext) {
        guard !busy, !closing, !waiting.isEmpty else { return }
        let frame = waiting.removeFirst()
        let header: RequestHeader
        let request: Request
        do {
            (header, request) = try RequestDecoder.decode(frame)
        } catch {
            return close(context: context, because: error)
        }
        busy = true
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        api.handle(header, request) { body in
            eventLoop.execute {
                let (handler, context) = bound.value
                handler.sending = body.map { ResponseCursor($0.framed(correlationId: header.correlationId)) }
                handler.sendMore(context: context)
            }
        }
    }

    /// The most one outgoing buffer holds: a large Fetch answer is read into buffers of this size
    /// only as fast as the socket takes them, so it never sits in memory whole.
    static let maxBufferBytes = 1 << 20

    /// Writes the answer being sent, a buffer at a time, while the channel takes more; the rest
    /// waits until it is writable again. Once the answer is out, the next request is taken.
    private func sendMore(context: ChannelHandlerContext) {
        guard !pumping else { return }
        pumping = true
        defer { pumping = false }
        while var cursor = sending, cursor.remaining > 0 {
            guard context.channel.isWritable else { return }
            var buffer = context.channel.allocator.buffer(capacity: min(cursor.remaining, Self.maxBufferBytes))
            do {
                try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { target in try cursor.read(into: target) }
            } catch {
                sending = nil
                return close(context: context, because: error)
            }
            sending = cursor
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        sending = nil
        busy = false
        next(context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, sending != nil { sendMore(context: context) }
        context.fireChannelWritabilityChanged()
    }
}
