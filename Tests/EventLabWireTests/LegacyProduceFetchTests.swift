import EventLabCore
@testable import EventLabWire
import EventLabTestSupport
import Synchronization
import Testing

/// A broker and its API, with the broker clock at 2024-01-01 and moved only by the test.
private func legacyAPI(config: (inout TopicConfig) -> Void = { _ in }) throws -> (KafkaAPI, Broker, LogicalClock) {
    let clock = LogicalClock()
    let broker = try Broker(clock: clock, waker: nil)
    var topic = TopicConfig()
    config(&topic)
    try broker.createTopic("t", partitions: 1, config: topic)
    return (KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092), broker, clock)
}

/// `request`'s frame at `version`, as a client sends it.
private func requestFrame<R: KafkaRequest>(_ request: R, version: Int16) throws -> [UInt8] {
    let body = try request.encoded(version: version, flexible: false).bytes()
    return frame(key: R.apiKey, version: version) { $0.raw(body) }
}

/// The answer to `request` at `version`, decoded at that version.
private func answer<R: KafkaRequest>(_ api: KafkaAPI, _ request: R, version: Int16) throws -> R.Response {
    let (header, decoded) = try RequestDecoder.decode(try requestFrame(request, version: version))
    let bytes = Mutex<[UInt8]?>(nil)
    api.handle(header, decoded) { reply in bytes.withLock { $0 = try? reply.body?.bytes() } }
    var reader = WireReader(try #require(bytes.withLock { $0 }))
    let response = try R.Response.decoded(from: &reader, version: version, flexible: false)
    #expect(reader.remaining == 0)
    return response
}

private func produce(_ api: KafkaAPI, _ records: [UInt8], version: Int16) throws -> ProduceResponse.Partition {
    let request = ProduceRequest(acks: -1, timeoutMs: 1000, topics: [.init(name: "t", partitions: [.init(index: 0, records: records[...])])])
    return try #require(try answer(api, request, version: version).topics.first?.partitions.first)
}

private func fetch(
    _ api: KafkaAPI, from offset: Int64 = 0, version: Int16, partitionMaxBytes: Int32 = 1 << 20, maxBytes: Int32 = .max
) throws -> (partition: FetchResponse.Partition, bytes: [UInt8]) {
    var partition = FetchRequest.Partition(index: 0, fetchOffset: offset, maxBytes: partitionMaxBytes)
    partition.logStartOffset = -1
    let request = FetchRequest(maxWaitMs: 0, minBytes: 0, maxBytes: maxBytes, topics: [.init(name: "t", partitions: [partition])])
    let answered = try #require(try answer(api, request, version: version).topics.first?.partitions.first)
    return (answered, try (answered.records ?? []).flatMap { try $0.bytes() })
}

/// What an old consumer reads from a Fetch v0–v3 answer: the message set's records and the
/// bytes of a partial message at its end.
private func oldConsumerReads(_ bytes: [UInt8]) throws -> LegacyMessageSet {
    try LegacyMessageSet(decoding: bytes[...], from: .fetchResponse)
}

@Suite("Produce v0–v2 and Fetch v0–v3 speak the old message formats")
struct LegacyProduceFetchTests {
    @Test("kafka-python's message sets produced at v0, v1 and v2 are stored as v2 batches and read back at Fetch v0 (magic 0), v2 (magic 1) and v4 (v2 batches)",
          arguments: LegacyCase.all)
    func roundTrip(_ golden: LegacyCase) throws {
        for version: Int16 in golden.magic == .v0 ? [0, 1, 2] : [2] {
            let (api, broker, _) = try legacyAPI()
            let produced = try produce(api, golden.bytes, version: version)
            #expect(produced.errorCode == 0)
            #expect(produced.baseOffset == 0)
            let count = Int64(golden.records.count)
            #expect(try broker.offsets("t", partition: 0).logEndOffset == count)
            let expected = golden.expected.enumerated().map { index, record in
                Record(offset: Int64(index), timestamp: record.timestamp, key: record.key, value: record.value)
            }

            let v0 = try fetch(api, version: 0)
            #expect(v0.partition.highWatermark == count)
            #expect(LegacyMessageSet.magic(of: v0.bytes[...]) == 0)
            #expect(try oldConsumerReads(v0.bytes).records == expected.map { Record(offset: $0.offset, timestamp: -1, key: $0.key, value: $0.value) })

            let v2 = try fetch(api, version: 2)
            #expect(LegacyMessageSet.magic(of: v2.bytes[...]) == 1)
            #expect(try oldConsumerReads(v2.bytes).records == expected)

            let v4 = try fetch(api, version: 4)
            #expect(LegacyMessageSet.magic(of: v4.bytes[...]) == 2)
            #expect(try RecordBatch(validating: v4.bytes).records() == expected)
        }
    }

    @Test("Produce v2 answers the broker's append time on a LogAppendTime topic, which stamps magic-0 records too; v1 has no such field")
    func logAppendTime() throws {
        let (api, _, clock) = try legacyAPI { $0.messageTimestampType = .logAppendTime }
        let set = LegacyMessageSet.encode([Record(offset: 0, timestamp: -1, key: nil, value: bytes("v"))], magic: .v0)
        #expect(try produce(api, set, version: 2).logAppendTime == clock.now())
        #expect(try produce(api, set, version: 1).logAppendTime == -1)
        #expect(try oldConsumerReads(try fetch(api, version: 3).bytes).records.map(\.timestamp) == [clock.now(), clock.now()])
    }

    @Test("bad message sets are refused per partition with Kafka's code, and nothing is appended", arguments: [
        ("a flipped CRC bit", { var bytes = hexBytes(LegacyGoldens.magic0Keyed); bytes[23] ^= 1; return bytes }(), KafkaErrorCode.corruptMessage),
        ("a cut-off last message", Array(hexBytes(LegacyGoldens.magic0Keyed).dropLast(3)), .corruptMessage),
        ("a snappy wrapper", { var bytes = hexBytes(LegacyGoldens.magic0Gzip); bytes[17] = 2; return LegacyProduceFetchTests.recrc(bytes) }(), .unsupportedCompressionType),
        ("a magic-1 wrapper of magic-0 messages", hexBytes(LegacyGoldens.magic1WrapperOfMagic0), .invalidRecord),
    ] as [(String, [UInt8], KafkaErrorCode)])
    func refusals(_ what: String, _ set: [UInt8], _ code: KafkaErrorCode) throws {
        let (api, broker, _) = try legacyAPI()
        let answered = try produce(api, set, version: 1)
        #expect(answered.errorCode == code.rawValue, "\(what)")
        #expect(answered.baseOffset == -1)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 0)
    }

    /// `bytes` (one message) with its CRC-32 computed again.
    static func recrc(_ bytes: [UInt8]) -> [UInt8] {
        var fixed = bytes
        let crc = CRC32.checksum(bytes[16...])
        for index in 0..<4 { fixed[12 + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * index)) }
        return fixed
    }

    @Test("an empty message set appends nothing and answers no error with base offset -1, as Kafka; v0–v2 take a v2 batch too")
    func emptyAndV2() throws {
        let (api, broker, _) = try legacyAPI()
        let empty = try produce(api, [], version: 0)
        #expect(empty.errorCode == 0)
        #expect(empty.baseOffset == -1)
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: 5, key: nil, value: bytes("v"))])
        #expect(try produce(api, batch.encoded(), version: 2).baseOffset == 0)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 1)
    }

    @Test("a down-converted answer respects the partition's max bytes, cutting the last message as Kafka does; v0–v2 never exceed it, v3 sends a first message whole (KIP-74)")
    func maxBytes() throws {
        let (api, _, _) = try legacyAPI()
        let records = (0..<10).map { Record(offset: Int64($0), timestamp: 5, key: nil, value: Array(repeating: UInt8(65 + $0), count: 100)) }
        _ = try produce(api, LegacyMessageSet.encode(records, magic: .v1), version: 2)
        let messageSize = 12 + 22 + 100  // magic 1: offset and size, then the message proper with a null key

        let cut = try fetch(api, version: 2, partitionMaxBytes: Int32(3 * messageSize + 50))
        #expect(cut.bytes.count == 3 * messageSize + 50)
        let read = try oldConsumerReads(cut.bytes)
        #expect(read.records.map(\.offset) == [0, 1, 2])
        #expect(read.partialTailBytes == 50)

        let tiny = try fetch(api, from: 4, version: 1, partitionMaxBytes: 60)
        #expect(tiny.bytes.count == 60)
        #expect(try oldConsumerReads(tiny.bytes).records.isEmpty)

        let progress = try fetch(api, from: 4, version: 3, partitionMaxBytes: 60)
        #expect(try oldConsumerReads(progress.bytes).records.map(\.offset) == [4])
        #expect(try oldConsumerReads(progress.bytes).partialTailBytes == 0)

        let whole = try fetch(api, from: 7, version: 0)
        #expect(try oldConsumerReads(whole.bytes).records.map(\.offset) == [7, 8, 9])
    }

    @Test("Fetch v3's response max bytes bounds the sum, and v0–v2 have none")
    func responseMaxBytes() throws {
        let (api, _, _) = try legacyAPI()
        let records = (0..<10).map { Record(offset: Int64($0), timestamp: 5, key: nil, value: Array(repeating: 66, count: 100)) }
        _ = try produce(api, LegacyMessageSet.encode(records, magic: .v0), version: 0)
        #expect(try fetch(api, version: 3, maxBytes: 300).bytes.count == 300)
        #expect(try oldConsumerReads(try fetch(api, version: 2).bytes).records.count == 10)
    }
}

