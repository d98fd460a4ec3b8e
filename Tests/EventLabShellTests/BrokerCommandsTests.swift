import EventLabCore
import EventLabShell
import Testing

/// The cluster's commands on one broker: everything as before, and clear words for what a
/// single broker cannot do.
@Suite("Broker commands and replication words on one broker")
struct BrokerCommandsOneBrokerTests {
    @Test("a broker id that is not the cluster's is refused with the ids there are; the only broker cannot start, being up")
    func unknownIds() throws {
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output)
        #expect(!shell.execute("broker kill 2"))
        #expect(!shell.execute("broker pause x"))
        #expect(!shell.execute("broker start 1"))
        #expect(!shell.execute("broker resume 1"))
        #expect(output.errors == [
            "error: broker kill needs the id of one of the cluster's brokers (1), not '2'; `broker add` adds one",
            "error: broker pause needs the id of one of the cluster's brokers (1), not 'x'; `broker add` adds one",
            "error: broker 1 is already up; `broker stop 1` or `broker kill 1` takes it down",
            "error: broker 1 is running, not paused; only a paused broker resumes (`broker pause 1` pauses it)",
        ])
    }

    @Test("publish, topic create and step print what they printed before the cluster: no replicas, no acks")
    func singleBrokerWords() throws {
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output)
        #expect(shell.execute("topic create t --replication-factor 1; publish t --acks 1 a; publish t --acks 0 b; publish t c"))
        #expect(output.lines == [
            "created topic t with 1 partition · cleanup delete · retention 7d",
            "t p0 @0  (the only partition)",
            "t p0 @1  (the only partition)",
            "t p0 @2  (the only partition)",
        ])
        #expect(!shell.execute("step"))
        #expect(!shell.execute("flow manual; step"))
        #expect(!shell.execute("publish t --acks 2 d"))
        #expect(output.errors == [
            "error: services already read after every command: say `flow manual` first, then `step`",
            "error: there are no services, tables, aggregates or projections to step: create one with `service create NAME --from TOPIC`, `projection create NAME --from TOPIC` or `table create NAME --from TOPIC`",
            "error: --acks takes 0, 1 or all (-1 is all too), not '2'",
        ])
    }

    @Test("a transcript header may say how many brokers its cluster starts with, and a recording of a cluster says it")
    func brokersHeader() throws {
        let transcript = try TranscriptParser.parse("% brokers 3\neventlab> topic list\nno topics yet\n")
        #expect(transcript.settings.brokers == 3)
        #expect(TranscriptWriter.header(transcript.settings).contains("% brokers 3"))
        #expect(!TranscriptWriter.header(TranscriptSettings()).contains { $0.hasPrefix("% brokers") })
        #expect(throws: TranscriptError.self) { try TranscriptParser.parse("% brokers 0\n") }
    }
}

/// A shell on a memory cluster of `brokers` on the logical clock, as `eventlab --memory
/// --brokers N --clock logical` opens one.
private func clusterShell(_ brokers: Int = 3) throws -> (Shell, CapturedOutput) {
    let (broker, clock) = try TranscriptSettings(brokers: brokers).makeMemoryBroker()
    let output = CapturedOutput()
    return (Shell(broker: broker, logicalClock: clock, output: output), output)
}

