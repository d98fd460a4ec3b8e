import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("CRC-32C and varints")
struct CodecTests {
    @Test("CRC-32C of the standard check string is 0xe3069283")
    func crcCheckValue() {
        #expect(CRC32C.checksum(bytes("123456789")) == 0xe306_9283)
    }

    @Test("CRC-32C by the CPU instruction and by slices of eight agree with the bitwise definition for every length")
    func crcMatchesBitwise() {
        func bitwise(_ data: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in data {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
            }
            return ~crc
        }
        let data = (0..<100).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...data.count {
            let prefix = Array(data.prefix(length))
            #expect(CRC32C.checksum(prefix) == bitwise(prefix))
            #expect(prefix.withUnsafeBytes { CRC32C.softwareChecksum($0) } == bitwise(prefix))
        }
    }

    @Test("long inputs, which the CPU path cuts into three lanes joined by shift tables, agree with slices of eight")
    func crcLongInputs() {
        var random = SplitMix(seed: 42)
        let data = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let lengths = [767, 768, 769, 1000, 3 * 8192 - 1, 3 * 8192, 3 * 8192 + 1, 3 * 8192 + 3 * 256 + 13, 65_536, 100_000]
        for length in lengths + (0..<20).map({ _ in Int.random(in: 0...100_000, using: &random) }) {
            let start = Int.random(in: 0...min(7, 100_000 - length), using: &random)  // unaligned starts too
            let slice = data[start..<start + length]
            #expect(slice.withUnsafeBytes { CRC32C.checksum($0) } == slice.withUnsafeBytes { CRC32C.softwareChecksum($0) }, "\(length) bytes")
        }
    }

    static let kafkaVarints: [(Int64, [UInt8])] = [
        (-1, [0x01]), (0, [0x00]), (1, [0x02]), (64, [0x80, 0x01]), (300, [0xd8, 0x04]),
    ]

    @Test("zigzag varints encode as Kafka's examples", arguments: kafkaVarints)
    func varintExamples(value: Int64, encoded: [UInt8]) throws {
        var writer = ByteWriter()
        writer.writeVarint(value)
        #expect(writer.bytes == encoded)
        #expect(ByteWriter.varintSize(value) == encoded.count)
        #expect(try ByteReader.reading(encoded) { reader throws(ByteReader.Truncated) in try reader.readVarint() } == value)
    }

    @Test("varints round-trip at the extremes")
    func varintExtremes() throws {
        for value in [Int64.min, Int64.max, -64, 63, Int64(Int32.min), Int64(Int32.max)] {
            var writer = ByteWriter()
            writer.writeVarint(value)
            #expect(try ByteReader.reading(writer.bytes) { reader throws(ByteReader.Truncated) in try reader.readVarint() } == value)
        }
    }

    @Test("a varint cut short or too long throws instead of trapping")
    func varintTruncated() {
        for broken: [UInt8] in [[0x80], [0xff, 0xff], Array(repeating: 0xff, count: 11)] {
            #expect(throws: ByteReader.Truncated.self) {
                try ByteReader.reading(broken) { reader throws(ByteReader.Truncated) in try reader.readVarint() }
            }
        }
    }

    @Test("signed integers read their sign from the top bit, without trapping")
    func signedIntegers() throws {
        #expect(try ByteReader.reading([0xFF]) { reader throws(ByteReader.Truncated) in try reader.read(Int8.self) } == -1)
        #expect(try ByteReader.reading([0xFF, 0xFE]) { reader throws(ByteReader.Truncated) in try reader.read(Int16.self) } == -2)
    }

    @Test("reading past the end of a buffer throws with the position")
    func readPastEnd() {
        #expect(throws: ByteReader.Truncated(position: 0)) {
            try ByteReader.reading([1, 2, 3]) { reader throws(ByteReader.Truncated) in try reader.read(Int32.self) }
        }
    }
}
