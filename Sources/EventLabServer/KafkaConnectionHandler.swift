import EventLabCore
import EventLabWire
import NIOCore

/// One client connection: cuts the stream into frames, decodes each, hands it to the request
/// handler pool to be answered, and writes the answers in order; the event loop itself never
/// waits for the broker. While a whole request waits its turn, the socket is not read, as Kafka
/// mutes such a connection: a client that sends without reading answers is held back by TCP
/// instead of filling the broker's memory. Each frame borrows its size from the server's
/// request memory pool before it is read and gives it back once answered; while the pool cannot
/// lend it, the socket is not read either.
final class KafkaConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let api: KafkaAPI
    private let log: @Sendable (String) -> Void
    private let pool: RequestMemoryPool
    private let requests: RequestHandlerPool
    private let idleMs: Int64
    private var assembler: FrameAssembler
    private var waiting: [[UInt8]] = []
    /// Bytes borrowed from the pool for frames being read, waiting or being answered.
    private var borrowed = 0
    private var busy = false
    private var closing = false
    /// The rest of the answer being written, while the socket cannot take it all yet.
    private var sending: ResponseCursor?
    private var pumping = false
    /// A read the channel asked for while requests were waiting, made once they are taken.
    private var heldRead = false

    init(
        api: KafkaAPI, limits: ConnectionLimits, pool: RequestMemoryPool, requests: RequestHandlerPool,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.api = api
        self.requests = requests
        self.assembler = FrameAssembler(maxBytes: limits.socketRequestMaxBytes)
        self.pool = pool
        self.idleMs = limits.connectionsMaxIdleMs
        self.log = log
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let admit = admission(context: context)
        do {
            waiting += try unwrapInboundIn(data).withUnsafeReadableBytes { raw in
                Result { () throws(WireError) in try assembler.append(raw, admit: admit) }
            }.get()
        } catch {
            return close(context: context, because: error)
        }
        next(context: context)
    }

    func read(context: ChannelHandlerContext) {
        if waiting.isEmpty, !assembler.isStopped {
            context.read()
        } else {
            heldRead = true
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .all {
            return close(context: context, because: ConnectionLimitReached.idle(milliseconds: idleMs))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        close(context: context, because: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        giveBack(borrowed)
        context.fireChannelInactive()
    }

    private func close(context: ChannelHandlerContext, because error: any Error) {
        guard !closing else { return }
        closing = true
        log("closing \(context.remoteAddress.map { "\($0)" } ?? "a connection"): \(error)")
        context.close(promise: nil)
    }

    /// Asks the pool for a frame's size; when it cannot lend it now, it calls back once memory
    /// is given back, on this connection's event loop, to try again.
    private func admission(context: ChannelHandlerContext) -> (Int) -> Bool {
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        return { [pool] size in
            let lent = pool.borrow(size) {
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.resumeReading(context: context)
                }
            }
            if lent { bound.value.0.borrowed += size }
            return lent
        }
    }

    private func resumeReading(context: ChannelHandlerContext) {
        guard !closing, assembler.isStopped else { return }
        let admit = admission(context: context)
        do {
            waiting += try assembler.resume(admit: admit)
        } catch {
            return close(context: context, because: error)
        }
        releaseHeldRead(context: context)
        next(context: context)
    }

    private func releaseHeldRead(context: ChannelHandlerContext) {
        if waiting.isEmpty, !assembler.isStopped, heldRead {
            heldRead = false
            context.read()
        }
    }

    private func giveBack(_ size: Int) {
        let size = min(size, borrowed)
        borrowed -= size
        pool.giveBack(size)
    }

    private func next(context: ChannelHandlerContext) {
        guard !busy, !closing, !waiting.isEmpty else { return }
        let frame = waiting.removeFirst()
        releaseHeldRead(context: context)
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
        let size = frame.count
        requests.run { [api] in
            api.handle(header, request) { reply in
                eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.giveBack(size)
                    do {
                        switch reply {
                        case .send(let body):
                            handler.sending = ResponseCursor(
                                try body.framed(correlationId: header.correlationId, tagged: header.taggedResponseHeader))
                        case .nothing:
                            handler.sending = nil
                        case .closeConnection:
                            return handler.close(context: context, because: FailedWithoutAnswer(header: header))
                        }
                    } catch {
                        return handler.close(context: context, because: error)
                    }
                    handler.sendMore(context: context)
                }
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

/// Why a connection is closed after a request that takes no answer, an acks=0 Produce, failed.
struct FailedWithoutAnswer: Error, CustomStringConvertible {
    let header: RequestHeader

    var description: String {
        "acks=0 Produce \(header.correlationId) failed; the client takes no answer, so closing tells it to refresh its metadata"
    }
}