/// The cluster's commands on three brokers, as a learner reads them.
@Suite("Broker commands and replication words on a cluster")
struct BrokerCommandsClusterTests {
    @Test("publish ends its line with the replicas that had the record when it was acknowledged, per acks; --repeat does per partition")
    func acks() throws {
        let (shell, output) = try clusterShell()
        #expect(shell.execute("topic create t --replication-factor 3; topic create d --partitions 2"))
        #expect(shell.execute("publish t a; publish t --acks 1 b; publish t --acks 0 c; publish t --acks -1 d; publish t --repeat 3 {n}"))
        #expect(output.lines == [
            "created topic t with 1 partition · replication 3 · cleanup delete · retention 7d",
            "created topic d with 2 partitions · replication 3 (EventLab's default, min(3, live brokers); Kafka's default.replication.factor is 1) · cleanup delete · retention 7d",
            "t p0 @0  (the only partition)  acks=all: on 2, 1, 3",
            "t p0 @1  (the only partition)  acks=1: on 2 (followers fetch next)",
            "t p0 @2  (the only partition)  acks=0: nobody waited to hear that it was written",
            "t p0 @3  (the only partition)  acks=all: on 2, 1, 3",
            "t p0  3 records  @4…@6  acks=all: on 2, 1, 3",
        ])
    }

    @Test("under flow manual an acks=all publish says whom it waits for, and each step runs one follower fetch until it is acknowledged")
    func manualSteps() throws {
        let (shell, output) = try clusterShell()
        #expect(shell.execute("topic create t --replication-factor 3; flow manual"))
        output.clear()
        #expect(shell.execute("publish t a; step; step 3"))
        #expect(output.lines == [
            "t p0 @0  (the only partition)  waiting for replicas 1, 3 (acks=all)…",
            "  (acknowledged once they fetch the record: `step` runs one follower fetch, `flow auto` lets them all run; the outcome is printed when it comes)",
            "broker 1 fetched t p0 @0 from leader 2 · high watermark 0: consumers read nothing yet",
            "broker 3 fetched t p0 @0 from leader 2 · high watermark 1: consumers read up to @0",
            "acks=all: t p0 @0 acknowledged, on 2, 1, 3",
            "nothing more to do after 1 step",
        ])
        #expect(!shell.execute("flow auto; step"))
        #expect(output.errors == ["error: followers fetch and services read after every command: say `flow manual` first, then `step`"])
    }

    @Test("a killed follower leaves the ISR at once; below min.insync.replicas acks=all is refused with Kafka's code, and a started broker catches up")
    func minInsync() throws {
        let (shell, output) = try clusterShell()
        #expect(shell.execute("topic create t --replication-factor 3 --config min.insync.replicas=2"))
        output.clear()
        #expect(shell.execute("broker kill 3; publish t a; broker kill 2"))
        #expect(!shell.execute("publish t b"))
        #expect(shell.execute("broker start 2"))
        #expect(output.lines == [
            "broker 3 crashed: what it wrote is still in the page cache, so its copies keep it; `broker start 3` brings it back",
            "t p0: broker 3 is down, so it left the ISR; isr now 2, 1",
            "t p0 @0  (the only partition)  acks=all: on 2, 1",
            "broker 2 crashed: what it wrote is still in the page cache, so its copies keep it; `broker start 2` brings it back",
            "t p0: broker 1 leads (epoch 1, isr 1): its leader went down and the controller chose an in-sync replica",
            "error: NOT_ENOUGH_REPLICAS: t p0 has 1 in-sync replica (1), fewer than its min.insync.replicas 2: an acks=all write is refused before it is appended; start a replica's broker, or publish with --acks 1",
            "broker 2 started: its replicas follow their leaders, catch up and join the ISRs again",
            "t p0: broker 2 caught up with its leader and joined the ISR; isr now 2, 1",
        ])
        #expect(output.errors == [
            "error: NOT_ENOUGH_REPLICAS: t p0 has 1 in-sync replica (1), fewer than its min.insync.replicas 2: an acks=all write is refused before it is appended; start a replica's broker, or publish with --acks 1",
        ])
    }

    @Test("a broker is acted on only as it is: unknown ids are listed, a stopped broker cannot stop, a running one cannot start or resume")
    func conditions() throws {
        let (shell, output) = try clusterShell()
        #expect(shell.execute("broker stop 3"))
        for command in ["broker stop 3", "broker pause 3", "broker kill 0", "broker start 1", "broker resume 2", "topic create t --replication-factor 4"] {
            #expect(!shell.execute(command))
        }
        #expect(shell.execute("broker pause 2"))
        #expect(!shell.execute("broker pause 2"))
        #expect(output.errors == [
            "error: broker 3 is already stopped; `broker start 3` starts it again",
            "error: broker 3 is already stopped; `broker start 3` starts it again",
            "error: broker kill needs the id of one of the cluster's brokers (1, 2, 3), not '0'",
            "error: broker 1 is already up; `broker stop 1` or `broker kill 1` takes it down",
            "error: broker 2 is running, not paused; only a paused broker resumes (`broker pause 2` pauses it)",
            "error: INVALID_REPLICATION_FACTOR: replication factor 4 is not possible: 2 of the 3 brokers are alive, and each replica needs its own broker; give 1 to 2",
            "error: broker 2 is already paused; `broker resume 2` lets it fetch again",
        ])
    }

    @Test("a paused follower holds acks=all back until it has been behind longer than replica.lag.time.max.ms; the acknowledgement comes as a notice")
    func pausedFollower() throws {
        let (shell, output) = try clusterShell()
        #expect(shell.execute("topic create t --replication-factor 3; broker pause 3"))
        output.clear()
        #expect(shell.execute("publish t a; clock advance 45s; broker resume 3"))
        #expect(output.lines == [
            "t p0 @0  (the only partition)  waiting for replica 3 (acks=all)…",
            "  (broker 3 is paused: acknowledged once it resumes and fetches (`broker resume 3`), or once it has been behind for more than replica.lag.time.max.ms 30s and leaves the ISR (`clock advance 45s`); the outcome is printed when it comes)",
            "clock is now 2024-01-01T00:00:45Z",
            "t p0: broker 3 left the ISR, 45s behind its leader, longer than replica.lag.time.max.ms allows; isr now 2, 1",
            "acks=all: t p0 @0 acknowledged, on 2, 1",
            "broker 3 resumed: its replica fetchers run again",
            "t p0: broker 3 caught up with its leader and joined the ISR; isr now 2, 1, 3",
        ])
    }

    @Test("an unclean election says which acknowledged records it lost, and the old leader's truncation of them is not called unacknowledged")
    func uncleanElection() throws {
        let (shell, output) = try clusterShell(2)
        #expect(shell.execute("topic create t --replication-factor 2 --config unclean.leader.election.enable=true; publish t a; broker pause 1; publish t b; clock advance 45s"))
        output.clear()
        #expect(shell.execute("broker kill 2; consume t --from beginning; broker start 2"))
        #expect(output.lines == [
            "broker 2 crashed: what it wrote is still in the page cache, so its copies keep it; `broker start 2` brings it back",
            "t p0: broker 1 leads (epoch 1, isr 1) by UNCLEAN election: no in-sync replica was alive and unclean.leader.election.enable let an out-of-sync one lead; it never had @1, so that acknowledged record is lost",
            "p0 @0  -  a  2024-01-01T00:00:00Z",
            "1 record",
            "broker 2 started: its replicas follow their leaders, catch up and join the ISRs again",
            "broker 2 truncated t p0 to @1: @1 was acknowledged, lost in the unclean election (leader 1, epoch 1, never had it)",
            "t p0: broker 2 caught up with its leader and joined the ISR; isr now 2, 1",
        ])
    }
}

