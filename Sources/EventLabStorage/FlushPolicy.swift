/// When appended batches are forced to the disk (fsync), per workspace.
public enum FlushPolicy: Hashable, Sendable {
    /// Kafka's default: each batch is written to the file before it is acknowledged and the
    /// operating system decides when it reaches the disk. A killed process loses nothing; a
    /// power cut may lose the last seconds.
    case os
    /// Each batch is synced to the disk before it is acknowledged: nothing acknowledged is
    /// lost even in a power cut, at the price of one fsync per batch.
    case batch
    /// A sync at most every so many milliseconds, on append.
    case interval(milliseconds: Int64)

    /// `os`, `batch` or `interval:MS`, as a workspace setting spells it.
    public init?(_ text: String) {
        switch text {
        case "os": self = .os
        case "batch": self = .batch
        default:
            guard text.hasPrefix("interval:"), let milliseconds = Int64(text.dropFirst("interval:".count)), milliseconds > 0 else { return nil }
            self = .interval(milliseconds: milliseconds)
        }
    }
}
