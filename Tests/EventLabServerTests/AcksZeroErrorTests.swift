import EventLabCore
@testable import EventLabServer
@testable import EventLabWire
import Testing

/// Kafka's KafkaApis.handleProduceRequest: an acks=0 Produce gets no answer, so when any of its
/// partitions fails (NOT_LEADER_OR_FOLLOWER after a leader moved) the broker closes the
/// connection, and the client refreshes its metadata. Without that, a producer keeps writing to a
/// broker that drops everything until its next periodic metadata refresh (5 minutes in librdkafka).
@Suite("An acks=0 Produce that fails closes its connection")
struct AcksZeroErrorTests {
    static func produce(_ topic: String, acks: Int16) -> [UInt8] {
        frame(key: .produce, version: 7, correlation: 2) { writer in
            writer.string(nil); writer.integer(acks); writer.integer(Int32(1000))
            writer.array([topic]) { writer, name in
                writer.string(name)
                writer.array([Int32(0)]) { writer, index in
                    writer.integer(index)
                    writer.bytes(RecordBatch(records: [Record(offset: 0, timestamp: 0, key: [1], value: [2])]).encoded())
                }
            }
        }
    }

    @Test("an acks=0 Produce to a broker that does not lead the partition closes the connection, as Kafka's does")
    func acksZeroToAFollowerClosesTheConnection() throws {
        let broker = try Broker(cluster: MemoryCluster(brokers: 3), waker: nil)
        try broker.createTopic("orders", partitions: 1, replicationFactor: 3, config: broker.topicDefaults)
        let leader = try #require(try broker.leadership("orders", partition: 0).leader)
        let server = try KafkaServer.start(broker: broker, port: 0, threads: 1, requestThreads: 1)
        defer { try? server.stop() }
        let follower = try #require(server.listening.first { $0.id != leader })
        let client = try ClientSocket(port: follower.port, timeoutSeconds: 3)
        client.send(Self.produce("orders", acks: 0))
        client.send(frame(key: .apiVersions, version: 0, correlation: 9))
        #expect(throws: (any Error).self, "the connection is closed, not left open after dropping the records") { try client.receive() }
        #expect(try broker.offsets("orders", partition: 0).logEndOffset == 0)
    }
}