/// The words for each cluster event, without a cluster.
@Suite("A group's coordinator in group describe")
struct GroupCoordinatorWordsTests {
    @Test("on a cluster group describe names the coordinating broker and its __consumer_offsets partition, broker commands say when it moves, and none while its replicas are down; one broker says nothing of it")
    func coordinatorLine() throws {
        let (shell, output) = try clusterShell()
        #expect(shell.execute("topic create t; publish t a; consume t --group billing"))
        let partition = OffsetsTopic.partition(forGroup: "billing")
        let coordinator = try #require(shell.broker.coordinator(forGroup: "billing"))
        #expect(shell.execute("group describe billing"))
        #expect(output.lines.last == "coordinator: broker \(coordinator), the leader of the group's partition __consumer_offsets p\(partition): members join, heartbeat and commit there")
        #expect(shell.execute("broker stop \(coordinator)"))
        let next = try #require(shell.broker.coordinator(forGroup: "billing"))
        #expect(next != coordinator)
        #expect(output.lines.contains("group billing: broker \(next) coordinates it now (__consumer_offsets p\(partition) moved from broker \(coordinator)); its members find it with FindCoordinator and go on from their commits"))
        #expect(shell.execute("broker start \(coordinator)"))
        #expect(shell.execute("broker kill 1; broker kill 2; broker kill 3; group describe billing"))
        #expect(output.lines.contains("group billing: no coordinator — every replica of __consumer_offsets p\(partition) is down; its members get COORDINATOR_NOT_AVAILABLE until one starts"))
        #expect(output.lines.last == "coordinator: none — every replica of __consumer_offsets p\(partition) is down, so clients get COORDINATOR_NOT_AVAILABLE until one starts")
        let single = CapturedOutput()
        let alone = Shell(broker: try Broker(), logicalClock: nil, output: single)
        #expect(alone.execute("topic create t; publish t a; consume t --group billing; group describe billing"))
        #expect(!single.lines.contains { $0.hasPrefix("coordinator") })
    }
}

