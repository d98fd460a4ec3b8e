@testable import EventLabCore
import Testing

private func records(_ values: String...) -> [ProducerRecord] {
    values.map { ProducerRecord(key: nil, value: Array($0.utf8)) }
}

/// A cluster whose followers fetch only when told, so each test says when they do.
private func cluster(_ brokers: Int = 3, config: BrokerConfig = BrokerConfig()) throws -> (Broker, LogicalClock) {
    let clock = LogicalClock()
    let broker = try Broker(cluster: MemoryCluster(brokers: brokers), clock: clock, config: config, waker: nil)
    broker.replicationPace = .stepped
    return (broker, clock)
}

@Suite("A cluster of brokers: replication, elections, failures")
struct ClusterBrokerTests {
    @Test("replicas are placed as Kafka places them, and an acks=all write waits for the in-sync followers")
    func replicate() throws {
        let (broker, _) = try cluster()
        let topic = try broker.createTopic("orders", partitions: 3)
        #expect(topic.partitions.map(\.replicas).count == 3)
        #expect(Set(topic.partitions.map { $0.replicas[0] }).count == 3, "leaders spread over the brokers")
        let positions = try broker.publish("orders", records("a"), unkeyed: .roundRobin)
        let p = positions[0].partition
        #expect(try broker.read("orders", partition: p, from: 0).isEmpty, "consumers read below the high watermark")
        #expect(broker.acknowledgement("orders", partition: p, through: 0) == .waiting(for: Array(topic.partitions[Int(p)].replicas.dropFirst())))
        let fetches = broker.settleReplication()
        #expect(fetches.count == 2)
        #expect(broker.acknowledgement("orders", partition: p, through: 0) == .acknowledged(replicas: topic.partitions[Int(p)].replicas))
        #expect(try broker.read("orders", partition: p, from: 0).count == 1)
    }

    @Test("the default replication factor counts live brokers: a topic created while one is down is copied to the others")
    func defaultFactorCountsLiveBrokers() throws {
        let (broker, _) = try cluster()
        _ = try broker.stopBroker(3)
        #expect(broker.defaultReplicationFactor == 2)
        let topic = try broker.createTopic("created-meanwhile", partitions: 2)
        #expect(topic.partitions.allSatisfy { $0.replicas.count == 2 && !$0.replicas.contains(3) })
    }

    @Test("acks=all with too few in sync is refused with NOT_ENOUGH_REPLICAS before the batch is looked at, as Kafka's leader does")
    func notEnoughReplicasComesFirst() throws {
        let (broker, _) = try cluster()
        var config = TopicConfig()
        config.minInsyncReplicas = 3
        config.maxMessageBytes = 100
        let leader = try broker.createTopic("t", partitions: 1, config: config).partitions[0].leader!
        _ = try broker.killBroker(leader == 3 ? 2 : 3)
        let tooLarge = RecordBatch(records: [Record(offset: 0, timestamp: 0, key: nil, value: Array(repeating: 1, count: 200), headers: [])])
        #expect(throws: BrokerError.self) { try broker.appendBatch(tooLarge, topic: "t", partition: 0, acks: .all) }
        do {
            _ = try broker.appendBatch(tooLarge, topic: "t", partition: 0, acks: .all)
        } catch {
            #expect(error.code == .notEnoughReplicas)
        }
        do {
            _ = try broker.appendBatch(tooLarge, topic: "t", partition: 0, acks: .leader)
        } catch {
            #expect(error.code == .messageTooLarge, "acks=1 does not wait for replicas, so the batch itself is judged")
        }
    }

    @Test("a dead follower leaves the ISR at once; below min.insync.replicas acks=all is refused before appending")
    func minInsync() throws {
        let (broker, _) = try cluster()
        var config = TopicConfig()
        config.minInsyncReplicas = 2
        let replicas = try broker.createTopic("t", partitions: 1, config: config).partitions[0].replicas
        let events = try broker.killBroker(replicas[2])
        #expect(events == [.isrShrank(TopicPartition("t", 0), removed: replicas[2], isr: Array(replicas.prefix(2)), behindMs: nil)])
        _ = try broker.publish("t", records("a"))
        _ = broker.settleReplication()
        #expect(broker.acknowledgement("t", partition: 0, through: 0) == .acknowledged(replicas: Array(replicas.prefix(2))))
        _ = try broker.killBroker(replicas[1])
        #expect(throws: BrokerError.self) { try broker.publish("t", records("b")) }
        #expect((try? broker.publish("t", records("b"), acks: .leader)) != nil)
        #expect(try broker.describeTopic("t").partitions[0].logEndOffset == 2)
    }

