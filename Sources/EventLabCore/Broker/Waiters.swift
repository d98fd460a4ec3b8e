/// Identifies a registered waiter, so it can be cancelled.
public struct WaiterID: Hashable, Sendable {
    let rawValue: UInt64
}

/// Callbacks waiting for a partition to grow or a group to change; each fires once.
struct Waiters {
    private struct DataWaiter {
        var topic: String
        var partition: Int32
        var beyond: Int64
        var callback: @Sendable () -> Void
    }

    private struct GroupWaiter {
        var groupId: String
        var callback: @Sendable () -> Void
    }

    private var nextId: UInt64 = 0
    private var data: [UInt64: DataWaiter] = [:]
    private var groups: [UInt64: GroupWaiter] = [:]

    mutating func addData(topic: String, partition: Int32, beyond: Int64, _ callback: @escaping @Sendable () -> Void) -> WaiterID {
        nextId += 1
        data[nextId] = DataWaiter(topic: topic, partition: partition, beyond: beyond, callback: callback)
        return WaiterID(rawValue: nextId)
    }

    mutating func addGroup(_ groupId: String, _ callback: @escaping @Sendable () -> Void) -> WaiterID {
        nextId += 1
        groups[nextId] = GroupWaiter(groupId: groupId, callback: callback)
        return WaiterID(rawValue: nextId)
    }

    mutating func remove(_ id: WaiterID) {
        data[id.rawValue] = nil
        groups[id.rawValue] = nil
    }

    /// Removes and returns the callbacks of waiters whose partition now ends past their offset.
    mutating func takeData(topic: String, partition: Int32, logEndOffset: Int64) -> [@Sendable () -> Void] {
        take(from: &data) { $0.topic == topic && $0.partition == partition && logEndOffset > $0.beyond }.map(\.callback)
    }

    /// Removes and returns every waiter on `topic`, which was deleted.
    mutating func takeData(topic: String) -> [@Sendable () -> Void] {
        take(from: &data) { $0.topic == topic }.map(\.callback)
    }

    mutating func takeGroup(_ groupId: String) -> [@Sendable () -> Void] {
        take(from: &groups) { $0.groupId == groupId }.map(\.callback)
    }

    mutating func takeAllGroups() -> [@Sendable () -> Void] {
        take(from: &groups) { _ in true }.map(\.callback)
    }

    private func take<W>(from waiters: inout [UInt64: W], where matches: (W) -> Bool) -> [W] {
        let ids = waiters.keys.filter { matches(waiters[$0]!) }.sorted()
        return ids.map { waiters.removeValue(forKey: $0)! }
    }
}