@Suite("Cluster events in words")
struct ClusterEventTextTests {
    let orders = TopicPartition("orders", 0)

    @Test("truncations, power losses, elections and offline partitions say what happened and what it cost")
    func lines() {
        #expect(ClusterEventText.line(.truncated(orders, broker: 3, removed: 5..<8, leader: 1, epoch: 4))
            == "broker 3 truncated orders p0 to @5: @5…@7 were never committed — never below the high watermark, so no acks=all producer heard they were written (leader 1, epoch 4, never had them)")
        #expect(ClusterEventText.line(.truncated(orders, broker: 3, removed: 5..<8, leader: 1, epoch: 4), uncleanlyLost: [orders: 4..<6])
            == "broker 3 truncated orders p0 to @5: @5 was acknowledged, lost in the unclean election; @6…@7 never were committed (leader 1, epoch 4, never had them)")
        #expect(ClusterEventText.line(.lostUnflushed(orders, broker: 2, removed: 0..<2))
            == "broker 2 lost orders p0 @0…@1 in the power loss: written to its page cache, never flushed to disk; its copy is empty now")
        #expect(ClusterEventText.line(.leaderElected(orders, leader: 2, epoch: 3, isr: [2, 3], reason: .controlledShutdown))
            == "orders p0: broker 2 leads (epoch 3, isr 2, 3): its leader is shutting down cleanly and handed leadership over first")
        #expect(ClusterEventText.line(.leaderElected(orders, leader: 1, epoch: 5, isr: [1, 2, 3], reason: .preferred))
            == "orders p0: broker 1 leads (epoch 5, isr 1, 2, 3) again: it is the preferred replica, the first assigned, and back in sync (auto.leader.rebalance.enable)")
        #expect(ClusterEventText.line(.leaderElected(orders, leader: 3, epoch: 2, isr: [3], reason: .unclean(lost: 4..<4)))
            == "orders p0: broker 3 leads (epoch 2, isr 3) by UNCLEAN election: no in-sync replica was alive and unclean.leader.election.enable let an out-of-sync one lead; it had every acknowledged record, so none is lost")
        #expect(ClusterEventText.line(.leaderElected(orders, leader: 2, epoch: 4, isr: [2], reason: .cameBack))
            == "orders p0: broker 2 leads (epoch 4, isr 2): an in-sync replica came back, so the partition is online again")
        #expect(ClusterEventText.line(.wentOffline(orders, isr: [2]))
            == "orders p0 is offline: every in-sync replica (2) is down, so it has no leader and publish and consume fail until one of them starts (or, with unclean.leader.election.enable, an out-of-sync replica leads and the records it lacks are lost)")
        #expect(ClusterEventText.line(.controllerMoved(to: nil, epoch: 4)) == "no controller: no broker is alive, so nothing elects leaders until one starts")
        #expect(ClusterEventText.line(.notAcknowledged(orders, offsets: 3..<4, error: BrokerError(.requestTimedOut, "no in-sync replica fetched it in 2m")))
            == "acks=all: orders p0 @3 not acknowledged [REQUEST_TIMED_OUT]: no in-sync replica fetched it in 2m")
    }
}
