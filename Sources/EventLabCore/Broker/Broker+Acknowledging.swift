extension Broker {
    /// ``whenAcknowledged(_:partition:through:leaderEpoch:timeoutMs:_:)``: answers at once when
    /// the write is settled already, else waits among ``BrokerState/ackWaiters`` with a timeout
    /// on the scheduler's real time.
    func waitForAcknowledgement(
        _ key: TopicPartition, through offset: Int64, leaderEpoch: Int32, timeoutMs: Int64,
        _ done: @escaping @Sendable (Result<Void, BrokerError>) -> Void
    ) -> @Sendable () -> Void {
        let (id, settled) = state.withLock { state -> (UInt64?, Result<Void, BrokerError>?) in
            if let verdict = state.acknowledgementVerdict(key, through: offset, leaderEpoch: leaderEpoch) { return (nil, verdict) }
            return (state.ackWaiters.add(AckWaiters.Waiter(through: offset, leaderEpoch: leaderEpoch, done: done), on: key), nil)
        }
        guard let id else {
            done(settled!)
            return {}
        }
        let scheduler = self.scheduler
        let timeout = scheduler.schedule("produce timeout (acks=all)", in: .real, after: timeoutMs) { [weak self] in
            self?.expireAcknowledgement(id, key, timeoutMs: timeoutMs)
        }
        let waiting = state.withLock { $0.ackWaiters.setTimeout(id, of: key) { _ = scheduler.cancel(timeout) } }
        if !waiting { scheduler.cancel(timeout) }
        return { [weak self] in
            self?.state.withLock { $0.ackWaiters.remove(id, from: key) }?.cancelTimeout()
        }
    }

    /// Answers waiter `id` once its `timeoutMs` ran out: with its verdict if it has one by now,
    /// else `REQUEST_TIMED_OUT`.
    private func expireAcknowledgement(_ id: UInt64, _ key: TopicPartition, timeoutMs: Int64) {
        let expired = state.withLock { state -> (AckWaiters.Waiter, Result<Void, BrokerError>)? in
            guard let waiter = state.ackWaiters.remove(id, from: key) else { return nil }
            let verdict = state.acknowledgementVerdict(key, through: waiter.through, leaderEpoch: waiter.leaderEpoch)
            return (waiter, verdict ?? .failure(state.acknowledgementTimedOut(key, through: waiter.through, timeoutMs: timeoutMs)))
        }
        guard let (waiter, result) = expired else { return }
        waiter.done(result)
    }
}

extension BrokerState {
    /// What an acks=all write to `key` whose last record is at `offset`, appended in leader
    /// epoch `leaderEpoch`, comes to now — as Kafka's DelayedProduce decides — or nil while it
    /// waits for in-sync replicas.
    func acknowledgementVerdict(_ key: TopicPartition, through offset: Int64, leaderEpoch: Int32) -> Result<Void, BrokerError>? {
        guard let name = try? TopicName(key.topic), let topic = topics[name], Int(key.partition) < topic.partitions.count else {
            return .failure(BrokerError(
                .unknownTopicOrPartition,
                "\(key.topic) p\(key.partition) was deleted while the write waited for its replicas; a producer's retry gets UNKNOWN_TOPIC_OR_PARTITION until the topic is created again"))
        }
        let partition = topic.partitions[Int(key.partition)]
        guard partition.leaderEpoch == leaderEpoch else {
            let now = partition.leader.map { "broker \($0) leads it in epoch \(partition.leaderEpoch)" } ?? "it has no leader (epoch \(partition.leaderEpoch))"
            return .failure(BrokerError(
                .notLeaderOrFollower,
                "the leader of \(key.topic) p\(key.partition) changed before every in-sync replica had offset \(offset), appended in epoch \(leaderEpoch) (\(now)): the producer refreshes its metadata and sends the write again to the new leader — a duplicate unless the producer is idempotent"))
        }
        guard partition.highWatermark > offset else { return nil }
        let minimum = topic.config.minInsyncReplicas
        guard partition.isr.count >= minimum else {
            let base = BrokerError.notEnoughAfterAppend(partition, minimum: minimum)
            return .failure(BrokerError(base.code, base.message + "; the producer retries it — a duplicate unless it is idempotent"))
        }
        return .success(())
    }

    /// `REQUEST_TIMED_OUT` for an acks=all write to `key` through `offset` that waited `timeoutMs`.
    func acknowledgementTimedOut(_ key: TopicPartition, through offset: Int64, timeoutMs: Int64) -> BrokerError {
        let partition = try? replicated(key.topic, key.partition).1
        let isr = partition.map { " (\($0.isr.map(String.init).joined(separator: ", ")); high watermark \($0.highWatermark))" } ?? ""
        return BrokerError(
            .requestTimedOut,
            "the in-sync replicas of \(key.topic) p\(key.partition)\(isr) did not all reach offset \(offset) within the request's timeout of \(timeoutMs) ms: the write stays in the leader's log and may still be replicated; the producer retries it — a duplicate unless it is idempotent")
    }

    /// Takes out the waiting acks=all writes that are settled now — on `partition`, or on every
    /// partition — and returns their answers, to be called outside the lock.
    mutating func settleAcknowledgements(of partition: TopicPartition? = nil) -> [@Sendable () -> Void] {
        let partitions = partition.map { ackWaiters.isEmpty($0) ? [] : [$0] } ?? ackWaiters.partitions.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        var answers: [@Sendable () -> Void] = []
        for key in partitions {
            for (id, waiting) in ackWaiters.waiting(on: key) {
                guard let result = acknowledgementVerdict(key, through: waiting.through, leaderEpoch: waiting.leaderEpoch),
                      let waiter = ackWaiters.remove(id, from: key) else { continue }
                answers.append {
                    waiter.cancelTimeout()
                    waiter.done(result)
                }
            }
        }
        return answers
    }
}
