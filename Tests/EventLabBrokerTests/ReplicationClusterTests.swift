import EventLabCore
import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// A cluster of brokers for the replication tests, in memory or in a workspace on disk, on a
/// logical clock with no background waker, that a test can close and reopen as a restarted
/// process would.
final class TestCluster {
    let backend: Backend
    let clock = LogicalClock()
    let timer = ManualTimer()
    /// The flush policy of the disk backend; the memory backend behaves as `os`.
    let policy: FlushPolicy
    /// The broker; after a reopen, the new one.
    var broker: Broker { current! }
    /// Whether a broker is open: false after a restart that failed to open the workspace again.
    var isOpen: Bool { current != nil }
    private var current: Broker?
    private let directory: String?
    private var workspace: Workspace?
    private let seed: UInt64
    private let config: BrokerConfig
    private let pace: ReplicationPace

    /// A cluster of `brokers` brokers whose sticky partitioner draws from `seed`.
    init(_ backend: Backend, brokers: Int = 3, policy: FlushPolicy = .os, pace: ReplicationPace = .continuous, seed: UInt64 = 1) throws {
        self.backend = backend
        self.pace = pace
        self.policy = policy
        self.seed = seed
        var config = BrokerConfig()
        if policy == .batch { config.dirtyExpireMs = 0 }
        self.config = config
        switch backend {
        case .memory:
            directory = nil
            current = try Broker(
                cluster: MemoryCluster(brokers: brokers), clock: clock, timer: timer, ids: SeededIdSource(seed: 1),
                random: SeededRandom(seed: seed), config: config, waker: nil)
        case .disk:
            let directory = temporaryDirectory("eventlab-cluster")
            self.directory = directory
            let workspace = try Workspace(directory: directory, policy: policy)
            self.workspace = workspace
            current = try Broker(
                cluster: workspace.makeCluster(newBrokers: brokers), clock: clock, timer: timer, ids: SeededIdSource(seed: 1),
                random: SeededRandom(seed: seed), config: config, waker: nil)
        }
        broker.replicationPace = pace
    }

    /// Closes the whole process cleanly and opens the workspace again; the memory backend keeps
    /// its broker.
    func restart() throws {
        guard let directory else { return }
        try broker.close()
        current = nil
        workspace = nil
        let workspace = try Workspace(directory: directory, policy: policy)
        self.workspace = workspace
        current = try Broker(
            cluster: workspace.makeCluster(newBrokers: 0), clock: clock, timer: timer, ids: SeededIdSource(seed: 1),
            random: SeededRandom(seed: seed), config: config, waker: nil)
        broker.replicationPace = pace
    }

    /// Moves the broker clock (and the timer with it) by `milliseconds`, running what falls due.
    func advance(_ milliseconds: Int64) throws {
        timer.advance(milliseconds)
        try broker.scheduler.advanceClock(by: milliseconds)
    }

    /// Creates topic `name` with `partitions` partitions replicated `factor` times, with
    /// `min.insync.replicas` and `unclean.leader.election.enable` as given.
    func createTopic(_ name: String, partitions: Int, factor: Int, minInsync: Int, unclean: Bool) throws {
        var config = TopicConfig()
        try config.set("min.insync.replicas", to: String(minInsync))
        try config.set("unclean.leader.election.enable", to: String(unclean))
        try broker.createTopic(name, partitions: partitions, replicationFactor: factor, config: config)
    }

    deinit {
        current = nil
        workspace = nil
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

/// Values of records as text, for messages.
func text(_ bytes: ArraySlice<UInt8>?) -> String {
    bytes.map { String(decoding: $0, as: UTF8.self) } ?? "null"
}

@Suite("A whole-process restart of a cluster")
struct ReplicationClusterTests {
    /// Every partition's leader view: leader, epoch, replicas, ISR, high watermark, each replica's
    /// log end, and the values a consumer reads.
    private func view(_ cluster: TestCluster) throws -> [String] {
        try cluster.broker.describeTopic("t").partitions.map { partition in
            let values = try cluster.broker.read("t", partition: partition.index, from: 0, maxRecords: .max).map { "\($0.offset)=\(text($0.value))" }
            return "p\(partition.index) leader \(partition.leader.map(String.init) ?? "none") epoch \(partition.leaderEpoch) replicas \(partition.replicas) isr \(partition.isr) hw \(partition.highWatermark) ends \(partition.replicaEnds.sorted { $0.key < $1.key }) \(values)"
        }
    }

    @Test("keeps every broker's copy, leaders, epochs, in-sync sets and high watermarks")
    func restartKeepsCopies() throws {
        let cluster = try TestCluster(.disk)
        try cluster.createTopic("t", partitions: 3, factor: 3, minInsync: 2, unclean: false)
        for index in 0..<30 {
            _ = try cluster.broker.publish("t", [ProducerRecord(key: nil, value: "v\(index)", partition: Int32(index % 3))], acks: .all)
        }
        // Broker 3 misses some records: they are on 1 and 2 only, and 3 catches up after the restart.
        _ = try cluster.broker.stopBroker(3)
        for index in 30..<40 {
            _ = try cluster.broker.publish("t", [ProducerRecord(key: nil, value: "v\(index)", partition: Int32(index % 3))], acks: .all)
        }
        _ = cluster.broker.settleReplication()
        let before = try view(cluster)
        let brokers = cluster.broker.cluster()
        try cluster.restart()
        #expect(try view(cluster) == before)
        #expect(cluster.broker.cluster() == brokers)
        _ = try cluster.broker.startBroker(3)
        _ = cluster.broker.settleReplication()
        for partition in try cluster.broker.describeTopic("t").partitions {
            #expect(partition.isr == partition.replicas)
            #expect(Set(partition.replicaEnds.values) == [partition.highWatermark])
        }
        // Every broker holds every record: kill the others one by one and read from each alone.
        let all = try (0..<3).map { try cluster.broker.read("t", partition: Int32($0), from: 0, maxRecords: .max).map { text($0.value) } }
        #expect(all.map(\.count) == [14, 13, 13])
        for survivor: Int32 in 1...3 {
            try cluster.restart()
            for other: Int32 in 1...3 where other != survivor { _ = try cluster.broker.stopBroker(other) }
            let alone = try (0..<3).map { try cluster.broker.read("t", partition: Int32($0), from: 0, maxRecords: .max).map { text($0.value) } }
            #expect(alone == all, "broker \(survivor) alone")
            for other: Int32 in 1...3 where other != survivor { _ = try cluster.broker.startBroker(other) }
            _ = cluster.broker.settleReplication()
        }
    }
}
