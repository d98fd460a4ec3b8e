import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("RecordBatch v2")
struct RecordBatchTests {
    static let single = [
        Record(offset: 0, timestamp: 1_700_000_000_000, key: bytes("k1"), value: bytes("v1"),
               headers: [RecordHeader(key: "h", value: bytes("x"))]),
    ]
    static let mixed = [
        Record(offset: 0, timestamp: 1_704_067_200_000, key: bytes("o-1"), value: bytes(#"{"type":"OrderPlaced","total":42}"#)),
        Record(offset: 1, timestamp: 1_704_067_200_005, key: nil, value: bytes("no key"),
               headers: [RecordHeader(key: "trace", value: bytes("abc")), RecordHeader(key: "empty", value: nil)]),
        Record(offset: 2, timestamp: 1_704_067_199_000, key: bytes("o-1"), value: nil),
    ]

    @Test("encoding a known record gives kafka-python's bytes, CRC 0xd39810ba")
    func goldenSingle() throws {
        let batch = RecordBatch(records: Self.single)
        #expect(batch.encoded() == (try fixture("record-batch-single.hex")))
        #expect(batch.byteCount == 76)
        #expect(batch.crc == 0xd398_10ba)
    }

    @Test("keys, null keys, tombstones, headers and timestamps out of order match kafka-python")
    func goldenMixed() throws {
        let batch = RecordBatch(records: Self.mixed)
        #expect(batch.encoded() == (try fixture("record-batch-mixed.hex")))
        #expect(batch.maxTimestamp == 1_704_067_200_005)
        #expect(batch.recordCount == 3)
        #expect(batch.lastOffsetDelta == 2)
    }

    @Test("a batch decodes to the records it was built from")
    func roundTrip() throws {
        let batch = try RecordBatch(validating: RecordBatch(records: Self.mixed).encoded())
        #expect(try batch.records() == Self.mixed)
    }

    @Test("kafka-python's bytes decode to the same records")
    func decodesGolden() throws {
        #expect(try RecordBatch(validating: fixture("record-batch-single.hex")).records() == Self.single)
    }

    @Test("rewriting the base offset moves every record and keeps the CRC valid")
    func rewriteBaseOffset() throws {
        var batch = RecordBatch(records: Self.mixed)
        batch.baseOffset = 1000
        let checked = try RecordBatch(validating: batch.encoded())
        #expect(try checked.records().map(\.offset) == [1000, 1001, 1002])
        #expect(checked.lastOffset == 1002)
    }

    @Test("a flipped byte fails the CRC with both checksums in the message")
    func flippedByte() throws {
        var damaged = RecordBatch(records: Self.single).encoded()
        damaged[70] ^= 0x40
        let error = brokerError { _ = try RecordBatch(validating: damaged) }
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.contains("CRC-32C is 0x") == true)
        #expect(error?.message.contains("batch says 0xd39810ba") == true)
    }

    @Test("a batch cut short, with a wrong length or magic, is rejected as corrupt")
    func malformedHeaders() throws {
        let good = RecordBatch(records: Self.single).encoded()
        var wrongMagic = good
        wrongMagic[16] = 1
        for broken in [Array(good.prefix(40)), Array(good.prefix(70)), good + [0], wrongMagic] {
            #expect(brokerError { _ = try RecordBatch(validating: broken) }?.code == .corruptMessage)
        }
    }

    @Test("a compressed batch is refused with UNSUPPORTED_COMPRESSION_TYPE")
    func compressed() throws {
        var bytes = RecordBatch(records: Self.single).encoded()
        bytes[22] = 1  // gzip
        let crc = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...])) }
        bytes.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
        #expect(brokerError { _ = try RecordBatch(validating: bytes) }?.code == .unsupportedCompressionType)
    }

    @Test("records whose lengths lie are reported as corrupt, never trap")
    func lyingRecordLength() throws {
        var bytes = RecordBatch(records: Self.single).encoded()
        bytes[61] = 0x7e  // record length 63, far past the end
        let batch = RecordBatch(trusted: bytes[...])
        #expect(brokerError { _ = try batch.records() }?.code == .corruptMessage)
    }

    @Test("random bytes after a valid header never crash the decoder")
    func fuzzRecords() {
        var generator = SplitMix(seed: 7)
        let header = Array(RecordBatch(records: Self.single).encoded().prefix(RecordBatch.headerSize))
        for _ in 0..<2000 {
            let tail = (0..<Int(generator.next() % 40)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? RecordBatch(trusted: (header + tail)[...]).records()
        }
    }
}

