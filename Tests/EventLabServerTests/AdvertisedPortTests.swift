import EventLabCore
@testable import EventLabServer
@testable import EventLabWire
import Testing

/// A server behind a proxy tells clients the proxy's port, as Kafka's advertised.listeners does.
@Suite("The advertised port")
struct AdvertisedPortTests {
    /// The port a Metadata v1 answer gives for the one broker.
    func metadataPort(_ server: KafkaServer) throws -> Int32 {
        let client = try ClientSocket(port: server.port)
        client.send(frame(key: .metadata, version: 1) { $0.array([String]()) { $0.string($1) } })
        var reader = WireReader(try client.receive())
        _ = try reader.integer(Int32.self)  // correlation id
        #expect(try reader.integer(Int32.self) == 1)  // one broker
        _ = try reader.integer(Int32.self)  // node id
        _ = try reader.string()  // host
        return try reader.integer(Int32.self)
    }

    @Test("Metadata names the listening port, or the advertised one when it is given")
    func advertised() throws {
        let plain = try KafkaServer.start(broker: try Broker(), port: 0, threads: 1)
        defer { try? plain.stop() }
        #expect(try metadataPort(plain) == Int32(plain.port))
        let proxied = try KafkaServer.start(broker: try Broker(), port: 0, advertisedPort: 19092, threads: 1)
        defer { try? proxied.stop() }
        #expect(try metadataPort(proxied) == 19092)
    }
}
