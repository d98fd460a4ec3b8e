import EventLabCore
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// Groups named as tests name them.
private let groups = (0..<50).map { "group-\($0)" }

@Suite("A group's coordinator leads its partition of __consumer_offsets, placed once, and moves with its broker")
struct CoordinatorPlacementTests {
    private func cluster(_ brokers: Int, image: String? = nil) throws -> Broker {
        let storage = MemoryCluster(brokers: brokers)
        if let image { storage.saveImage(image) }
        return try Broker(cluster: storage, waker: nil)
    }

    /// A cluster in workspace `directory`: `brokers` new ones if it has none.
    private func open(_ directory: String, brokers: Int = 0) throws -> Broker {
        try Broker(cluster: Workspace(directory: directory).makeCluster(newBrokers: brokers), waker: nil)
    }

    /// The workspace's `cluster` file.
    private func clusterFile(_ directory: String) throws -> String {
        try String(contentsOfFile: directory + "/cluster", encoding: .utf8)
    }

    @Test("the coordinator is the preferred replica of the group's partition; groups spread over the brokers")
    func placed() throws {
        let broker = try cluster(3)
        let replicas = OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2, 3])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[0])
        #expect(Set(groups.map { broker.coordinator(forGroup: $0) }) == [1, 2, 3])
        #expect(try self.cluster(1).coordinator(forGroup: "my-group") == 1)
    }

    @Test("every group keeps its coordinator across broker add, and none lands on the new, empty broker", arguments: Backend.allCases)
    func addedBrokerMovesNoCoordinator(_ backend: Backend) throws {
        let directory = temporaryDirectory("eventlab-coordinator")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = backend == .memory ? try cluster(3) : try open(directory, brokers: 3)
        let before = groups.map { broker.coordinator(forGroup: $0) }
        let added = try broker.addBroker()
        let after = groups.map { broker.coordinator(forGroup: $0) }
        #expect(after == before)
        #expect(!after.contains(added))
        guard backend == .disk else { return }
        #expect(try clusterFile(directory).contains("\noffsets-topic-brokers 1,2,3\n"))
        try broker.close()
    }

    @Test("a workspace opened again keeps the placement, the added broker still coordinating nothing")
    func reopenedKeepsPlacement() throws {
        let directory = temporaryDirectory("eventlab-coordinator")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = try { () throws -> [Int32?] in
            let broker = try open(directory, brokers: 3)
            _ = try broker.addBroker()
            defer { try? broker.close() }
            return groups.map { broker.coordinator(forGroup: $0) }
        }()
        let broker = try open(directory)
        #expect(broker.brokerIds == [1, 2, 3, 4])
        #expect(groups.map { broker.coordinator(forGroup: $0) } == before)
        try broker.close()
    }

    @Test("a workspace made with one broker and grown to three keeps every coordinator on broker 1, as Kafka's topic of replication factor 1", arguments: Backend.allCases)
    func grownFromOneBroker(_ backend: Backend) throws {
        let directory = temporaryDirectory("eventlab-coordinator")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let broker = backend == .memory ? try cluster(1) : try open(directory, brokers: 1)
        _ = try broker.addBroker()
        _ = try broker.addBroker()
        #expect(Set(groups.map { broker.coordinator(forGroup: $0) }) == [1])
        _ = try broker.stopBroker(1)
        #expect(Set(groups.map { broker.coordinator(forGroup: $0) }) == [nil])
        _ = try broker.startBroker(1)
        #expect(Set(groups.map { broker.coordinator(forGroup: $0) }) == [1])
        guard backend == .disk else { return }
        #expect(try clusterFile(directory).contains("\noffsets-topic-brokers 1\n"))
        try broker.close()
    }

    @Test("a cluster file written before the placement was kept opens as before, places the topic over the brokers at hand, and keeps them from its next save")
    func oldClusterFile() throws {
        let directory = temporaryDirectory("eventlab-coordinator")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let broker = try open(directory, brokers: 3)
            _ = try broker.addBroker()
            try broker.close()
        }
        let old = try clusterFile(directory).replacingOccurrences(of: "offsets-topic-brokers 1,2,3\n", with: "")
        try old.write(toFile: directory + "/cluster", atomically: true, encoding: .utf8)
        let broker = try open(directory)
        let placed = groups.map { OffsetsTopic.replicas(forGroup: $0, brokers: [1, 2, 3, 4])[0] }
        #expect(groups.map { broker.coordinator(forGroup: $0) } == placed)
        #expect(try clusterFile(directory) == old)
        try broker.pauseBroker(4)
        #expect(try clusterFile(directory).contains("\noffsets-topic-brokers 1,2,3,4\n"))
        try broker.close()
        // The memory twin reads the same lines.
        let memory = try cluster(4, image: "version 1\ncontroller 1\ncontroller-epoch 1\nbroker 1 running\nbroker 4 running\n")
        #expect(groups.map { memory.coordinator(forGroup: $0) } == placed)
    }

    @Test("a malformed offsets-topic-brokers line is refused as any unreadable line of the cluster file", arguments: ["-", "2,1", "1,x", "0", "1 2"])
    func malformedLine(_ brokers: String) {
        let error = brokerError { _ = try cluster(3, image: "version 1\noffsets-topic-brokers \(brokers)\n") }
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.hasPrefix("the cluster file's line 2 cannot be read: 'offsets-topic-brokers \(brokers)'") == true)
    }

    @Test("when the coordinator's broker goes down, the next live replica coordinates; a paused broker still does; none while all are down, and the first back leads")
    func failsOver() throws {
        let broker = try cluster(3)
        let replicas = OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2, 3])
        _ = try broker.stopBroker(replicas[0])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[1])
        _ = try broker.killBroker(replicas[1], powerLoss: true)
        #expect(broker.coordinator(forGroup: "my-group") == replicas[2])
        try broker.pauseBroker(replicas[2])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[2], "a paused broker still serves")
        _ = try broker.killBroker(replicas[2])
        #expect(broker.coordinator(forGroup: "my-group") == nil)
        _ = try broker.startBroker(replicas[1])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[1])
        _ = try broker.startBroker(replicas[0])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[1], "the preferred broker waits for the preferred-leader check")
    }

    @Test("the coordinator stays on the failover broker after the preferred one starts, and moves back at the preferred-leader check")
    func movesBackAtPreferredLeaderCheck() throws {
        let broker = try cluster(3)
        let replicas = OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2, 3])
        _ = try broker.stopBroker(replicas[0])
        _ = try broker.startBroker(replicas[0])
        #expect(broker.coordinator(forGroup: "my-group") == replicas[1])
        let moved = groups.filter { broker.coordinator(forGroup: $0) != OffsetsTopic.replicas(forGroup: $0, brokers: [1, 2, 3])[0] }
        #expect(!moved.isEmpty)
        #expect(try broker.electPreferredLeaders() == [], "a coordinator's move is no data partition's election")
        #expect(broker.coordinator(forGroup: "my-group") == replicas[0])
        #expect(groups.allSatisfy { broker.coordinator(forGroup: $0) == OffsetsTopic.replicas(forGroup: $0, brokers: [1, 2, 3])[0] })
    }

    @Test("the scheduled preferred-leader check moves it back after leader.imbalance.check.interval.seconds", arguments: Backend.allCases)
    func movesBackOnSchedule(_ backend: Backend) throws {
        let test = try TestCluster(backend)
        let replicas = OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2, 3])
        _ = try test.broker.stopBroker(replicas[0])
        _ = try test.broker.startBroker(replicas[0])
        try test.advance(299_000)
        #expect(test.broker.coordinator(forGroup: "my-group") == replicas[1])
        try test.advance(1_000)
        #expect(test.broker.coordinator(forGroup: "my-group") == replicas[0])
    }

    @Test("who coordinates is not kept: a workspace opened again gives each group its first live replica")
    func reopenedLeadsFromFirstLiveReplica() throws {
        let test = try TestCluster(.disk)
        let replicas = OffsetsTopic.replicas(forGroup: "my-group", brokers: [1, 2, 3])
        _ = try test.broker.stopBroker(replicas[0])
        try test.restart()
        #expect(test.broker.coordinator(forGroup: "my-group") == replicas[1], "a broker stopped stays stopped")
        _ = try test.broker.startBroker(replicas[0])
        #expect(test.broker.coordinator(forGroup: "my-group") == replicas[1])
        try test.restart()
        #expect(test.broker.coordinator(forGroup: "my-group") == replicas[0])
    }
}
