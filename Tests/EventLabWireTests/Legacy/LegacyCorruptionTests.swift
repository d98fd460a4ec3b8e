import EventLabCore
import EventLabTestSupport
@testable import EventLabWire
import Testing

@Suite("Old message sets refused")
struct LegacyCorruptionTests {
    func refusal(_ bytes: [UInt8], from source: LegacyMessageSet.Source = .produceRequest) -> BrokerError? {
        brokerError { _ = try LegacyMessageSet(decoding: bytes[...], from: source) }
    }

    @Test("a flipped bit fails the message's CRC-32, named by its byte")
    func badCRC() {
        var bytes = hexBytes(LegacyGoldens.magic0Keyed)
        bytes[bytes.count - 1] ^= 0x01
        let error = refusal(bytes)
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.hasPrefix("corrupt message set: the message at byte 30 fails its CRC-32: it says 0x9ad8ec73") == true)
    }

    @Test("a magic other than 0 or 1 is refused, and magic 2 is named as a v2 batch")
    func badMagic() {
        for magic: UInt8 in [2, 3, 0xFF] {
            var bytes = hexBytes(LegacyGoldens.magic1Keyed)
            bytes[16] = magic
            let error = refusal(bytes)
            #expect(error?.code == .corruptMessage)
            #expect(error?.message.contains("has magic \(Int8(bitPattern: magic))") == true)
            #expect(error?.message.contains("RecordBatch v2") == (magic == 2))
        }
    }

    @Test("a size field claiming 2 GB is a cut-off message, and nothing that size is allocated")
    func hugeSize() {
        var bytes = hexBytes(LegacyGoldens.magic0Keyed)
        bytes.replaceSubrange(8..<12, with: [0x7F, 0xFF, 0xFF, 0xFF])
        #expect(refusal(bytes)?.message.contains("is cut off: it needs 2147483659 bytes but 63 remain") == true)
        let fetched = try? LegacyMessageSet(decoding: bytes[...], from: .fetchResponse)
        #expect(fetched?.records == [])
        #expect(fetched?.partialTailBytes == bytes.count)
    }

    @Test("a size below the smallest message is corrupt even in a fetch response")
    func tinySize() {
        for size: UInt8 in [0, 13] {
            var bytes = hexBytes(LegacyGoldens.magic0Keyed)
            bytes[11] = size
            #expect(refusal(bytes, from: .fetchResponse)?.message.contains("less than the 14 bytes of the smallest message") == true)
        }
        var negative = hexBytes(LegacyGoldens.magic0Keyed)
        negative.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(refusal(negative)?.code == .corruptMessage)
    }

    @Test("a key length that overruns its message is corrupt, not a crash")
    func keyOverrun() {
        let plain = LegacyMessageSet.encode([Record(offset: 0, timestamp: 0, key: [1], value: [2])], magic: .v0)
        var bytes = plain
        bytes[21] = 0x40  // key length 64 in a 22-byte message
        bytes = restamped(bytes, attributes: 0)
        #expect(refusal(bytes)?.message.contains("says its key takes 64 bytes, but 6 remain in it") == true)
    }

    @Test("snappy, lz4 and zstd wrappers are refused with UNSUPPORTED_COMPRESSION_TYPE, codecs 5 to 7 as corrupt")
    func otherCodecs() {
        let plain = hexBytes(LegacyGoldens.magic1Keyed)
        for codec: UInt8 in 2...7 {
            let error = refusal(restamped(plain, attributes: codec))
            #expect(error?.code == (codec <= 4 ? .unsupportedCompressionType : .corruptMessage), "codec \(codec)")
            #expect(error?.message.contains("the compressed wrapper at byte 0") == true)
        }
    }

    @Test("a gzip wrapper with a null value, or bad gzip data, is refused")
    func badGzip() {
        let nullValue = restamped(LegacyMessageSet.encode([Record(offset: 0, timestamp: 0, key: nil as [UInt8]?, value: nil)], magic: .v1), attributes: 1)
        #expect(refusal(nullValue)?.code == .invalidRecord)
        var damaged = hexBytes(LegacyGoldens.magic0Gzip)
        damaged[damaged.count - 5] ^= 0xFF  // the gzip trailer's CRC
        damaged = restamped(damaged, attributes: 0)
        let error = refusal(damaged)
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.hasPrefix("corrupt message set: in the compressed wrapper at byte 0: bad gzip data") == true)
    }

    @Test("wrappers kafka-python never writes are refused as Kafka refuses them", arguments: [
        (LegacyGoldens.magic1WrapperOfMagic0, KafkaErrorCode.invalidRecord, "of magic 1, the message at byte 0 has magic 0"),
        (LegacyGoldens.magic0WrapperOfGzip, .invalidRecord, "the message at byte 0 is compressed again"),
        (LegacyGoldens.magic1WrapperOfNothing, .invalidRecord, "holds no inner messages"),
        (LegacyGoldens.magic0WrapperOfCutOff, .corruptMessage, "in the compressed wrapper at byte 0, the message at byte 0 is cut off"),
    ])
    func badWrappers(_ hex: String, _ code: KafkaErrorCode, _ saying: String) {
        let error = refusal(hexBytes(hex), from: .fetchResponse)
        #expect(error?.code == code)
        #expect(error?.message.contains(saying) == true, "\(String(describing: error))")
    }

    @Test("a magic-1 wrapper whose offset is below its last inner offset is refused")
    func wrapperOffsetBelowInner() throws {
        var bytes = hexBytes(LegacyGoldens.magic1GzipLogAppendTime)
        bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: Int64(1).bigEndian, Array.init))  // the offset is outside the CRC
        #expect(try LegacyMessageSet(decoding: bytes[...], from: .produceRequest).records.map(\.offset) == [0, 1])
        bytes[7] = 0xFF
        bytes.replaceSubrange(0..<7, with: [0x80, 0, 0, 0, 0, 0, 0])  // Int64.min + 255
        let error = refusal(bytes)
        #expect(error?.code == .invalidRecord)
        #expect(error?.message.contains("less than its last inner message's 1") == true)
    }

    @Test("every truncation and every flipped bit of every golden is a clear error or a valid read, never a crash")
    func everyPosition() {
        let goldens = LegacyCase.all.map(\.bytes) + [
            LegacyGoldens.magic1WrapperOfMagic0, LegacyGoldens.magic0WrapperOfGzip,
            LegacyGoldens.magic1WrapperOfNothing, LegacyGoldens.magic0WrapperOfCutOff,
        ].map(hexBytes)
        var refused = 0
        for golden in goldens {
            for length in 0..<golden.count {
                for source in [LegacyMessageSet.Source.produceRequest, .fetchResponse] {
                    if let error = refusal(Array(golden.prefix(length)), from: source) { check(error); refused += 1 }
                }
            }
            for index in golden.indices {
                for bit in 0..<8 {
                    var bytes = golden
                    bytes[index] ^= 1 << bit
                    if let error = refusal(bytes) { check(error); refused += 1 }
                }
            }
        }
        #expect(refused > 5_000)
    }

    @Test("10,000 random mutations of the goldens are a clear error or a valid read")
    func randomMutations() {
        var random = SplitMix(seed: 18)
        let goldens = LegacyCase.all.map(\.bytes)
        for _ in 0..<10_000 {
            var bytes = goldens[Int(random.next() % UInt64(goldens.count))]
            for _ in 0...(random.next() % 4) {
                switch random.next() % 3 {
                case 0: bytes[Int(random.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes += goldens[Int(random.next() % UInt64(goldens.count))].prefix(Int(random.next() % 64))
                default: bytes.removeSubrange(Int(random.next() % UInt64(bytes.count))...)
                }
                if bytes.isEmpty { bytes = [0] }
            }
            let source: LegacyMessageSet.Source = random.next() % 2 == 0 ? .produceRequest : .fetchResponse
            if let error = refusal(bytes, from: source) { check(error) }
        }
    }

    private func check(_ error: BrokerError) {
        let codes: [KafkaErrorCode] = [.corruptMessage, .invalidRecord, .unsupportedCompressionType, .messageTooLarge]
        #expect(codes.contains(error.code), "\(error)")
        #expect(error.message.hasPrefix("corrupt message set: ") || error.message.hasPrefix("invalid message set: ")
            || error.code == .unsupportedCompressionType, "\(error)")
    }
}
