import EventLabCore
@testable import EventLabShell
import EventLabTestSupport
import Testing

/// Hand-built descriptions of a three-broker cluster, drawn as `show cluster`, `show topic` and
/// `topic describe` draw them.
@Suite("Pictures of a cluster: brokers, leaders, replicas, ISR and high watermarks")
struct ClusterPictureTests {
    /// Brokers 1, 2 and 3 in `conditions` (up by default), leading and hosting as given.
    static func cluster(
        _ conditions: [Int32: BrokerCondition] = [:], leads: [Int] = [1, 1, 0], hosts: [Int] = [2, 2, 2], controller: Int32? = 1, epoch: Int32 = 1,
        underReplicated: [TopicPartition] = [], offline: [TopicPartition] = []
    ) -> ClusterDescription {
        ClusterDescription(
            brokers: (1...3).map { id in BrokerDescription(id: Int32(id), condition: conditions[Int32(id)] ?? .running, leads: leads[id - 1], replicas: hosts[id - 1]) },
            controller: controller, controllerEpoch: epoch, underReplicated: underReplicated, offline: offline)
    }

    /// A broker holding topic orders with two partitions: p0 six records (o-1…o-6), p1 two.
    static func orders() throws -> TestBroker {
        let test = try TestBroker(.memory)
        try test.broker.createTopic("orders", partitions: 2)
        try test.broker.publish("orders", (1...8).map { ProducerRecord(key: "o-\($0)", value: "v", partition: $0 <= 6 ? 0 : 1) })
        return test
    }

    /// `topic`'s partition `index` with replicas, leader, ISR, high watermark and ends set.
    static func replicate(_ topic: inout TopicDescription, _ index: Int, replicas: [Int32], leader: Int32?, isr: [Int32], hw: Int64, ends: [Int64]) {
        topic.partitions[index].replicas = replicas
        topic.partitions[index].leader = leader
        topic.partitions[index].isr = isr
        topic.partitions[index].highWatermark = hw
        topic.partitions[index].replicaEnds = Dictionary(uniqueKeysWithValues: zip(replicas, ends))
    }

    static func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// What each scenario draws: the cluster, and the topic's description as the cluster has it.
    enum Scenario: String, CaseIterable, Sendable {
        /// Every broker up, every replica in sync.
        case healthy
        /// Broker 3 killed: both partitions under-replicated; p0's leader has a record its
        /// in-sync follower has not fetched yet, so the high watermark is below its end.
        case killed
        /// Broker 2 stopped and broker 3 powered off: p1, whose only replica was on 3, is offline.
        case offline
        /// Broker 3 paused: it fell behind on p0 and left its ISR; on p1 it had caught up.
        case paused

        func draw(_ test: TestBroker) throws -> (cluster: ClusterDescription, topic: TopicDescription) {
            var topic = try test.broker.describeTopic("orders")
            ClusterPictureTests.replicate(&topic, 0, replicas: [1, 2, 3], leader: 1, isr: [1, 2, 3], hw: 6, ends: [6, 6, 6])
            ClusterPictureTests.replicate(&topic, 1, replicas: [2, 3, 1], leader: 2, isr: [2, 3, 1], hw: 2, ends: [2, 2, 2])
            switch self {
            case .healthy:
                return (ClusterPictureTests.cluster(), topic)
            case .killed:
                ClusterPictureTests.replicate(&topic, 0, replicas: [1, 2, 3], leader: 1, isr: [1, 2], hw: 5, ends: [6, 5, 3])
                ClusterPictureTests.replicate(&topic, 1, replicas: [2, 3, 1], leader: 2, isr: [2, 1], hw: 2, ends: [2, 1, 2])
                return (ClusterPictureTests.cluster([3: .killed], underReplicated: [TopicPartition("orders", 0), TopicPartition("orders", 1)]), topic)
            case .offline:
                ClusterPictureTests.replicate(&topic, 1, replicas: [3], leader: nil, isr: [3], hw: 2, ends: [2])
                return (ClusterPictureTests.cluster([2: .stopped, 3: .poweredOff], leads: [1, 0, 0], epoch: 3, offline: [TopicPartition("orders", 1)]), topic)
            case .paused:
                ClusterPictureTests.replicate(&topic, 0, replicas: [1, 2, 3], leader: 1, isr: [1, 2], hw: 6, ends: [6, 6, 2])
                return (ClusterPictureTests.cluster([3: .paused], underReplicated: [TopicPartition("orders", 0)]), topic)
            }
        }
    }

