/// What Kafka's log cleaner decides for one compacted partition before it cleans: which closed
/// segments it may clean, how dirty they are, and whether this pass cleans them
/// (LogCleanerManager's `cleanableOffsets` and `grabFilthiestCompactedLog`).
///
/// The cleaner checkpoint is the first offset not yet cleaned. The segments before it are
/// clean; from it up to the first uncleanable offset they are dirty. The dirty ratio is dirty
/// bytes over clean plus dirty bytes, and a pass cleans only when it is above
/// `min.cleanable.dirty.ratio`, or when the oldest dirty record is older than
/// `max.compaction.lag.ms`. The first uncleanable offset is the active segment's base, or the
/// base of the first dirty segment whose newest record is younger than `min.compaction.lag.ms`.
public struct CleaningDecision: Hashable, Sendable {
    /// Why a pass leaves a partition as it is.
    public enum Skip: Hashable, Sendable {
        /// Every segment after the cleaner checkpoint holds a record younger than
        /// `min.compaction.lag.ms`: the first becomes cleanable at `at`.
        case minLag(at: Int64)
        /// The dirty ratio is not above `min.cleanable.dirty.ratio`, and no dirty record is older
        /// than `max.compaction.lag.ms`.
        case ratio
    }

    /// The first offset not yet cleaned: the cleaner checkpoint, or the log start when it is before it.
    public var firstDirtyOffset: Int64
    /// Where cleaning stops: the active segment's base, or that of the first dirty segment
    /// younger than `min.compaction.lag.ms`.
    public var firstUncleanableOffset: Int64
    /// How many of the oldest segments a pass cleans: those before `firstUncleanableOffset`.
    public var cleanableSegments: Int
    /// Bytes of the segments before `firstDirtyOffset`.
    public var cleanBytes: Int
    /// Bytes of the segments from `firstDirtyOffset` up to `firstUncleanableOffset`.
    public var dirtyBytes: Int
    /// The topic's `min.cleanable.dirty.ratio`.
    public var minRatio: Double
    /// Whether `min.compaction.lag.ms` stops cleaning before the active segment.
    public var heldByMinLag: Bool
    /// Whether the oldest dirty record is older than `max.compaction.lag.ms`, which cleans
    /// whatever the ratio.
    public var pastMaxLag: Bool
    /// Why this pass skips the partition, or nil when it cleans.
    public var skip: Skip?

    /// Dirty bytes over clean plus dirty bytes; 0 for a partition with nothing cleanable.
    public var dirtyRatio: Double { Self.ratio(dirty: dirtyBytes, clean: cleanBytes) }

    private static func ratio(dirty: Int, clean: Int) -> Double {
        dirty + clean == 0 ? 0 : Double(dirty) / Double(dirty + clean)
    }

    /// The decision for a partition whose closed segments are `closed` (oldest first) and whose
    /// cleaner checkpoint is `checkpoint`, at `now`. With `force` the ratio does not matter;
    /// the lags still do.
    public init(closed: [SegmentInfo], checkpoint: Int64, config: TopicConfig, now: Int64, force: Bool = false) {
        let logStart = closed.first?.baseOffset ?? 0
        let active = closed.last?.endOffset ?? logStart
        firstDirtyOffset = min(max(checkpoint, logStart), active)
        minRatio = config.minCleanableDirtyRatio
        let dirtyStart = firstDirtyOffset
        let dirty = closed.filter { $0.baseOffset >= dirtyStart }
        // Kafka's rule is by segment: a segment is too young while its newest record is.
        let lagStart = now.subtractingSaturating(config.minCompactionLagMs)
        let tooYoung = config.minCompactionLagMs > 0 ? dirty.first { ($0.maxTimestamp ?? .min) > lagStart } : nil
        firstUncleanableOffset = tooYoung?.baseOffset ?? active
        heldByMinLag = tooYoung != nil
        let uncleanable = firstUncleanableOffset
        cleanableSegments = closed.prefix { $0.baseOffset < uncleanable }.count
        cleanBytes = closed.prefix { $0.baseOffset < dirtyStart }.reduce(0) { $0 + $1.byteCount }
        let cleanable = dirty.prefix { $0.baseOffset < uncleanable }
        dirtyBytes = cleanable.reduce(0) { $0 + $1.byteCount }
        // Each dirty segment's first batch's newest timestamp, as Kafka's firstBatchTimestamp.
        let oldest = cleanable.compactMap(\.firstTimestamp).min()
        pastMaxLag = oldest.map { $0 < now.subtractingSaturating(config.maxCompactionLagMs) } ?? false
        if cleanable.isEmpty, let tooYoung, cleanableSegments == 0 || !force {
            skip = .minLag(at: (tooYoung.maxTimestamp ?? now).addingSaturating(config.minCompactionLagMs))
        } else if !force && !pastMaxLag && !(Self.ratio(dirty: dirtyBytes, clean: cleanBytes) > minRatio) {
            skip = .ratio
        } else {
            skip = nil
        }
    }
}
