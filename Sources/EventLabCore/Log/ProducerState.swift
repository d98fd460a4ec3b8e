/// What one partition remembers of its idempotent producers, as Kafka's broker does: each
/// producer's epoch and its last five batches' sequence numbers and offsets. A batch a producer
/// sends again after a lost acknowledgement is recognised and not written twice; a batch that
/// skips sequence numbers is refused, so nothing is silently lost in between.
///
/// Each copy of a partition has its own, as each Kafka replica does, read from the copy's batch
/// headers when the partition opens, or when the copy comes to lead without one (it forgets it
/// when cut back): a retry after a restart is still recognised, and one the new leader lacks is
/// appended, not answered from batches only the old leader had. A producer whose batches are all
/// gone from the log by then (retention deleted them) is unknown again, and its next batch is
/// taken as its first, as Kafka takes a batch from a producer it has no state for; while the
/// copy lives, a producer's state outlives its batches, as Kafka keeps it until the producer id
/// expires.
struct ProducerState {
    /// The sequence numbers and offsets of one written batch.
    struct WrittenBatch: Equatable {
        var firstSequence: Int32
        var lastSequence: Int32
        var baseOffset: Int64
    }

    /// One producer's epoch and its newest batches, oldest first.
    struct Producer {
        var epoch: Int16
        var batches: [WrittenBatch]
    }

    /// What to do with an incoming batch.
    enum Verdict: Equatable {
        /// Append it.
        case append
        /// It was written before, at this base offset: answer with that, write nothing.
        case duplicate(baseOffset: Int64)
    }

    /// How many batches per producer are remembered (Kafka's limit of in-flight batches).
    static let remembered = 5

    private var producers: [Int64: Producer] = [:]

    /// The state the batches of `log` leave, oldest first: what the partition's producers had
    /// written when it was closed.
    ///
    /// A segment that cannot be read is passed over rather than taking the partition offline:
    /// reads that reach it already report the damage, and the other segments' batches are the
    /// best account of the producers left.
    init(rebuiltFrom log: PartitionLog) {
        for index in log.segments.indices {
            guard let batches = try? log.storage.producerFields(inSegment: index) else { continue }
            for batch in batches { record(batch) }
        }
    }

    /// No producers yet: a new partition's state.
    init() {}

    /// Whether `batch` should be appended, or was appended before.
    ///
    /// - Throws: `INVALID_PRODUCER_EPOCH` for an epoch older than the producer's;
    ///   `OUT_OF_ORDER_SEQUENCE_NUMBER` when the batch does not follow the producer's last one.
    func verdict(for batch: RecordBatch) throws(BrokerError) -> Verdict {
        guard batch.producerId >= 0, let producer = producers[batch.producerId] else { return .append }
        let first = batch.baseSequence
        let last = Self.sequence(first, plus: batch.lastOffsetDelta)
        if batch.producerEpoch < producer.epoch {
            throw BrokerError(
                .invalidProducerEpoch,
                "producer \(batch.producerId) sent epoch \(batch.producerEpoch), but epoch \(producer.epoch) has taken over")
        }
        if batch.producerEpoch > producer.epoch {
            guard first == 0 else {
                throw BrokerError(
                    .outOfOrderSequenceNumber,
                    "producer \(batch.producerId) started epoch \(batch.producerEpoch) at sequence \(first), not 0")
            }
            return .append
        }
        if let written = producer.batches.first(where: { $0.firstSequence == first && $0.lastSequence == last }) {
            return .duplicate(baseOffset: written.baseOffset)
        }
        let expected = producer.batches.last.map { Self.sequence($0.lastSequence, plus: 1) } ?? first
        guard first == expected else {
            throw BrokerError(
                .outOfOrderSequenceNumber,
                "producer \(batch.producerId) sent sequence \(first), but the next one expected is \(expected)")
        }
        return .append
    }

    /// Notes that `batch` was appended at its base offset.
    mutating func record(_ batch: RecordBatch) {
        record(ProducerFields(batch))
    }

    private mutating func record(_ batch: ProducerFields) {
        guard batch.producerId >= 0 else { return }
        let written = WrittenBatch(
            firstSequence: batch.baseSequence, lastSequence: Self.sequence(batch.baseSequence, plus: batch.lastOffsetDelta),
            baseOffset: batch.baseOffset)
        var producer = producers[batch.producerId] ?? Producer(epoch: batch.producerEpoch, batches: [])
        if batch.producerEpoch != producer.epoch { producer = Producer(epoch: batch.producerEpoch, batches: []) }
        producer.batches.append(written)
        if producer.batches.count > Self.remembered { producer.batches.removeFirst() }
        producers[batch.producerId] = producer
    }

    /// Sequence numbers wrap from Int32.max to 0, as Kafka's do.
    private static func sequence(_ value: Int32, plus delta: Int32) -> Int32 {
        Int32(truncatingIfNeeded: (Int64(value) + Int64(delta)) % (Int64(Int32.max) + 1))
    }
}
