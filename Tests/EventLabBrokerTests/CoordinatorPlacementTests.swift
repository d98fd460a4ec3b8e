import EventLabCore
import Testing

@Suite("A group's coordinator leads its partition of __consumer_offsets, and moves with its broker")
struct CoordinatorPlacementTests {
    private func cluster(_ brokers: Int) throws -> Broker {
        try Broker(cluster: MemoryCluster(brokers: brokers), waker: nil)
    }

    @Test("the coordinator is the preferred replica of the group's partition; groups spread over the brokers")
    func placed() throws {
        let broker = try cluster(3)
        let replicas = OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2, 3])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[0])
        let coordinators = Set((0..<50).map { broker.coordinator(forGroup: "group-\($0)") })
        #expect(coordinators == [1, 2, 3])
        #expect(try self.cluster(1).coordinator(forGroup: "my-group") == 1)
    }

    @Test("when the coordinator's broker stops, the next live replica coordinates; it moves back when the broker starts; none while all are down")
    func moves() throws {
        let broker = try cluster(3)
        let replicas = OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2, 3])
        _ = try broker.stopBroker(replicas[0])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[1])
        _ = try broker.killBroker(replicas[1])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[2])
        try broker.pauseBroker(replicas[2])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[2], "a paused broker still serves")
        _ = try broker.startBroker(replicas[0])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[0])
        _ = try broker.stopBroker(replicas[0])
        _ = try broker.stopBroker(replicas[2])
        #expect(broker.coordinator(forGroup: "my-group") == nil)
    }
}
