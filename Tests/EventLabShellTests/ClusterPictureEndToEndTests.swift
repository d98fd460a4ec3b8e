import EventLabCore
@testable import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Pictures of a replicating cluster, drawn from the broker")
struct ClusterPictureEndToEndTests {
    /// Broker 3 is killed after six records, broker 2 paused after ten: on p0, which broker 1
    /// leads, the high watermark stays where 2 stopped fetching, and the leader's last three
    /// records are above it; p1, which the paused broker leads, needs no fetching.
    @Test("a killed broker and a paused follower: show cluster, show topic and topic describe")
    func killedAndPaused() throws {
        let clock = LogicalClock()
        let broker = try Broker(cluster: MemoryCluster(), clock: clock, timer: ManualTimer(), waker: nil)
        _ = try broker.addBroker()
        _ = try broker.addBroker()
        try broker.createTopic("orders", partitions: 2, replicationFactor: 3)
        func publish(_ keys: ClosedRange<Int>) throws {
            try broker.publish("orders", keys.map { ProducerRecord(key: "o-\($0)", value: "v", partition: $0 % 3 == 0 ? 1 : 0) })
            _ = broker.settleReplication()
        }
        try publish(1...6)
        _ = try broker.killBroker(3)
        try publish(7...10)
        try broker.pauseBroker(2)
        try publish(11...14)
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: clock, output: output, width: 80)
        for command in ["show cluster", "show topic orders", "topic describe orders"] {
            #expect(shell.execute(command), "\(command): \(output.text)")
        }
        #expect(output.text == """
            cluster · 3 brokers · controller 1 (epoch 1)
            BROKER  STATE   LEADS  HOSTS  NOTE
            1       up      1      2      controller
            2       paused  1      2      fetchers paused: it falls behind as a follower
            3       killed  0      2      crashed: its page cache kept what it wrote
            under-replicated 2: orders p0 (isr 1,2 of 1,2,3), orders p1 (isr 2,1 of 2,3,1)
            offline: none
            The controller elects each partition's leader and keeps its ISR (in-sync
            replicas). In Kafka 2.5 it is one of the brokers, elected through ZooKeeper;
            since Kafka 4 it is KRaft, a quorum of controllers. Under-replicated: fewer in
            sync than replicas. Offline: no leader, so nobody reads or writes it.
            orders · 2 partitions · cleanup delete · retention 7d
            p0 │0 o-1│1 o-2│2 o-4│3 o-5│…│6 o-10│7 o-11│8 o-13│9 o-14│ end 10 · hw 7
               ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━───────────────────── ★1 end 10
               ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━                       2 end 7 (paused)
               ━━━━━━━━━━━━━━━━━━━━━━━━━                               3 end 4 out (killed)
            p1 │0 o-3│1 o-6│2 o-9│3 o-12│ end 4 · hw 4
               ━━━━━━━━━━━━━━━━━━━━━━━━━ ★2 end 4 (paused)
               ━━━━━━━━━━━━               3 end 2 out (killed)
               ━━━━━━━━━━━━━━━━━━━━━━━━━  1 end 4
            │ a record: offset and key (or event type)
            ★ the leader · ━ records below the high watermark (hw): every in-sync replica
            has them, and consumers read only these · ─ above it: not yet on every in-sync
            replica · out: not in the ISR, so the hw does not wait for it
            orders · 2 partitions · cleanup delete · retention 7d
            PARTITION  LEADER  REPLICAS  ISR  LOG-START  HW  LOG-END  RECORDS  SEGMENTS  SIZE
            0          1       1,2,3     1,2  0          7   10       10       1         297B
            1          2       2,3,1     2,1  0          4   4        4        1         228B

            """)
    }
}
