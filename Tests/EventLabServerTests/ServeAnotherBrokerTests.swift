import EventLabCore
@testable import EventLabServer
@testable import EventLabWire
import EventLabTestSupport
import Testing

/// A server moved to another broker, as the REPL's listener is when a lesson starts or ends.
@Suite("Serving another broker")
struct ServeAnotherBrokerTests {
    func produce(_ topic: String) -> [UInt8] {
        frame(key: .produce, version: 7, correlation: 2) { writer in
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

    @Test("the port stays open and serves the new broker; the connections open on the old one are closed and counted")
    func serveAnother() throws {
        let first = try Broker()
        let second = try Broker()
        try second.createTopic("orders", partitions: 1)
        let server = try KafkaServer.start(broker: first, port: 0, threads: 1)
        defer { try? server.stop() }
        let old = try ClientSocket(port: server.port)
        old.send(frame(key: .apiVersions, version: 0, correlation: 1))
        _ = try old.receive()
        #expect(server.serve(second) == 1)
        #expect(throws: (any Error).self) { try old.receive() }
        let new = try ClientSocket(port: server.port)
        new.send(produce("orders"))
        var reader = WireReader(try new.receive())
        #expect(try reader.integer(Int32.self) == 2)
        #expect(try second.offsets("orders", partition: 0).logEndOffset == 1)
        #expect(server.serve(first) == 1)
    }
}
