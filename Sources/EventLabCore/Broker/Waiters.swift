/// Identifies a registered waiter, so it can be cancelled.
public struct WaiterID: Hashable, Sendable {
    let rawValue: UInt64
}

/// Callbacks waiting for a partition to grow or a group to change; each fires once.
///
/// Waiters are kept by topic-partition and by group id, so an append looks only at its own
/// partition's waiters and a group change only at that group's, however many others wait.
struct Waiters {
    private struct DataWaiter {
        var beyond: Int64
        var callback: @Sendable () -> Void
    }

    private var nextId: UInt64 = 0
    private var data: [String: [Int32: [UInt64: DataWaiter]]] = [:]
    private var groups: [String: [UInt64: @Sendable () -> Void]] = [:]
    /// Where each waiter is kept, so one can be cancelled by its id alone.
    private var places: [UInt64: Place] = [:]
    /// How many waiters the last take looked at: the promise of the index, which tests hold it to.
    private(set) var examined = 0

    private enum Place {
        case data(String, Int32)
        case group(String)
    }

    mutating func addData(topic: String, partition: Int32, beyond: Int64, _ callback: @escaping @Sendable () -> Void) -> WaiterID {
        nextId += 1
        data[topic, default: [:]][partition, default: [:]][nextId] = DataWaiter(beyond: beyond, callback: callback)
        places[nextId] = .data(topic, partition)
        return WaiterID(rawValue: nextId)
    }

    mutating func addGroup(_ groupId: String, _ callback: @escaping @Sendable () -> Void) -> WaiterID {
        nextId += 1
        groups[groupId, default: [:]][nextId] = callback
        places[nextId] = .group(groupId)
        return WaiterID(rawValue: nextId)
    }

    mutating func remove(_ id: WaiterID) {
        switch places.removeValue(forKey: id.rawValue) {
        case .data(let topic, let partition):
            data[topic]?[partition]?[id.rawValue] = nil
            if data[topic]?[partition]?.isEmpty == true { data[topic]?[partition] = nil }
            if data[topic]?.isEmpty == true { data[topic] = nil }
        case .group(let groupId):
            groups[groupId]?[id.rawValue] = nil
            if groups[groupId]?.isEmpty == true { groups[groupId] = nil }
        case nil:
            break
        }
    }

    /// Removes and returns, in the order they came, the callbacks of the partition's waiters
    /// whose offset it now ends past.
    mutating func takeData(topic: String, partition: Int32, logEndOffset: Int64) -> [@Sendable () -> Void] {
        guard !data.isEmpty, let waiting = data[topic]?[partition] else {
            examined = 0
            return []
        }
        examined = waiting.count
        let ready = waiting.filter { logEndOffset > $0.value.beyond }.keys.sorted()
        return ready.map { id in
            let callback = waiting[id]!.callback
            remove(WaiterID(rawValue: id))
            return callback
        }
    }

    /// Removes and returns every waiter on `topic`, which was deleted.
    mutating func takeData(topic: String) -> [@Sendable () -> Void] {
        let waiting = (data.removeValue(forKey: topic) ?? [:]).values.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        examined = waiting.count
        return waiting.keys.sorted().map { id in
            places[id] = nil
            return waiting[id]!.callback
        }
    }

    mutating func takeGroup(_ groupId: String) -> [@Sendable () -> Void] {
        let waiting = groups.removeValue(forKey: groupId) ?? [:]
        examined = waiting.count
        return waiting.keys.sorted().map { id in
            places[id] = nil
            return waiting[id]!
        }
    }

    mutating func takeAllGroups() -> [@Sendable () -> Void] {
        let waiting = groups.values.reduce(into: [UInt64: @Sendable () -> Void]()) { $0.merge($1) { first, _ in first } }
        groups = [:]
        examined = waiting.count
        return waiting.keys.sorted().map { id in
            places[id] = nil
            return waiting[id]!
        }
    }
}
