import EventLabCore
@testable import EventLabServer
@testable import EventLabWire
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

/// The socket end of an embedded connection: counts the reads the handler asks of it and, when
/// told to, fills up after each write as a socket whose send buffer is full.
final class SocketProbe: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer

    var reads = 0
    var fillsAfterEachWrite = false

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if fillsAfterEachWrite { (context.channel as? EmbeddedChannel)?.isWritable = false }
    }
}

/// One connection handler on an embedded channel, its requests answered on the channel's own
/// loop, which runs only when the test says so: nothing is answered behind the test's back.
final class Connection {
    let channel: EmbeddedChannel
    let socket = SocketProbe()
    let pool: RequestMemoryPool
    let broker: Broker
    /// What the handler logged as it closed the connection.
    let closings = Closings()

    init(poolBytes: Int = 1 << 20, maxFrameBytes: Int = Frame.defaultMaxBytes) throws {
        broker = try Broker()
        pool = RequestMemoryPool(capacity: poolBytes)
        let api = KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092)
        var limits = ConnectionLimits()
        limits.socketRequestMaxBytes = maxFrameBytes
        channel = EmbeddedChannel()
        let closings = closings
        let handler = KafkaConnectionHandler(api: api, limits: limits, pool: pool, requests: RequestHandlerPool(threads: 0)) { line in closings.lines.withLock { $0.append(line) } }
        try channel.pipeline.syncOperations.addHandlers(socket, handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9092)).wait()
    }

    /// Bytes arriving from the client.
    func receive(_ bytes: [UInt8]) throws {
        try channel.writeInbound(ByteBuffer(bytes: bytes))
    }

    /// Runs what the handler queued on its loop: answers being sent, connections woken.
    func runLoop() {
        channel.embeddedEventLoop.run()
    }

    /// Every buffer written to the client so far, one per write.
    func written() throws -> [[UInt8]] {
        var buffers: [[UInt8]] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { buffers.append(Array(buffer.readableBytesView)) }
        return buffers
    }
}

/// Lines logged from any thread.
final class Closings: Sendable {
    let lines = Mutex<[String]>([])
}

/// A request as the client sends it: the size prefix, then the frame.
func sized(_ frame: [UInt8]) -> [UInt8] {
    var writer = WireWriter()
    writer.integer(Int32(frame.count))
    return writer.bytes + frame
}

/// An ApiVersions v0 request; a long client id makes it as large as a test needs.
func apiVersions(correlation: Int32, clientId: String = "test") -> [UInt8] {
    var writer = WireWriter()
    writer.integer(ApiKey.apiVersions.rawValue)
    writer.integer(Int16(0))
    writer.integer(correlation)
    writer.string(clientId)
    return sized(writer.bytes)
}

/// A Fetch v11 request for partition 0 of `t` from offset 0, taking up to `maxBytes`.
func fetch(correlation: Int32, maxBytes: Int32) -> [UInt8] {
    var writer = WireWriter()
    writer.integer(ApiKey.fetch.rawValue)
    writer.integer(Int16(11))
    writer.integer(correlation)
    writer.string("test")
    writer.integer(Int32(-1)); writer.integer(Int32(0)); writer.integer(Int32(1)); writer.integer(maxBytes)
    writer.integer(Int8(0)); writer.integer(Int32(0)); writer.integer(Int32(-1))
    writer.array(["t"]) { writer, name in
        writer.string(name)
        writer.array([0]) { writer, _ in
            writer.integer(Int32(0)); writer.integer(Int32(-1)); writer.integer(Int64(0)); writer.integer(Int64(-1)); writer.integer(maxBytes)
        }
    }
    writer.array([String]()) { $0.string($1) }
    writer.string("")
    return sized(writer.bytes)
}

/// The answers in `bytes`, cut at their size prefixes, as (correlation id, frame length).
func answers(_ bytes: [UInt8]) throws -> [(correlation: Int32, length: Int)] {
    var reader = WireReader(bytes)
    var found: [(Int32, Int)] = []
    while reader.remaining > 0 {
        let length = Int(try reader.integer(Int32.self))
        let correlation = try reader.integer(Int32.self)
        _ = try reader.raw(length - 4)
        found.append((correlation, length))
    }
    return found
}

