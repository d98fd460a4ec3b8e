import EventLabCore
import EventLabTestSupport
@testable import EventLabWire
import Testing

/// A golden message set and the records kafka-python reads from it.
struct LegacyCase: CustomTestStringConvertible, Sendable {
    let name: String
    let hex: String
    let magic: LegacyMessageSet.Magic
    let compressed: Bool
    /// (offset, timestamp, key, value), as strings for readability.
    let records: [(Int64, Int64, String?, String?)]

    var bytes: [UInt8] { hexBytes(hex) }
    var expected: [Record] {
        records.map { Record(offset: $0.0, timestamp: $0.1, key: $0.2.map(EventLabTestSupport.bytes), value: $0.3.map(EventLabTestSupport.bytes)) }
    }
    var testDescription: String { name }

    static let order = #"{"type":"OrderPlaced","total":42}"#

    /// Every golden that decodes, with what it holds (the generator's CASES).
    static let all: [LegacyCase] = [
        LegacyCase(name: "magic 0, keyed", hex: LegacyGoldens.magic0Keyed, magic: .v0, compressed: false,
                   records: [(0, -1, "k1", "v1"), (1, -1, "k2", "hello")]),
        LegacyCase(name: "magic 0, no key and a tombstone", hex: LegacyGoldens.magic0NoKeyAndTombstone, magic: .v0, compressed: false,
                   records: [(7, -1, nil, "no key"), (8, -1, "o-1", nil)]),
        LegacyCase(name: "magic 1, keyed, no key, tombstone", hex: LegacyGoldens.magic1Keyed, magic: .v1, compressed: false,
                   records: [(100, 1704067200000, "o-1", order), (101, 1704067200005, nil, "no key"), (102, 1704067199000, "o-1", nil)]),
        LegacyCase(name: "magic 1, LogAppendTime", hex: LegacyGoldens.magic1LogAppendTime, magic: .v1, compressed: false,
                   records: [(5, 1704067300000, "k", "v")]),
        LegacyCase(name: "magic 0, gzip wrapper", hex: LegacyGoldens.magic0Gzip, magic: .v0, compressed: true,
                   records: [(0, -1, "k1", "v1"), (1, -1, nil, "v2"), (2, -1, "k3", nil)]),
        LegacyCase(name: "magic 1, gzip wrapper at offset 0", hex: LegacyGoldens.magic1Gzip, magic: .v1, compressed: true,
                   records: [(0, 1704067200000, "o-1", order), (1, 1704067200005, nil, "no key"), (2, 1704067199000, "o-1", nil)]),
        LegacyCase(name: "magic 1, LogAppendTime gzip wrapper at offset 41", hex: LegacyGoldens.magic1GzipLogAppendTime, magic: .v1, compressed: true,
                   records: [(40, 1704067999000, "a", "1"), (41, 1704067999000, "b", "2")]),
    ]

    static let uncompressed = all.filter { !$0.compressed }
}

/// `bytes` with the first message's attributes OR-ed with `bits` and its CRC-32 made right.
func restamped(_ bytes: [UInt8], attributes bits: UInt8) -> [UInt8] {
    var bytes = bytes
    bytes[17] |= bits
    let size = Int(bytes[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    let crc = CRC32.checksum(bytes[16..<(12 + size)])
    bytes.replaceSubrange(12..<16, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
    return bytes
}
