import EventLabCore
import EventLabTestSupport
@testable import EventLabWire
import Testing

@Suite("Old message sets read")
struct LegacyDecodingTests {
    @Test("kafka-python's message sets read as the records it wrote", arguments: LegacyCase.all)
    func golden(_ golden: LegacyCase) throws {
        for source in [LegacyMessageSet.Source.produceRequest, .fetchResponse] {
            let set = try LegacyMessageSet(decoding: golden.bytes[...], from: source)
            #expect(set.records == golden.expected)
            #expect(set.partialTailBytes == 0)
        }
    }

    @Test("a produced set becomes the v2 batch a producer of today would send, offsets from 0", arguments: LegacyCase.all)
    func producedBatch(_ golden: LegacyCase) throws {
        let set = try LegacyMessageSet(decoding: golden.bytes[...], from: .produceRequest)
        let batch = try #require(set.producedBatch())
        let checked = try RecordBatch(validating: batch.encoded())
        #expect(checked.baseOffset == 0)
        #expect(checked.recordCount == Int32(golden.records.count))
        let renumbered = golden.expected.enumerated().map { index, record in
            Record(offset: Int64(index), timestamp: record.timestamp, key: record.key, value: record.value)
        }
        #expect(try checked.records() == renumbered)
    }

    @Test("magic-0 records keep Kafka's NO_TIMESTAMP, -1, into the v2 batch")
    func magic0Timestamp() throws {
        let batch = try #require(LegacyMessageSet(decoding: hexBytes(LegacyGoldens.magic0Keyed)[...], from: .produceRequest).producedBatch())
        #expect(batch.maxTimestamp == -1)
        #expect(try batch.records().map(\.timestamp) == [-1, -1])
    }

    @Test("an empty set has no records and no batch")
    func empty() throws {
        let set = try LegacyMessageSet(decoding: [][...], from: .produceRequest)
        #expect(set.records.isEmpty)
        #expect(set.producedBatch() == nil)
    }

    @Test("sets follow one another, wrappers and plain messages alike")
    func concatenated() throws {
        let bytes = hexBytes(LegacyGoldens.magic0Keyed) + hexBytes(LegacyGoldens.magic1GzipLogAppendTime) + hexBytes(LegacyGoldens.magic1Keyed)
        let set = try LegacyMessageSet(decoding: bytes[...], from: .produceRequest)
        #expect(set.records == LegacyCase.all[0].expected + LegacyCase.all[6].expected + LegacyCase.all[2].expected)
        #expect(try #require(set.producedBatch()).records().map(\.offset) == Array(0..<7))
    }

    @Test("a slice is read where it starts, and keys and values stay views into it")
    func slice() throws {
        let golden = hexBytes(LegacyGoldens.magic1Keyed)
        let padded = [0xAA, 0xBB] + golden + [0xCC]
        let set = try LegacyMessageSet(decoding: padded[2..<(2 + golden.count)], from: .produceRequest)
        #expect(set.records == LegacyCase.all[2].expected)
        #expect(set.records[0].key?.startIndex ?? 0 > 2)
    }

    @Test("a fetch response's cut-off last message is skipped and counted, at every length")
    func cutOffInFetch() throws {
        let whole = hexBytes(LegacyGoldens.magic0Keyed)
        let next = hexBytes(LegacyGoldens.magic1Keyed)
        let firstOfNext = 12 + Int(next[11])  // the first message of magic1Keyed
        for cut in 1..<firstOfNext {
            let set = try LegacyMessageSet(decoding: (whole + next.prefix(cut))[...], from: .fetchResponse)
            #expect(set.records == LegacyCase.all[0].expected)
            #expect(set.partialTailBytes == cut)
        }
    }

    @Test("a produce request's cut-off last message is corrupt, at every length")
    func cutOffInProduce() throws {
        let whole = hexBytes(LegacyGoldens.magic0Keyed)
        let next = hexBytes(LegacyGoldens.magic1Keyed)
        for cut in 1..<(12 + Int(next[11])) {
            let error = brokerError { _ = try LegacyMessageSet(decoding: (whole + next.prefix(cut))[...], from: .produceRequest) }
            #expect(error?.code == .corruptMessage)
            #expect(error?.message.contains("the message at byte \(whole.count) is cut off") == true, "\(String(describing: error))")
        }
    }

    @Test("the magic byte is found where every format keeps it")
    func magicPeek() {
        #expect(LegacyMessageSet.magic(of: hexBytes(LegacyGoldens.magic0Keyed)[...]) == 0)
        #expect(LegacyMessageSet.magic(of: hexBytes(LegacyGoldens.magic1Gzip)[...]) == 1)
        #expect(LegacyMessageSet.magic(of: RecordBatch(records: [Record(offset: 0, timestamp: 0, key: nil, value: [1])]).encoded()[...]) == 2)
        #expect(LegacyMessageSet.magic(of: [UInt8](repeating: 0, count: 16)[...]) == nil)
    }
}