@Suite("Magic-0 records carry no timestamp, and nothing takes -1 for a time")
struct NoTimestampTests {
    @Test("time retention never deletes them and segment age never rolls on them")
    func retention() throws {
        let (api, broker, clock) = try legacyAPI {
            $0.retentionMs = 1000
            $0.segmentMs = 1000
        }
        let set = LegacyMessageSet.encode([Record(offset: 0, timestamp: -1, key: nil, value: bytes("v"))], magic: .v0)
        for _ in 0..<3 { _ = try produce(api, set, version: 0) }
        try clock.advance(by: 10_000)
        _ = try produce(api, set, version: 0)
        #expect(try broker.describeTopic("t").partitions[0].segments.count == 1)
        #expect(try broker.runRetention().isEmpty)
        #expect(try broker.offsets("t", partition: 0).logStartOffset == 0)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 4)
    }

    @Test("a search by time never lands on them")
    func search() throws {
        let (api, broker, _) = try legacyAPI()
        _ = try produce(api, LegacyMessageSet.encode([Record(offset: 0, timestamp: -1, key: nil, value: bytes("v"))], magic: .v0), version: 0)
        _ = try produce(api, LegacyMessageSet.encode([Record(offset: 0, timestamp: 7, key: nil, value: bytes("w"))], magic: .v1), version: 2)
        #expect(try broker.offset("t", partition: 0, atOrAfter: 0) == 1)
    }
}

@Suite("Fetch v9+ checks the client's leader epoch")
struct FetchLeaderEpochTests {
    @Test("epoch -1 or 0 reads; a newer one is UNKNOWN_LEADER_EPOCH (75), an older one FENCED_LEADER_EPOCH (74)",
          arguments: [(Int32(-1), Int16(0)), (0, 0), (1, 75), (-2, 74)])
    func epoch(_ epoch: Int32, _ code: Int16) throws {
        let (api, _, _) = try legacyAPI()
        var partition = FetchRequest.Partition(index: 0, fetchOffset: 0, maxBytes: 1 << 20)
        partition.currentLeaderEpoch = epoch
        let request = FetchRequest(maxWaitMs: 0, minBytes: 0, maxBytes: .max, topics: [.init(name: "t", partitions: [partition])])
        #expect(try answer(api, request, version: 11).topics.first?.partitions.first?.errorCode == code)
        #expect(try answer(api, request, version: 8).topics.first?.partitions.first?.errorCode == 0, "before v9 there is no epoch to check")
    }
}
