/// The acks=all writes network producers wait on, as in Kafka's DelayedProduce purgatory: kept
/// by partition, so a high watermark that moves looks only at its own partition's writes. Each
/// is taken out once, whichever comes first: its verdict, its timeout or its cancellation.
struct AckWaiters {
    /// One waiting write.
    struct Waiter {
        /// The offset of its last record.
        var through: Int64
        /// The leader epoch it was appended in.
        var leaderEpoch: Int32
        /// Its answer.
        var done: @Sendable (Result<Void, BrokerError>) -> Void
        /// Cancels its timeout, once that is scheduled.
        var cancelTimeout: @Sendable () -> Void = {}
    }

    private var nextId: UInt64 = 0
    private var waiting: [TopicPartition: [UInt64: Waiter]] = [:]

    /// The partitions with writes waiting.
    var partitions: [TopicPartition] { Array(waiting.keys) }

    /// Whether no write waits on `partition`.
    func isEmpty(_ partition: TopicPartition) -> Bool { waiting[partition] == nil }

    /// Adds `waiter` on `partition`.
    ///
    /// - Returns: its id, for ``remove(_:from:)`` and ``setTimeout(_:of:_:)``.
    mutating func add(_ waiter: Waiter, on partition: TopicPartition) -> UInt64 {
        nextId += 1
        waiting[partition, default: [:]][nextId] = waiter
        return nextId
    }

    /// Notes how to cancel the timeout of waiter `id`, if it still waits.
    ///
    /// - Returns: false once it stopped waiting: the timeout is to be cancelled at once.
    mutating func setTimeout(_ id: UInt64, of partition: TopicPartition, _ cancel: @escaping @Sendable () -> Void) -> Bool {
        guard waiting[partition]?[id] != nil else { return false }
        waiting[partition]![id]!.cancelTimeout = cancel
        return true
    }

    /// Takes waiter `id` out, if it still waits.
    mutating func remove(_ id: UInt64, from partition: TopicPartition) -> Waiter? {
        guard let waiter = waiting[partition]?.removeValue(forKey: id) else { return nil }
        if waiting[partition]!.isEmpty { waiting[partition] = nil }
        return waiter
    }

    /// The writes waiting on `partition`, in the order they came.
    func waiting(on partition: TopicPartition) -> [(id: UInt64, waiter: Waiter)] {
        (waiting[partition] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}
