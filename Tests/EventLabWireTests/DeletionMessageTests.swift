import Foundation
import Testing
@testable import EventLabWire

/// DeleteRecords, DeleteGroups and OffsetDelete read and write kafka-python's golden bytes
/// exactly, at every version Kafka 2.5 serves.
@Suite("Deletion messages read and write other encoders' bytes exactly")
struct DeletionMessageTests {
    static let goldens: [(file: String, type: any WireStruct.Type)] = [
        ("DeleteRecords-v0-request", DeleteRecordsRequest.self), ("DeleteRecords-v0-response", DeleteRecordsResponse.self),
        ("DeleteRecords-v1-request", DeleteRecordsRequest.self), ("DeleteRecords-v1-response", DeleteRecordsResponse.self),
        ("DeleteGroups-v0-request", DeleteGroupsRequest.self), ("DeleteGroups-v0-response", DeleteGroupsResponse.self),
        ("DeleteGroups-v1-request", DeleteGroupsRequest.self), ("DeleteGroups-v1-response", DeleteGroupsResponse.self),
        ("DeleteGroups-v2-request", DeleteGroupsRequest.self), ("DeleteGroups-v2-response", DeleteGroupsResponse.self),
        ("OffsetDelete-v0-request", OffsetDeleteRequest.self), ("OffsetDelete-v0-response", OffsetDeleteResponse.self),
    ]

    @Test("each golden decodes to its values, to its last byte, and encodes back to the same bytes", arguments: goldens.map(\.file))
    func roundTrip(_ file: String) throws {
        let text = try String(contentsOf: GoldenMessage.directory.appendingPathComponent(file + ".txt"), encoding: .utf8)
        let golden = try #require(GoldenMessage(file: file, text: text))
        let type = try #require(Self.goldens.first { $0.file == file }?.type)
        let (values, remaining, encoded) = try Self.roundTrip(golden, type)
        #expect(values == golden.values)
        #expect(remaining == 0)
        #expect(encoded == golden.bytes)
    }

    private static func roundTrip<T: WireStruct>(_ golden: GoldenMessage, _: T.Type) throws -> ([String], Int, [UInt8]) {
        var decoder = WireDecoder(WireReader(golden.bytes), version: golden.version, flexible: golden.flexible, listing: true)
        var value = T()
        try decoder.structure(&value)
        return (decoder.listing ?? [], decoder.reader.remaining, try value.encoded(version: golden.version, flexible: golden.flexible).bytes())
    }
}
