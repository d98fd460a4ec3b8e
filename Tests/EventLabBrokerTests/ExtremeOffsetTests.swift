import EventLabCore
import EventLabTestSupport
import Testing

@Suite("Committed offsets and shifts at the ends of Int64")
struct ExtremeOffsetTests {
    @Test("a group that committed −2^63 and 2^63−1 is described with saturated lag, and shifts past the ends clamp to the log", arguments: Backend.allCases)
    func extremes(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("t", partitions: 2, config: TopicConfig())
        _ = try broker.publish("t", [ProducerRecord(key: nil, value: "a", partition: 0), ProducerRecord(key: nil, value: "b", partition: 1)])
        let errors = broker.commitOffsets(groupId: "g", offsets: [
            TopicPartition("t", 0): CommittedOffset(offset: .min), TopicPartition("t", 1): CommittedOffset(offset: .max),
        ])
        #expect(errors.values.allSatisfy { $0 == .none })
        let described = try broker.describeGroup("g")
        #expect(described.partitions.map(\.lag) == [.max, 0])
        #expect(described.totalLag == .max)
        let up = try broker.resetOffsets(groupId: "g", scope: .allTopics, to: .shift(.max), execute: true)
        #expect(up.map(\.newOffset) == [0, 1])  // −2^63 + (2^63−1) is −1, before the log start
        let down = try broker.resetOffsets(groupId: "g", scope: .allTopics, to: .shift(.min), execute: false)
        #expect(down.map(\.newOffset) == [0, 0])
    }
}
