import Synchronization

extension Broker {
    /// Calls `callback` once, when the partition's high watermark — the end consumers see —
    /// passes `offset` (at once if it already has) or the topic is deleted: the network server's
    /// long-poll Fetch uses it.
    ///
    /// - Returns: an id for ``cancelWaiter(_:)``.
    @discardableResult
    public func whenData(
        _ topic: String, partition: Int32, beyond offset: Int64, _ callback: @escaping @Sendable () -> Void
    ) throws(BrokerError) -> WaiterID {
        let (id, ready) = try state.withLock { state throws(BrokerError) in
            let highWatermark = try state.leading(topic, partition).1.highWatermark
            let id = state.waiters.addData(topic: topic, partition: partition, beyond: offset, callback)
            let ready = state.waiters.takeData(topic: topic, partition: partition, logEndOffset: highWatermark)
            return (id, ready)
        }
        ready.forEach { $0() }
        return id
    }

    /// Calls `callback` once, at the group's next change: members, generation or offsets.
    @discardableResult
    public func whenGroupChanges(_ groupId: String, _ callback: @escaping @Sendable () -> Void) -> WaiterID {
        state.withLock { $0.waiters.addGroup(groupId, callback) }
    }

    /// Forgets a waiter that has not fired.
    public func cancelWaiter(_ id: WaiterID) {
        state.withLock { $0.waiters.remove(id) }
    }

    /// Blocks until the partition's log-end offset passes `offset`, `timeoutMs` passes on the
    /// scheduler's real time, or `isInterrupted` says so after `wakeup` is posted.
    ///
    /// - Returns: true if data arrived.
    public func waitForData(
        _ topic: String, partition: Int32, beyond offset: Int64, timeoutMs: Int64,
        wakeup: Wakeup = Wakeup(), isInterrupted: () -> Bool = { false }
    ) throws(BrokerError) -> Bool {
        try waitForData(topic, beyond: [partition: offset], timeoutMs: timeoutMs, wakeup: wakeup, isInterrupted: isInterrupted)
    }

    /// Blocks until any of the partitions' log-end offsets passes its offset in `offsets`,
    /// `timeoutMs` passes on the scheduler's real time (`Int64.max`: no limit), or
    /// `isInterrupted` says so. Nothing polls: data and the deadline post `wakeup`, and so must
    /// whoever interrupts (the REPL's Ctrl-C handler posts its semaphore).
    ///
    /// - Returns: true if data arrived.
    public func waitForData(
        _ topic: String, beyond offsets: [Int32: Int64], timeoutMs: Int64,
        wakeup: Wakeup = Wakeup(), isInterrupted: () -> Bool = { false }
    ) throws(BrokerError) -> Bool {
        let fired = Atomic(false)
        let timedOut = Atomic(false)
        var ids: [WaiterID] = []
        var deadline: TaskID?
        defer {
            ids.forEach { cancelWaiter($0) }
            if let deadline { scheduler.cancel(deadline) }
        }
        for (partition, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            ids.append(try whenData(topic, partition: partition, beyond: offset) {
                fired.store(true, ordering: .releasing)
                wakeup.signal()
            })
        }
        if timeoutMs < .max {
            deadline = scheduler.schedule("wait for data", in: .real, after: timeoutMs) {
                timedOut.store(true, ordering: .releasing)
                wakeup.signal()
            }
        }
        while !fired.load(ordering: .acquiring), !timedOut.load(ordering: .acquiring), !isInterrupted() {
            wakeup.wait()
        }
        guard fired.load(ordering: .acquiring) else { return false }
        for (partition, offset) in offsets where try self.offsets(topic, partition: partition).logEndOffset > offset {
            return true
        }
        return false
    }
}
