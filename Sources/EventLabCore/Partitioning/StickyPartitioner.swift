/// Where Java's producer puts records without a key since Kafka 3.3: the uniform sticky
/// partitioner of KIP-794 (`BuiltInPartitioner`).
///
/// Unkeyed records stick to one partition until `batch.size` bytes (16384 by default) have
/// been appended there, so they fill whole batches; then the partitioner moves to a partition
/// chosen uniformly at random — which may be the same one again, as in Java. The bytes counted
/// are what each record adds to its batch: its own encoded size, plus the batch header when it
/// starts a batch. Java may hold a switch back while a batch is not yet ready to send (up to
/// twice `batch.size`); here every batch is sent at once, so the switch always comes at
/// `batch.size`.
public struct StickyPartitioner: Hashable, Sendable {
    /// Java's default `batch.size`.
    public static let defaultBatchSize = 16_384

    /// How many bytes go to one partition before the partitioner moves (`batch.size`).
    public let batchSize: Int
    /// The partition the next unkeyed record goes to; nil before the first is chosen.
    public private(set) var current: Int32?
    /// Bytes appended to ``current`` since it was chosen.
    public private(set) var producedBytes = 0

    /// A partitioner that has chosen no partition yet.
    public init(batchSize: Int = defaultBatchSize) {
        self.batchSize = batchSize
    }

    /// The partition for the next unkeyed record among `count`, chosen from `random` if none
    /// is chosen yet.
    public mutating func partition(count: Int32, random: inout SeededRandom) -> Int32 {
        if let current, current < count { return current }
        let chosen = random.partition(count: count)
        current = chosen
        producedBytes = 0
        return chosen
    }

    /// Counts `bytes` appended to the current partition; once they reach ``batchSize``, moves
    /// to a partition chosen from `random`.
    public mutating func appended(_ bytes: Int, count: Int32, random: inout SeededRandom) {
        producedBytes += bytes
        guard producedBytes >= batchSize else { return }
        current = random.partition(count: count)
        producedBytes = 0
    }
}
