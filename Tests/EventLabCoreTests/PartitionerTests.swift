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

    @Test("round-robin gives records without a key the partitions in turn")
    func roundRobin() {
        var partitioner = Partitioner()
        var random = SeededRandom()
        let chosen = (0..<7).map { _ in
            partitioner.partition(for: ProducerRecord(key: nil, value: "x"), count: 3, unkeyed: .roundRobin, random: &random)
        }
        #expect(chosen == [0, 1, 2, 0, 1, 2, 0])
        #expect(random == SeededRandom())
    }

    @Test("an explicit partition wins over the key and the unkeyed rule")
    func explicitWins() {
        var partitioner = Partitioner()
        var random = SeededRandom()
        #expect(partitioner.partition(for: ProducerRecord(key: "key0", value: "x", partition: 2), count: 3, unkeyed: .sticky, random: &random) == 2)
        #expect(partitioner.partition(for: ProducerRecord(key: nil, value: "x", partition: 1), count: 3, unkeyed: .sticky, random: &random) == 1)
        #expect(partitioner.sticky.current == nil)
    }

    @Test("the sticky partitioner keeps a partition until batch.size bytes have gone there, then takes the seeded source's next pick")
    func stickyFollowsTheRule() {
        var sticky = StickyPartitioner(batchSize: 100)
        var random = SeededRandom(seed: 7)
        var oracle = SeededRandom(seed: 7)
        var placed: [Int32] = []
        for _ in 0..<40 {
            placed.append(sticky.partition(count: 5, random: &random))
            sticky.appended(30, count: 5, random: &random)
        }
        // 30-byte records: four reach 100 bytes, so each pick holds for four records.
        let picks = (0..<10).map { _ in oracle.partition(count: 5) }
        #expect(placed == picks.flatMap { Array(repeating: $0, count: 4) })
        #expect(Set(picks).count > 1)
        #expect(sticky.producedBytes == 0)
    }

    @Test("the sticky partitioner's default batch.size is Java's 16384 bytes, counted across sends")
    func stickyDefault() {
        var sticky = StickyPartitioner()
        var random = SeededRandom()
        let first = sticky.partition(count: 3, random: &random)
        sticky.appended(16_383, count: 3, random: &random)
        #expect(sticky.current == first && sticky.producedBytes == 16_383)
        sticky.appended(1, count: 3, random: &random)
        #expect(sticky.producedBytes == 0)
        var oracle = SeededRandom()
        _ = oracle.partition(count: 3)
        #expect(sticky.current == oracle.partition(count: 3))
    }

    @Test("one partition takes every unkeyed record")
    func stickyOnePartition() {
        var sticky = StickyPartitioner(batchSize: 10)
        var random = SeededRandom(seed: 3)
        for _ in 0..<20 {
            #expect(sticky.partition(count: 1, random: &random) == 0)
            sticky.appended(7, count: 1, random: &random)
        }
    }

    @Test("the same seed gives the same picks, and picks cover every partition", arguments: [UInt64(0), 1, 42])
    func seeded(seed: UInt64) {
        var one = SeededRandom(seed: seed)
        var two = SeededRandom(seed: seed)
        let picks = (0..<200).map { _ in one.partition(count: 6) }
        #expect(picks == (0..<200).map { _ in two.partition(count: 6) })
        #expect(Set(picks) == Set(0..<6))
    }
}

@Suite("Other clients' key placement")
struct ClientKeyPlacementTests {
    @Test("FNV-1a 32 matches the published test vectors")
    func fnv1a() {
        #expect(FNV1a.hash32([]) == 0x811C_9DC5)
        #expect(FNV1a.hash32(bytes("a")) == 0xE40C_292C)
        #expect(FNV1a.hash32(bytes("foobar")) == 0xBF9C_F968)
    }

    @Test("CRC-32 matches the standard check value and zlib")
    func crc32() {
        #expect(CRC32.checksum(bytes("123456789")) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        #expect(CRC32.checksum(bytes("a")) == 0xE8B7_BE43)
    }

    @Test("librdkafka puts a key at crc32 mod partitions, as confluent-kafka placed key0…key11 on 4 partitions; an empty key has no fixed place")
    func librdkafka() {
        let placed = (0..<12).map { ClientKeyPlacement.librdkafka(bytes("key\($0)"), count: 4) }
        #expect(placed == [2, 0, 2, 0, 3, 1, 3, 1, 0, 2, 1, 3])
        #expect(ClientKeyPlacement.librdkafka(bytes("sku-3"), count: 3) == 1)
        #expect(ClientKeyPlacement.librdkafka([], count: 3) == nil)
    }

    @Test("sarama keeps the sign of int32(fnv1a) % partitions, then negates: 'a' on 5 partitions is p1, not p0 (unsigned) nor p2 (Java's mask)")
    func sarama() {
        #expect(ClientKeyPlacement.sarama(bytes("a"), count: 5) == 1)
        #expect(ClientKeyPlacement.sarama(bytes("foobar"), count: 5) == 1)
        #expect(ClientKeyPlacement.sarama(bytes("sku-3"), count: 3) == 1)
        #expect(ClientKeyPlacement.sarama([], count: 4) == 3)
    }
}
