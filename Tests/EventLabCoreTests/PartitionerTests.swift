import Testing
@testable import EventLabCore
import EventLabTestSupport

@Suite("Partitioner")
struct PartitionerTests {
    static let javaVectors: [(String, Int32)] = [
        ("21", -973_932_308), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971), ("abc", 479_470_107), ("", 275_646_681),
    ]

    @Test("murmur2 matches Java's Utils.murmur2 test vectors", arguments: javaVectors)
    func murmur2(key: String, expected: Int32) {
        #expect(Murmur2.hash(bytes(key)) == expected)
    }

    @Test("keys land where kafka-python's producer put them on 3 and 4 partitions")
    func placementMatchesKafkaPython() {
        let keys = (0..<5).map { bytes("key\($0)") }
        #expect(keys.map { Partitioner.partition(forKey: $0, count: 3) } == [1, 2, 2, 1, 0])
        #expect(keys.map { Partitioner.partition(forKey: $0, count: 4) } == [2, 0, 3, 1, 1])
    }

    @Test("records without a key take the partitions in turn")
    func roundRobin() {
        var partitioner = Partitioner()
        let chosen = (0..<7).map { _ in partitioner.partition(for: ProducerRecord(key: nil, value: "x"), count: 3) }
        #expect(chosen == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test("an explicit partition wins over the key")
    func explicitWins() {
        var partitioner = Partitioner()
        #expect(partitioner.partition(for: ProducerRecord(key: "key0", value: "x", partition: 2), count: 3) == 2)
    }
}