@Suite("Connection handler on an embedded channel")
struct ConnectionHandlerTests {
    @Test("a pipelined second request mutes the socket while the first is answered; reading resumes once it is taken")
    func pipelinedRequestMutes() throws {
        let connection = try Connection()
        try connection.receive(apiVersions(correlation: 1) + apiVersions(correlation: 2))
        connection.channel.read()
        #expect(connection.socket.reads == 0, "the socket was read while a whole request waited its turn")
        #expect(try connection.written().isEmpty)

        connection.runLoop()
        let out = try connection.written().flatMap { $0 }
        #expect(try answers(out).map(\.correlation) == [1, 2])
        #expect(connection.socket.reads == 1, "the held read was not made once the waiting request was taken")

        connection.channel.read()
        #expect(connection.socket.reads == 2)
        #expect(connection.pool.lent == 0)
    }

    @Test("one request in flight does not mute the socket")
    func singleRequestReads() throws {
        let connection = try Connection()
        try connection.receive(apiVersions(correlation: 1))
        connection.channel.read()
        #expect(connection.socket.reads == 1)
        connection.runLoop()
        #expect(try answers(connection.written().flatMap { $0 }).map(\.correlation) == [1])
    }

    @Test("a frame larger than the request memory pool is not read until the memory lent to others is given back")
    func frameLargerThanPoolWaits() throws {
        let connection = try Connection(poolBytes: 100)
        let small = apiVersions(correlation: 1)
        let large = apiVersions(correlation: 2, clientId: String(repeating: "c", count: 200))
        try connection.receive(small + large)
        connection.channel.read()
        #expect(connection.pool.lent == small.count - 4, "only the first frame is lent memory")
        #expect(connection.socket.reads == 0, "the socket was read while a frame waited for memory")
        #expect(try connection.written().isEmpty)

        connection.runLoop()
        #expect(try answers(connection.written().flatMap { $0 }).map(\.correlation) == [1, 2])
        #expect(connection.socket.reads == 1, "reading did not resume once the pool lent the large frame its memory")
        #expect(connection.pool.lent == 0)
    }

    @Test("an answer larger than the socket takes is written a buffer at a time as it becomes writable again, and the next request waits for it")
    func largeAnswerWaitsForWritability() throws {
        let connection = try Connection()
        try connection.broker.createTopic("t", partitions: 1)
        let value = String(repeating: "v", count: 10_000)
        for _ in 0..<30 {
            _ = try connection.broker.publish("t", (0..<10).map { _ in ProducerRecord(key: nil, value: value, partition: 0) })
        }
        connection.socket.fillsAfterEachWrite = true
        connection.channel.isWritable = false
        try connection.receive(fetch(correlation: 1, maxBytes: 8 << 20) + apiVersions(correlation: 2))
        connection.runLoop()
        #expect(try connection.written().isEmpty, "bytes were written while the channel was not writable")

        var pieces: [[UInt8]] = []
        while pieces.count < 20 {
            connection.channel.isWritable = true
            connection.channel.pipeline.fireChannelWritabilityChanged()
            connection.runLoop()
            let written = try connection.written()
            if written.isEmpty { break }
            #expect(written.count == 1, "one buffer per time the channel became writable, not \(written.count)")
            pieces += written
        }
        #expect(pieces.count >= 4, "a 3 MB answer and a small one went out in \(pieces.count) pieces")
        #expect(pieces.dropLast(2).allSatisfy { $0.count == KafkaConnectionHandler.maxBufferBytes })
        let sent = try answers(pieces.flatMap { $0 })
        #expect(sent.map(\.correlation) == [1, 2], "the fetch answer whole, then the request that waited behind it")
        #expect((sent.first?.length ?? 0) > 3_000_000)
    }

    @Test("a malformed frame closes the connection, saying why", arguments: [
        ("an unknown API key", sized([0x7F, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])),
        ("a truncated header", sized([0, 18, 0])),
        ("a negative size", [0xFF, 0xFF, 0xFF, 0xF0, 0, 0]),
        ("a size over socket.request.max.bytes", [0, 0x10, 0, 0, 0, 0]),
    ])
    func malformedFrameCloses(what: String, bytes: [UInt8]) throws {
        let connection = try Connection(maxFrameBytes: 1 << 16)
        try connection.receive(bytes)
        connection.runLoop()
        #expect(!connection.channel.isActive, "\(what) left the connection open")
        #expect(connection.closings.lines.withLock { $0.count } == 1, "\(what): \(connection.closings.lines.withLock { $0 })")
        #expect(try connection.written().isEmpty)
        #expect(connection.pool.lent == 0)
    }
}
