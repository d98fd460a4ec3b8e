import EventLabCore
import EventLabTestSupport
@testable import EventLabWire
import Testing

@Suite("Old message sets written")
struct LegacyEncodingTests {
    @Test("records encode to kafka-python's bytes exactly", arguments: LegacyCase.uncompressed)
    func golden(_ golden: LegacyCase) {
        let type: TopicConfig.TimestampType = golden.hex == LegacyGoldens.magic1LogAppendTime ? .logAppendTime : .createTime
        #expect(LegacyMessageSet.encode(golden.expected, magic: golden.magic, timestampType: type) == golden.bytes)
    }

    @Test("magic 0 writes no timestamp and no LogAppendTime bit, whatever the records carry")
    func magic0DropsTime() {
        let records = LegacyCase.all[0].expected.map { Record(offset: $0.offset, timestamp: 1704067200000, key: $0.key, value: $0.value) }
        #expect(LegacyMessageSet.encode(records, magic: .v0, timestampType: .logAppendTime) == hexBytes(LegacyGoldens.magic0Keyed))
    }

    @Test("headers are dropped: the old formats have no place for them")
    func headersDropped() {
        var records = LegacyCase.all[2].expected
        records[0].headers = [RecordHeader(key: "trace", value: [1, 2])]
        #expect(LegacyMessageSet.encode(records, magic: .v1) == hexBytes(LegacyGoldens.magic1Keyed))
    }

    @Test("encoding then decoding gives the records back, for both magics and timestamp types")
    func roundTrip() throws {
        var random = SplitMix(seed: 18)
        for _ in 0..<200 {
            let records = (0..<Int(random.next() % 6)).map { index in
                Record(
                    offset: Int64(bitPattern: random.next() >> 2) + Int64(index),
                    timestamp: Int64(bitPattern: random.next()),
                    key: random.next() % 3 == 0 ? nil : (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) },
                    value: random.next() % 4 == 0 ? nil : (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            }
            for magic in [LegacyMessageSet.Magic.v0, .v1] {
                for type in [TopicConfig.TimestampType.createTime, .logAppendTime] {
                    let bytes = LegacyMessageSet.encode(records, magic: magic, timestampType: type)
                    let decoded = try LegacyMessageSet(decoding: bytes[...], from: .fetchResponse).records
                    let expected = magic == .v1 ? records : records.map {
                        Record(offset: $0.offset, timestamp: -1, key: $0.key, value: $0.value)
                    }
                    #expect(decoded == expected)
                    #expect(LegacyMessageSet.encode(decoded, magic: magic, timestampType: type) == bytes)
                }
            }
        }
    }

    @Test("stored v2 batches convert down to kafka-python's magic-1 bytes")
    func downConvertMagic1() throws {
        let golden = LegacyCase.all[2]
        let batch = RecordBatch(records: golden.expected)
        #expect(try LegacyMessageSet.downConverting([batch], to: .v1, from: 100) == golden.bytes)
    }

    @Test("stored v2 batches convert down to kafka-python's magic-0 bytes, losing their timestamps")
    func downConvertMagic0() throws {
        let records = LegacyCase.all[0].expected.map { Record(offset: $0.offset, timestamp: 1704067200000, key: $0.key, value: $0.value) }
        #expect(try LegacyMessageSet.downConverting([RecordBatch(records: records)], to: .v0, from: 0) == hexBytes(LegacyGoldens.magic0Keyed))
    }

    @Test("a LogAppendTime batch converts down with its append time and the LogAppendTime bit")
    func downConvertLogAppendTime() throws {
        var stored = RecordBatch(records: [Record(offset: 5, timestamp: 1704067000000, key: bytes("k"), value: bytes("v"))]).encoded()
        stored[22] |= 0x08  // LogAppendTime
        stored.replaceSubrange(35..<43, with: withUnsafeBytes(of: Int64(1704067300000).bigEndian, Array.init))  // maxTimestamp
        stored.replaceSubrange(17..<21, with: withUnsafeBytes(of: CRC32C.checksum(stored[21...]).bigEndian, Array.init))
        let batch = try RecordBatch(validating: stored)
        #expect(try LegacyMessageSet.downConverting([batch], to: .v1, from: 0) == hexBytes(LegacyGoldens.magic1LogAppendTime))
    }

    @Test("records before the fetch offset are left out, as Kafka's down-conversion does")
    func downConvertFromInsideABatch() throws {
        let golden = LegacyCase.all[2]
        let converted = try LegacyMessageSet.downConverting([RecordBatch(records: golden.expected)], to: .v1, from: 101)
        #expect(try LegacyMessageSet(decoding: converted[...], from: .fetchResponse).records == Array(golden.expected.dropFirst()))
        #expect(try LegacyMessageSet.downConverting([RecordBatch(records: golden.expected)], to: .v1, from: 103).isEmpty)
    }
}
