/// One stored batch's idempotent-producer fields and offsets, as its header holds them.
public struct ProducerFields: Equatable, Sendable {
    /// The producer's id, or -1 for a batch from a producer that is not idempotent.
    public var producerId: Int64
    /// The producer's epoch.
    public var producerEpoch: Int16
    /// The sequence number of the batch's first offset.
    public var baseSequence: Int32
    /// The batch's first offset.
    public var baseOffset: Int64
    /// How far its last offset is past its first: with `baseSequence`, its last sequence number.
    public var lastOffsetDelta: Int32

    /// The fields as given.
    public init(producerId: Int64, producerEpoch: Int16, baseSequence: Int32, baseOffset: Int64, lastOffsetDelta: Int32) {
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.baseOffset = baseOffset
        self.lastOffsetDelta = lastOffsetDelta
    }

    /// The fields of `batch`.
    public init(_ batch: RecordBatch) {
        self.init(
            producerId: batch.producerId, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence,
            baseOffset: batch.baseOffset, lastOffsetDelta: batch.lastOffsetDelta)
    }
}
