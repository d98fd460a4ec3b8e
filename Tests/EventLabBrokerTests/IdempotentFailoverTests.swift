import EventLabCore
import EventLabTestSupport
import Testing

@Suite("Idempotent producers across a leader change: the new leader answers from its own log")
struct IdempotentFailoverTests {
    /// A cluster of three with topic `t` (one partition on all three), the partition's replicas
    /// in preference order.
    private func cluster(_ backend: Backend, unclean: Bool = false) throws -> (TestCluster, [Int32]) {
        let cluster = try TestCluster(backend)
        try cluster.createTopic("t", partitions: 1, factor: 3, minInsync: 1, unclean: unclean)
        return (cluster, try cluster.broker.leadership("t", partition: 0).replicas)
    }

    /// Appends producer 7's batch at `sequence`: where its first record is.
    private func send(_ cluster: TestCluster, _ sequence: Int32) throws -> Int64 {
        try cluster.broker.append(idempotentBatch(sequence: sequence), topic: "t", partition: 0)
    }

    /// Every value of `t` once the live replicas caught up.
    private func values(_ cluster: TestCluster) throws -> [String] {
        _ = cluster.broker.settleReplication()
        return try cluster.broker.read("t", partition: 0, from: 0, maxRecords: .max).map { text($0.value) }
    }

    @Test("a batch the followers never fetched is appended again when the producer retries it on the new leader, and the next follows", arguments: Backend.allCases)
    func unfetchedBatch(backend: Backend) throws {
        let (cluster, replicas) = try cluster(backend)
        #expect(try send(cluster, 0) == 0)
        for follower in replicas.dropFirst() { try cluster.broker.pauseBroker(follower) }
        #expect(try send(cluster, 1) == 1)
        _ = try cluster.broker.killBroker(replicas[0])
        #expect(try cluster.broker.leadership("t", partition: 0).leader == replicas[1])
        #expect(try send(cluster, 1) == 1, "appended, not answered from the old leader's producer state")
        #expect(try send(cluster, 2) == 2)
        #expect(try send(cluster, 2) == 2, "now a duplicate")
        for follower in replicas.dropFirst() { _ = try cluster.broker.resumeBroker(follower) }
        #expect(try values(cluster) == ["s0", "s1", "s2"])
    }

    @Test("a batch replicated before the leader died is a duplicate on the new leader, at its offset", arguments: Backend.allCases)
    func replicatedBatch(backend: Backend) throws {
        let (cluster, replicas) = try cluster(backend)
        #expect(try send(cluster, 0) == 0)
        #expect(try send(cluster, 1) == 1)
        _ = cluster.broker.settleReplication()
        _ = try cluster.broker.killBroker(replicas[0])
        #expect(try send(cluster, 1) == 1)
        #expect(try send(cluster, 0) == 0)
        #expect(try send(cluster, 2) == 2)
        #expect(brokerError { _ = try send(cluster, 4) }?.code == .outOfOrderSequenceNumber)
        #expect(try values(cluster) == ["s0", "s1", "s2"])
    }

    @Test("after an unclean election loses batches, their retries are appended; the old leader, cut back, answers from what it then copied", arguments: Backend.allCases)
    func uncleanElection(backend: Backend) throws {
        let (cluster, replicas) = try cluster(backend, unclean: true)
        #expect(try send(cluster, 0) == 0)
        _ = try cluster.broker.stopBroker(replicas[1])
        _ = try cluster.broker.stopBroker(replicas[2])
        #expect(try send(cluster, 1) == 1)
        #expect(try send(cluster, 2) == 2)
        _ = try cluster.broker.killBroker(replicas[0])
        let events = try cluster.broker.startBroker(replicas[1])
        #expect(events.contains { if case .leaderElected(_, let leader, _, _, .unclean(lost: _)) = $0 { leader == replicas[1] } else { false } })
        // Another producer writes first, so the retries land elsewhere than the old leader had them.
        let plain = RecordBatch(records: [Record(offset: 0, timestamp: 1, key: nil, value: bytes("plain"))])
        #expect(try cluster.broker.append(plain, topic: "t", partition: 0) == 1)
        #expect(try send(cluster, 1) == 2)
        #expect(try send(cluster, 2) == 3)
        _ = try cluster.broker.startBroker(replicas[0])
        _ = try cluster.broker.startBroker(replicas[2])
        #expect(try values(cluster) == ["s0", "plain", "s1", "s2"])
        _ = try cluster.broker.killBroker(replicas[1])
        #expect(try cluster.broker.leadership("t", partition: 0).leader == replicas[0])
        #expect(try send(cluster, 2) == 3, "the old leader's own s2@2 was cut back")
        #expect(try send(cluster, 3) == 4)
        #expect(try values(cluster) == ["s0", "plain", "s1", "s2", "s3"])
    }
}