    @Test("a dead leader's in-sync follower leads in a new epoch with every acknowledged record; the old leader truncates what it alone had")
    func electionAndTruncation() throws {
        let (broker, _) = try cluster()
        let replicas = try broker.createTopic("t", partitions: 1).partitions[0].replicas
        _ = try broker.publish("t", records("a", "b"))
        _ = broker.settleReplication()
        for follower in replicas.dropFirst() { try broker.pauseBroker(follower) }
        _ = try broker.publish("t", records("never acknowledged"), acks: .leader)
        #expect(broker.settleReplication().isEmpty)
        let events = try broker.killBroker(replicas[0])
        #expect(events.first == .leaderElected(TopicPartition("t", 0), leader: replicas[1], epoch: 1, isr: Array(replicas.dropFirst()), reason: .leaderDied))
        #expect(try broker.read("t", partition: 0, from: 0).map { String(decoding: $0.value!, as: UTF8.self) } == ["a", "b"])
        for follower in replicas.dropFirst() { _ = try broker.resumeBroker(follower) }
        _ = try broker.publish("t", records("c"))
        let started = try broker.startBroker(replicas[0])
        #expect(started == [.truncated(TopicPartition("t", 0), broker: replicas[0], removed: 2..<3, leader: replicas[1], epoch: 1)])
        _ = broker.settleReplication()
        let partition = try broker.describeTopic("t").partitions[0]
        #expect(partition.isr == replicas)
        #expect(partition.replicaEnds.values.allSatisfy { $0 == 3 })
        #expect(try broker.read("t", partition: 0, from: 0).map { String(decoding: $0.value!, as: UTF8.self) } == ["a", "b", "c"])
    }

    @Test("with no in-sync replica alive the partition is offline; unclean election brings it back and loses what the new leader lacks")
    func unclean() throws {
        let (broker, _) = try cluster()
        var config = TopicConfig()
        config.uncleanLeaderElectionEnable = true
        let replicas = try broker.createTopic("t", partitions: 1, config: config).partitions[0].replicas
        _ = try broker.publish("t", records("a"))
        _ = broker.settleReplication()
        _ = try broker.killBroker(replicas[2])
        _ = try broker.publish("t", records("b"))
        _ = broker.settleReplication()
        _ = try broker.killBroker(replicas[1])
        let events = try broker.killBroker(replicas[0])
        #expect(events.contains(.wentOffline(TopicPartition("t", 0), isr: [replicas[0]])))
        #expect(throws: BrokerError.self) { try broker.read("t", partition: 0, from: 0) }
        let back = try broker.startBroker(replicas[2])
        #expect(back.contains(.leaderElected(TopicPartition("t", 0), leader: replicas[2], epoch: 2, isr: [replicas[2]], reason: .unclean(lost: 1..<2))))
        #expect(try broker.read("t", partition: 0, from: 0).count == 1)
    }

    @Test("a power loss takes what the page cache had not flushed; a crash does not")
    func powerLoss() throws {
        let (broker, clock) = try cluster()
        let replicas = try broker.createTopic("t", partitions: 1).partitions[0].replicas
        _ = try broker.publish("t", records("old"))
        _ = broker.settleReplication()
        try clock.advance(by: 31_000)
        _ = try broker.publish("t", records("new"))
        _ = broker.settleReplication()
        let crash = try broker.killBroker(replicas[1])
        #expect(!crash.contains { if case .lostUnflushed = $0 { true } else { false } })
        let power = try broker.killBroker(replicas[2], powerLoss: true)
        #expect(power.first == .lostUnflushed(TopicPartition("t", 0), broker: replicas[2], removed: 1..<2))
        #expect(try broker.describeTopic("t").partitions[0].replicaEnds[replicas[2]] == 1)
    }

    @Test("a paused follower leaves the ISR after replica.lag.time.max.ms, and rejoins once it catches up")
    func pause() throws {
        let (broker, clock) = try cluster()
        let replicas = try broker.createTopic("t", partitions: 1).partitions[0].replicas
        try broker.pauseBroker(replicas[2])
        _ = try broker.publish("t", records("a"))
        _ = broker.settleReplication()
        #expect(broker.acknowledgement("t", partition: 0, through: 0) == .waiting(for: [replicas[2]]))
        try clock.advance(by: 20_000)
        #expect(broker.checkInSyncReplicas().isEmpty)
        try clock.advance(by: 11_000)
        let events = broker.checkInSyncReplicas()
        #expect(events.first == .isrShrank(TopicPartition("t", 0), removed: replicas[2], isr: Array(replicas.prefix(2)), behindMs: 31_000))
        #expect(events.contains(.acknowledged(TopicPartition("t", 0), offsets: 0..<1, replicas: Array(replicas.prefix(2)))))
        _ = try broker.resumeBroker(replicas[2])
        let fetches = broker.settleReplication()
        #expect(fetches.last?.events == [.isrExpanded(TopicPartition("t", 0), added: replicas[2], isr: replicas)])
    }

