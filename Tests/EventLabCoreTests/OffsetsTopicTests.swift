import EventLabCore
import Testing

@Suite("Where Kafka keeps a consumer group: its partition of __consumer_offsets")
struct OffsetsTopicTests {
    /// Java's String.hashCode worked out by hand from its definition, s[0]·31^(n-1) + … + s[n-1]
    /// in Int32 arithmetic: "ab" = 97·31 + 98; "hello" = ((((104·31 + 101)·31 + 108)·31 + 108)·31
    /// + 111; "é" is one UTF-16 unit (233), "😀" two (0xD83D·31 + 0xDE00); "polygenelubricants"
    /// wraps to exactly Int32.min.
    @Test("the hash is Java's String.hashCode over UTF-16 code units, wrapping as Int32")
    func javaHashCode() {
        #expect(OffsetsTopic.javaHashCode("") == 0)
        #expect(OffsetsTopic.javaHashCode("a") == 97)
        #expect(OffsetsTopic.javaHashCode("ab") == 3105)
        #expect(OffsetsTopic.javaHashCode("hello") == 99_162_322)
        #expect(OffsetsTopic.javaHashCode("é") == 233)
        #expect(OffsetsTopic.javaHashCode("😀") == 1_772_899)
        #expect(OffsetsTopic.javaHashCode("my-group") == -1_906_497_762)
        #expect(OffsetsTopic.javaHashCode("polygenelubricants") == Int32.min)
    }

    @Test("a group's partition is abs(hashCode) % 50, and Kafka's Utils.abs takes Int32.min to 0")
    func partition() {
        #expect(OffsetsTopic.partition(forGroup: "") == 0)
        #expect(OffsetsTopic.partition(forGroup: "a") == 47)
        #expect(OffsetsTopic.partition(forGroup: "ab") == 5)
        #expect(OffsetsTopic.partition(forGroup: "hello") == 22)
        #expect(OffsetsTopic.partition(forGroup: "my-group") == 12)
        #expect(OffsetsTopic.partition(forGroup: "polygenelubricants") == 0)
    }

    @Test("its replicas are the rack-unaware assignment of a 50-partition topic, replicated min(3, brokers) times")
    func replicas() {
        let brokers: [Int32] = [1, 2, 3, 4, 5]
        let (start, shift) = ReplicaAssignment.seeds(for: "__consumer_offsets", brokers: 5)
        let all = ReplicaAssignment.assign(partitions: 50, replicationFactor: 3, brokers: brokers, start: start, shift: shift)
        #expect(OffsetsTopic.replicas(forGroup: "my-group", brokers: brokers) == all[12])
        #expect(OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2]).sorted() == [1, 2])
        #expect(OffsetsTopic.replicas(forGroup: "my-group", brokers: [1]) == [1])
        #expect(OffsetsTopic.replicas(forGroup: "my-group", brokers: []) == [])
    }
}
