import EventLabCore

/// The words for what the cluster did: elections, ISR changes, truncations, acknowledgements.
public enum ClusterEventText {
    /// One line telling of `event`; `uncleanlyLost` holds, per partition, the acknowledged
    /// offsets an unclean election lost, so that a later truncation of them is not called
    /// unacknowledged.
    public static func line(_ event: ClusterEvent, uncleanlyLost: [TopicPartition: Range<Int64>] = [:]) -> String {
        switch event {
        case .controllerMoved(let broker?, let epoch):
            "controller: broker \(broker) now elects the partitions' leaders (controller epoch \(epoch))"
        case .controllerMoved(nil, _):
            "no controller: no broker is alive, so nothing elects leaders until one starts"
        case .leaderElected(let partition, let leader, let epoch, let isr, let reason):
            elected(partition, leader: leader, epoch: epoch, isr: isr, reason: reason)
        case .wentOffline(let partition, let isr):
            "\(name(partition)) is offline: every in-sync replica (\(ids(isr))) is down, so it has no leader and publish and consume fail until one of them starts"
                + " (or, with unclean.leader.election.enable, an out-of-sync replica leads and the records it lacks are lost)"
        case .isrShrank(let partition, let removed, let isr, let behindMs?):
            "\(name(partition)): broker \(removed) left the ISR, \(TimeText.formatDuration(behindMs)) behind its leader, longer than replica.lag.time.max.ms allows; isr now \(ids(isr))"
        case .isrShrank(let partition, let removed, let isr, nil):
            "\(name(partition)): broker \(removed) is down, so it left the ISR; isr now \(ids(isr))"
        case .isrExpanded(let partition, let added, let isr):
            "\(name(partition)): broker \(added) caught up with its leader and joined the ISR; isr now \(ids(isr))"
        case .truncated(let partition, let broker, let removed, let leader, let epoch):
            truncated(partition, broker: broker, removed: removed, leader: leader, epoch: epoch, lost: uncleanlyLost[partition])
        case .lostUnflushed(let partition, let broker, let removed):
            "broker \(broker) lost \(name(partition)) \(offsets(removed)) in the power loss: written to its page cache, never flushed to disk; \(removed.lowerBound == 0 ? "its copy is empty now" : "its copy now ends with @\(removed.lowerBound - 1)")"
        case .reassigning(let partition, let target, let adding, let removing):
            "\(name(partition)) moves to replicas \(ids(target)): "
                + (adding.isEmpty ? "" : "broker\(adding.count == 1 ? "" : "s") \(ids(adding)) get\(adding.count == 1 ? "s" : "") a copy and fetch\(adding.count == 1 ? "es" : "") from the leader; ")
                + (removing.isEmpty ? "nothing is removed" : "\(ids(removing)) \(removing.count == 1 ? "is" : "are") removed once every new replica is in sync")
        case .reassigned(let partition, let replicas, let removed):
            "\(name(partition)) moved: its replicas are \(ids(replicas))" + (removed.isEmpty ? "" : "; the copies on \(ids(removed)) are deleted")
        case .acknowledged(let partition, let range, let replicas):
            "acks=all: \(name(partition)) \(offsets(range)) acknowledged, on \(ids(replicas))"
        case .notAcknowledged(let partition, let range, let error):
            "acks=all: \(name(partition)) \(offsets(range)) not acknowledged [\(error.code.name)]: \(error.message)"
        }
    }

    private static func elected(_ partition: TopicPartition, leader: Int32, epoch: Int32, isr: [Int32], reason: ElectionReason) -> String {
        let now = "\(name(partition)): broker \(leader) leads (epoch \(epoch), isr \(ids(isr)))"
        switch reason {
        case .leaderDied:
            return "\(now): its leader went down and the controller chose an in-sync replica"
        case .controlledShutdown:
            return "\(now): its leader is shutting down cleanly and handed leadership over first"
        case .preferred:
            return "\(now) again: it is the preferred replica, the first assigned, and back in sync (auto.leader.rebalance.enable)"
        case .cameBack:
            return "\(now): an in-sync replica came back, so the partition is online again"
        case .reassigned:
            return "\(now): the reassignment removes the old leader's replica, so one of the new replicas leads"
        case .unclean(let lost) where lost.isEmpty:
            return "\(now) by UNCLEAN election: no in-sync replica was alive and unclean.leader.election.enable let an out-of-sync one lead; it had every acknowledged record, so none is lost"
        case .unclean(let lost):
            return "\(now) by UNCLEAN election: no in-sync replica was alive and unclean.leader.election.enable let an out-of-sync one lead;"
                + " it never had \(offsets(lost)), so \(lost.count == 1 ? "that acknowledged record is" : "those \(lost.count) acknowledged records are") lost"
        }
    }

    /// A follower's cut back to its leader's log: records a clean election never acknowledged,
    /// or, after an unclean one, acknowledged records it lost.
    private static func truncated(
        _ partition: TopicPartition, broker: Int32, removed: Range<Int64>, leader: Int32, epoch: Int32, lost: Range<Int64>?
    ) -> String {
        let cut = "broker \(broker) truncated \(name(partition)) to @\(removed.lowerBound)"
        let never = " (leader \(leader), epoch \(epoch), never had \(removed.count == 1 ? "it" : "them"))"
        guard let lost, lost.overlaps(removed) else {
            return "\(cut): \(offsets(removed)) \(removed.count == 1 ? "was" : "were") never committed — never below the high watermark, so no acks=all producer heard \(removed.count == 1 ? "it was" : "they were") written\(never)"
        }
        let acknowledged = lost.clamped(to: removed)
        let rest = acknowledged.upperBound..<removed.upperBound
        let tail = rest.isEmpty ? "" : "; \(offsets(rest)) never \(rest.count == 1 ? "was" : "were") committed"
        return "\(cut): \(offsets(acknowledged)) \(acknowledged.count == 1 ? "was" : "were") acknowledged, lost in the unclean election\(tail)\(never)"
    }

    /// `orders p0`.
    static func name(_ partition: TopicPartition) -> String {
        "\(TerminalText.escape(partition.topic)) p\(partition.partition)"
    }

    /// `1, 2, 3`, or `none`.
    static func ids(_ brokers: [Int32]) -> String {
        brokers.isEmpty ? "none" : brokers.map(String.init).joined(separator: ", ")
    }

    /// `@5` or `@5…@7`.
    static func offsets(_ range: Range<Int64>) -> String {
        range.count <= 1 ? "@\(range.lowerBound)" : "@\(range.lowerBound)…@\(range.upperBound - 1)"
    }
}

/// The words for one follower fetch, as `step` prints it.
enum ReplicaFetchText {
    /// `broker 2 fetched orders p0 @5…@6 from leader 1 · high watermark 7: consumers read up to @6`.
    static func line(_ fetch: ReplicaFetch) -> String {
        let copied = fetch.offsets.isEmpty ? "\(ClusterEventText.name(fetch.partition)) from leader \(fetch.leader): nothing new"
            : "\(ClusterEventText.name(fetch.partition)) \(ClusterEventText.offsets(fetch.offsets)) from leader \(fetch.leader)"
        let readable = fetch.highWatermark == 0 ? "consumers read nothing yet" : "consumers read up to @\(fetch.highWatermark - 1)"
        return "broker \(fetch.follower) fetched \(copied) · high watermark \(fetch.highWatermark): \(readable)"
    }
}
