import CZlib
@testable import EventLabWire
import Testing

@Suite("CRC-32 of the old message formats")
struct CRC32Tests {
    @Test("the folded CRC-32 is zlib's at every length and alignment, short and long")
    func agreesWithZlib() {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<3000).map { _ in UInt8.random(in: 0...255, using: &random) }
        for length in Array(0..<300) + [511, 512, 1000, 2047, 2990] {
            for start in 0..<3 {
                let slice = bytes[start..<(start + length)]
                let expected = slice.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32(0, $0.baseAddress, UInt32($0.count))) }
                #expect(CRC32.checksum(slice) == expected, "length \(length) from byte \(start)")
            }
        }
    }
}
