import EventLabCore
@testable import EventLabServer
@testable import EventLabWire
import Testing

/// Request header v2 in, and the response header each flexible version takes, over a socket.
@Suite("Flexible versions over the wire")
struct FlexibleHeaderTests {
    /// `request` framed at `version` with request header v2.
    func flexibleFrame<Request: KafkaRequest>(_ request: Request, version: Int16, correlation: Int32) throws -> [UInt8] {
        let body = try request.encoded(version: version, flexible: true).bytes()
        return frame(key: Request.apiKey, version: version, correlation: correlation) { writer in
            writer.noTaggedFields()
            writer.raw(body)
        }
    }

    @Test("ApiVersions v3 is answered with response header v0, Metadata v9 and CreateTopics v5 with header v1's tag block")
    func responseHeaders() throws {
        let server = try KafkaServer.start(broker: try Broker(), port: 0, threads: 1)
        defer { try? server.stop() }
        let client = try ClientSocket(port: server.port)
        client.send(try flexibleFrame(ApiVersionsRequest(clientSoftwareName: "test", clientSoftwareVersion: "1"), version: 3, correlation: 1))
        var versions = WireReader(try client.receive())
        #expect(try versions.integer(Int32.self) == 1)
        let advertised = try ApiVersionsResponse.decoded(from: &versions, version: 3, flexible: true)
        #expect(advertised == .supported && versions.remaining == 0)

        client.send(try flexibleFrame(MetadataRequest(topics: ["orders"]), version: 9, correlation: 2))
        var metadata = WireReader(try client.receive())
        #expect(try metadata.integer(Int32.self) == 2)
        try metadata.skipTaggedFields()
        let topics = try MetadataResponse.decoded(from: &metadata, version: 9, flexible: true).topics
        #expect(topics.map(\.name) == ["orders"] && topics.first?.partitions.count == 1 && metadata.remaining == 0)

        let create = CreateTopicsRequest(topics: [.init(name: "payments", numPartitions: 2, replicationFactor: 1)])
        client.send(try flexibleFrame(create, version: 5, correlation: 3))
        var created = WireReader(try client.receive())
        #expect(try created.integer(Int32.self) == 3)
        try created.skipTaggedFields()
        let result = try CreateTopicsResponse.decoded(from: &created, version: 5, flexible: true).topics.first
        #expect(result?.errorCode == 0 && result?.numPartitions == 2 && created.remaining == 0)
    }
}
