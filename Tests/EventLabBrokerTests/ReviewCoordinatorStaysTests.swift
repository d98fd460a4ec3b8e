import EventLabCore
import Testing

/// Kafka creates `__consumer_offsets` once, with its replicas placed over the brokers of that
/// moment; a broker added later hosts none of it until an operator reassigns partitions, so no
/// group's coordinator moves when a broker joins.
@Suite("Review of issue 20: a broker added does not move the groups' coordinators")
struct ReviewCoordinatorStaysTests {
    @Test("every group keeps its coordinator across broker add, and none lands on the new, empty broker")
    func addedBrokerMovesNoCoordinator() throws {
        let broker = try Broker(cluster: MemoryCluster(brokers: 3), waker: nil)
        let groups = (0..<20).map { "group-\($0)" }
        let before = groups.map { broker.coordinator(forGroup: $0) }
        let added = try broker.addBroker()
        let after = groups.map { broker.coordinator(forGroup: $0) }
        #expect(after == before)
        #expect(!after.contains(added))
    }
}