    @Test("under continuous replication followers fetch as the leader appends, and a follower back in sync is a notice")
    func continuous() throws {
        let (broker, _) = try cluster()
        broker.replicationPace = .continuous
        let replicas = try broker.createTopic("t", partitions: 1).partitions[0].replicas
        _ = try broker.publish("t", records("a"))
        #expect(broker.acknowledgement("t", partition: 0, through: 0) == .acknowledged(replicas: replicas))
        try broker.pauseBroker(replicas[2])
        _ = try broker.publish("t", records("b"))
        #expect(broker.acknowledgement("t", partition: 0, through: 1) == .waiting(for: [replicas[2]]))
        _ = try broker.resumeBroker(replicas[2])
        _ = try broker.publish("t", records("c"))
        guard case .cluster(let events)? = broker.notices.take().last else { Issue.record("no notice"); return }
        #expect(events == [
            .acknowledged(TopicPartition("t", 0), offsets: 1..<2, replicas: replicas),
        ])
    }

    @Test("leadership returns to the preferred replica once it is back in sync")
    func preferred() throws {
        let (broker, _) = try cluster()
        let replicas = try broker.createTopic("t", partitions: 1).partitions[0].replicas
        _ = try broker.stopBroker(replicas[0])
        _ = try broker.startBroker(replicas[0])
        _ = broker.settleReplication()
        #expect(try broker.describeTopic("t").partitions[0].leader == replicas[1])
        let events = try broker.electPreferredLeaders()
        #expect(events == [.leaderElected(TopicPartition("t", 0), leader: replicas[0], epoch: 2, isr: replicas, reason: .preferred)])
    }

    @Test("a reassignment adds the new replicas, waits until they are in sync, moves the lead off a leaving broker and deletes the old copies")
    func reassign() throws {
        let (broker, _) = try cluster(3)
        _ = try broker.createTopic("t", partitions: 1, replicationFactor: 2)
        let before = try broker.describeTopic("t").partitions[0]
        _ = try broker.publish("t", records("a", "b"))
        _ = broker.settleReplication()
        let newcomer = try broker.addBroker()
        let target = [before.replicas[1], newcomer]
        let started = try broker.reassign("t", partition: 0, to: target)
        #expect(started == [.reassigning(TopicPartition("t", 0), target: target, adding: [newcomer], removing: [before.replicas[0]])])
        #expect(try broker.describeTopic("t").partitions[0].replicas == target + [before.replicas[0]])
        let fetches = broker.settleReplication()
        #expect(fetches.last?.events.contains(.reassigned(TopicPartition("t", 0), replicas: target, removed: [before.replicas[0]])) == true)
        let after = try broker.describeTopic("t").partitions[0]
        #expect(after.replicas == target)
        #expect(after.leader == target[0])
        #expect(after.isr == target)
        #expect(after.replicaEnds == [target[0]: 2, newcomer: 2])
        #expect(try broker.read("t", partition: 0, from: 0).count == 2)
        #expect(throws: BrokerError.self) { try broker.reassign("t", partition: 0, to: [9]) }
        #expect(throws: BrokerError.self) { try broker.reassign("t", partition: 0, to: [1, 1]) }
    }

    @Test("consumers see the high watermark as the end: where latest starts and when a long poll wakes")
    func consumersEndAtHighWatermark() throws {
        let (broker, _) = try cluster()
        _ = try broker.createTopic("t", partitions: 1)
        _ = try broker.publish("t", records("a", "b"))
        let starts = try broker.consumerStarts(groupId: "g", topic: "t", partitions: [0], reset: .latest)
        #expect(starts.map(\.offset) == [0], "records not on every in-sync replica are not the end yet")
        let woken = Woken()
        try broker.whenData("t", partition: 0, beyond: 0) { woken.mark() }
        #expect(!woken.value, "a long poll waits for the high watermark, not the leader's log end")
        _ = broker.settleReplication()
        #expect(woken.value)
        #expect(try broker.consumerStarts(groupId: "g", topic: "t", partitions: [0], reset: .latest).map(\.offset) == [2])
    }
}

/// Whether a callback ran.
private final class Woken: @unchecked Sendable {
    private(set) var value = false
    func mark() { value = true }
}
