import Dispatch
import EventLabCore
@testable import EventLabServer
@testable import EventLabWire
import EventLabTestSupport
import Testing

/// Requests are answered on the request threads, not on the event loop that reads sockets: one
/// request waiting holds back no other connection.
@Suite("Request threads")
struct RequestThreadTests {
    func produce(_ topic: String, correlation: Int32) -> [UInt8] {
        frame(key: .produce, version: 7, correlation: correlation) { writer in
            writer.string(nil); writer.integer(Int16(1)); writer.integer(Int32(1000))
            writer.array([topic]) { writer, name in
                writer.string(name)
                writer.array([Int32(0)]) { writer, index in
                    writer.integer(index)
                    writer.bytes(RecordBatch(records: [Record(offset: 0, timestamp: 0, key: [1], value: [2])]).encoded())
                }
            }
        }
    }

    /// A server with a Produce to topic `held` held inside the broker, on the request thread
    /// answering it, until `release` is signalled; `producer` is the connection that sent it.
    func heldProduce() throws -> (broker: Broker, server: KafkaServer, producer: ClientSocket, release: DispatchSemaphore) {
        let broker = try Broker()
        try broker.createTopic("held", partitions: 1)
        let server = try KafkaServer.start(broker: broker, port: 0, threads: 1)
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        // The append wakes this waiter on the thread answering the Produce, which it then holds.
        try broker.whenData("held", partition: 0, beyond: 0) {
            entered.signal()
            release.wait()
        }
        let producer = try ClientSocket(port: server.port)
        producer.send(produce("held", correlation: 1))
        #expect(entered.wait(timeout: .now() + 30) == .success)
        return (broker, server, producer, release)
    }

    @Test("while a Produce is held inside the broker, another connection's ApiVersions and Metadata are answered")
    func heldRequestBlocksNoOtherConnection() throws {
        let (_, server, producer, release) = try heldProduce()
        defer {
            release.signal()
            try? server.stop()
        }
        let other = try ClientSocket(port: server.port)
        other.send(frame(key: .apiVersions, version: 0, correlation: 2))
        var reader = WireReader(try other.receive())
        #expect(try reader.integer(Int32.self) == 2)
        #expect(try reader.integer(Int16.self) == 0)
        other.send(frame(key: .metadata, version: 4, correlation: 3) { $0.array(["held"]) { $0.string($1) }; $0.boolean(false) })
        reader = WireReader(try other.receive())
        #expect(try reader.integer(Int32.self) == 3)
        release.signal()
        reader = WireReader(try producer.receive())
        #expect(try reader.integer(Int32.self) == 1)
    }

    @Test("stopping the server lets the request being answered finish first")
    func stopWaitsForRequest() throws {
        let (broker, server, producer, release) = try heldProduce()
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? server.stop()
            stopped.signal()
        }
        release.signal()
        #expect(stopped.wait(timeout: .now() + 30) == .success)
        #expect(try broker.offsets("held", partition: 0).logEndOffset == 1)
        withExtendedLifetime(producer) {}
    }

    @Test("with no request threads, requests are answered inline on the event loop, in order")
    func inlineRequests() throws {
        let broker = try Broker()
        try broker.createTopic("t", partitions: 1)
        let server = try KafkaServer.start(broker: broker, port: 0, threads: 1, requestThreads: 0)
        defer { try? server.stop() }
        let connection = try ClientSocket(port: server.port)
        connection.send(produce("t", correlation: 1))
        connection.send(frame(key: .apiVersions, version: 0, correlation: 2))
        var reader = WireReader(try connection.receive())
        #expect(try reader.integer(Int32.self) == 1)
        reader = WireReader(try connection.receive())
        #expect(try reader.integer(Int32.self) == 2)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 1)
    }
}