    static func pictures(_ scenario: Scenario, width: Int) throws -> (cluster: String, topic: String, describe: String) {
        let test = try orders()
        let (cluster, topic) = try scenario.draw(test)
        return (
            ClusterPicture.render(cluster, topics: [topic], width: width),
            try TopicPicture(broker: test.broker, width: width, style: Style(isEnabled: false), cluster: cluster).render(topic),
            TopicDescribe.table(topic, replicated: true))
    }

    @Test("show cluster, show topic and topic describe draw each scenario, every line within 80 or 40 columns", arguments: Scenario.allCases, [80, 40])
    func drawn(scenario: Scenario, width: Int) throws {
        let drawn = try Self.pictures(scenario, width: width)
        let expected = try #require(Self.expected[scenario]?[width])
        #expect(drawn.cluster == expected.cluster)
        #expect(drawn.topic == expected.topic)
        #expect(drawn.describe == Self.describes[scenario])
        for line in Self.lines(drawn.cluster) { #expect(line.count <= width, "\(line)") }
        // The topic's heading and the records' legend are as with one broker, which does not wrap them.
        for line in Self.lines(drawn.topic).dropFirst() where !line.hasPrefix("│ a record") { #expect(line.count <= width, "\(line)") }
    }

    @Test("with every broker down there is no controller, and a long list of partitions is cut")
    func noController() {
        let many = (0..<10).map { TopicPartition("orders", $0) }
        let cluster = Self.cluster([1: .killed, 2: .killed, 3: .poweredOff], leads: [0, 0, 0], controller: nil, offline: many)
        let lines = Self.lines(ClusterPicture.render(cluster, topics: [], width: 80))
        #expect(lines[0] == "cluster · 3 brokers · no controller: no broker is up")
        #expect(lines.contains("offline 10: orders p0, orders p1, orders p2, orders p3, orders p4, orders p5,"))
        #expect(lines.contains("  orders p6, orders p7, and 2 more (`topic describe` names them)"))
    }

    @Test("one broker: show cluster draws it; show topic and topic describe add nothing", arguments: [Backend.memory])
    func oneBroker(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        #expect(shell.execute("show cluster"))
        #expect(output.text == """
            cluster · 1 broker · controller 1 (epoch 1)
            BROKER  STATE  LEADS  HOSTS  NOTE
            1       up     0      0      controller
            under-replicated: none
            offline: none
            The controller elects each partition's leader and keeps its ISR (in-sync
            replicas). In Kafka 2.5 it is one of the brokers, elected through ZooKeeper;
            since Kafka 4 it is KRaft, a quorum of controllers. Under-replicated: fewer in
            sync than replicas. Offline: no leader, so nobody reads or writes it.

            """)
        output.clear()
        for command in ["topic create orders --partitions 2", "publish orders key=a v", "show topic orders", "topic describe orders"] {
            #expect(shell.execute(command), "\(command): \(output.text)")
        }
        #expect(!output.text.contains("hw"))
        #expect(!output.text.contains("━"))
        #expect(output.text.contains("\nPARTITION  LOG-START  LOG-END  RECORDS  SEGMENTS  SIZE\n"))
    }

    /// What each scenario draws at each width: `show cluster`, `show topic orders`, and (at any
    /// width) `topic describe orders`'s table.
    static let expected: [Scenario: [Int: (cluster: String, topic: String)]] = [
        .healthy: [
            80: (
                """
                cluster · 3 brokers · controller 1 (epoch 1)
                BROKER  STATE  LEADS  HOSTS  NOTE
                1       up     1      2      controller
                2       up     1      2
                3       up     0      2
                under-replicated: none
                offline: none
                The controller elects each partition's leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader, so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│2 o-3│3 o-4│4 o-5│5 o-6│ end 6 · hw 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ ★1 end 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━  2 end 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━  3 end 6
                p1 │0 o-7│1 o-8│ end 2 · hw 2
                   ━━━━━━━━━━━━ ★2 end 2
                   ━━━━━━━━━━━━  3 end 2
                   ━━━━━━━━━━━━  1 end 2
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high watermark (hw): every in-sync replica
                has them, and consumers read only these · ─ above it: not yet on every in-sync
                replica · out: not in the ISR, so the hw does not wait for it
                """),
            40: (
                """
                cluster · 3 brokers ·
                controller 1 (epoch 1)
                BROKER  STATE  LEADS  HOSTS  NOTE
                1       up     1      2      controller
                2       up     1      2
                3       up     0      2
                under-replicated: none
                offline: none
                The controller elects each partition's
                leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the
                brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of
                controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader,
                so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│…│5 o-6│ end 6 · hw 6
                   ━━━━━━━━━━━━━━━━━━━━ ★1 end 6
                   ━━━━━━━━━━━━━━━━━━━━  2 end 6
                   ━━━━━━━━━━━━━━━━━━━━  3 end 6
                p1 │0 o-7│1 o-8│ end 2 · hw 2
                   ━━━━━━━━━━━━ ★2 end 2
                   ━━━━━━━━━━━━  3 end 2
                   ━━━━━━━━━━━━  1 end 2
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high
                watermark (hw): every in-sync replica
                has them, and consumers read only
                these · ─ above it: not yet on every
                in-sync replica · out: not in the ISR,
                so the hw does not wait for it
                """),
        ],
        .killed: [
            80: (
                """
                cluster · 3 brokers · controller 1 (epoch 1)
                BROKER  STATE   LEADS  HOSTS  NOTE
                1       up      1      2      controller
                2       up      1      2
                3       killed  0      2      crashed: its page cache kept what it wrote
                under-replicated 2: orders p0 (isr 1,2 of 1,2,3), orders p1 (isr 2,1 of 2,3,1)
                offline: none
                The controller elects each partition's leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader, so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│2 o-3│3 o-4│4 o-5│5 o-6│ end 6 · hw 5
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━────── ★1 end 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━        2 end 5
                   ━━━━━━━━━━━━━━━━━━                    3 end 3 out (killed)
                p1 │0 o-7│1 o-8│ end 2 · hw 2
                   ━━━━━━━━━━━━ ★2 end 2
                   ━━━━━━        3 end 1 out (killed)
                   ━━━━━━━━━━━━  1 end 2
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high watermark (hw): every in-sync replica
                has them, and consumers read only these · ─ above it: not yet on every in-sync
                replica · out: not in the ISR, so the hw does not wait for it
                """),
            40: (
                """
                cluster · 3 brokers ·
                controller 1 (epoch 1)
                BROKER  STATE   LEADS  HOSTS
                1       up      1      2
                2       up      1      2
                3       killed  0      2
                broker 1: controller
                broker 3: crashed: its page cache kept
                  what it wrote
                under-replicated 2:
                  orders p0 (isr 1,2 of 1,2,3),
                  orders p1 (isr 2,1 of 2,3,1)
                offline: none
                The controller elects each partition's
                leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the
                brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of
                controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader,
                so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│…│5 o-6│ end 6 · hw 5
                   ━━━━━━━━━━━━━━────── ★1 end 6
                   ━━━━━━━━━━━━━━        2 end 5
                   ━━━━━━━━━━━━━         3 end 3 out
                p1 │0 o-7│1 o-8│ end 2 · hw 2
                   ━━━━━━━━━━━━ ★2 end 2
                   ━━━━━━        3 end 1 out
                   ━━━━━━━━━━━━  1 end 2
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high
                watermark (hw): every in-sync replica
                has them, and consumers read only
                these · ─ above it: not yet on every
                in-sync replica · out: not in the ISR,
                so the hw does not wait for it
                """),
        ],
        .offline: [
            80: (
                """
                cluster · 3 brokers · controller 1 (epoch 3)
                BROKER  STATE        LEADS  HOSTS  NOTE
                1       up           1      2      controller
                2       stopped      0      2      shut down cleanly: its leadership moved first
                3       powered off  0      2      lost power: what it had not flushed is gone
                under-replicated: none
                offline 1: orders p1 (isr 3 of 3: none up)
                The controller elects each partition's leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader, so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│2 o-3│3 o-4│4 o-5│5 o-6│ end 6 · hw 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ ★1 end 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━  2 end 6 (stopped)
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━  3 end 6 (powered off)
                p1 (offline: no leader) end 2 · hw 2
                                        3 end 2 (powered off)
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high watermark (hw): every in-sync replica
                has them, and consumers read only these · ─ above it: not yet on every in-sync
                replica · out: not in the ISR, so the hw does not wait for it
                """),
            40: (
                """
                cluster · 3 brokers ·
                controller 1 (epoch 3)
                BROKER  STATE        LEADS  HOSTS
                1       up           1      2
                2       stopped      0      2
                3       powered off  0      2
                broker 1: controller
                broker 2: shut down cleanly: its
                  leadership moved first
                broker 3: lost power: what it had not
                  flushed is gone
                under-replicated: none
                offline 1:
                  orders p1 (isr 3 of 3: none up)
                The controller elects each partition's
                leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the
                brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of
                controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader,
                so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│…│5 o-6│ end 6 · hw 6
                   ━━━━━━━━━━━━━━━━━━━━ ★1 end 6
                   ━━━━━━━━━━━━━━━━━━━━  2 end 6
                   ━━━━━━━━━━━━━━━━━━━━  3 end 6
                p1 (offline: no leader) end 2 · hw 2
                                        3 end 2
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high
                watermark (hw): every in-sync replica
                has them, and consumers read only
                these · ─ above it: not yet on every
                in-sync replica · out: not in the ISR,
                so the hw does not wait for it
                """),
        ],
        .paused: [
            80: (
                """
                cluster · 3 brokers · controller 1 (epoch 1)
                BROKER  STATE   LEADS  HOSTS  NOTE
                1       up      1      2      controller
                2       up      1      2
                3       paused  0      2      fetchers paused: it falls behind as a follower
                under-replicated 1: orders p0 (isr 1,2 of 1,2,3)
                offline: none
                The controller elects each partition's leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader, so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│2 o-3│3 o-4│4 o-5│5 o-6│ end 6 · hw 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ ★1 end 6
                   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━  2 end 6
                   ━━━━━━━━━━━━                          3 end 2 out (paused)
                p1 │0 o-7│1 o-8│ end 2 · hw 2
                   ━━━━━━━━━━━━ ★2 end 2
                   ━━━━━━━━━━━━  3 end 2 (paused)
                   ━━━━━━━━━━━━  1 end 2
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high watermark (hw): every in-sync replica
                has them, and consumers read only these · ─ above it: not yet on every in-sync
                replica · out: not in the ISR, so the hw does not wait for it
                """),
            40: (
                """
                cluster · 3 brokers ·
                controller 1 (epoch 1)
                BROKER  STATE   LEADS  HOSTS
                1       up      1      2
                2       up      1      2
                3       paused  0      2
                broker 1: controller
                broker 3: fetchers paused: it falls
                  behind as a follower
                under-replicated 1:
                  orders p0 (isr 1,2 of 1,2,3)
                offline: none
                The controller elects each partition's
                leader and keeps its ISR (in-sync
                replicas). In Kafka 2.5 it is one of the
                brokers, elected through ZooKeeper;
                since Kafka 4 it is KRaft, a quorum of
                controllers. Under-replicated: fewer in
                sync than replicas. Offline: no leader,
                so nobody reads or writes it.
                """,
                """
                orders · 2 partitions · cleanup delete · retention 7d
                p0 │0 o-1│1 o-2│…│5 o-6│ end 6 · hw 6
                   ━━━━━━━━━━━━━━━━━━━━ ★1 end 6
                   ━━━━━━━━━━━━━━━━━━━━  2 end 6
                   ━━━━━━━━━━━━━         3 end 2 out
                p1 │0 o-7│1 o-8│ end 2 · hw 2
                   ━━━━━━━━━━━━ ★2 end 2
                   ━━━━━━━━━━━━  3 end 2
                   ━━━━━━━━━━━━  1 end 2
                │ a record: offset and key (or event type)
                ★ the leader · ━ records below the high
                watermark (hw): every in-sync replica
                has them, and consumers read only
                these · ─ above it: not yet on every
                in-sync replica · out: not in the ISR,
                so the hw does not wait for it
                """),
        ],
    ]

    static let describes: [Scenario: String] = [
        .healthy: """
        PARTITION  LEADER  REPLICAS  ISR    LOG-START  HW  LOG-END  RECORDS  SEGMENTS  SIZE
        0          1       1,2,3     1,2,3  0          6   6        6        1         127B
        1          2       2,3,1     2,3,1  0          2   2        2        1         83B
        """,
        .killed: """
        PARTITION  LEADER  REPLICAS  ISR  LOG-START  HW  LOG-END  RECORDS  SEGMENTS  SIZE
        0          1       1,2,3     1,2  0          5   6        6        1         127B
        1          2       2,3,1     2,1  0          2   2        2        1         83B
        """,
        .offline: """
        PARTITION  LEADER  REPLICAS  ISR    LOG-START  HW  LOG-END  RECORDS  SEGMENTS  SIZE
        0          1       1,2,3     1,2,3  0          6   6        6        1         127B
        1          none    3         3      0          2   2        2        1         83B
        """,
        .paused: """
        PARTITION  LEADER  REPLICAS  ISR    LOG-START  HW  LOG-END  RECORDS  SEGMENTS  SIZE
        0          1       1,2,3     1,2    0          6   6        6        1         127B
        1          2       2,3,1     2,3,1  0          2   2        2        1         83B
        """,
    ]
}
