/// What a session needs, from a transcript's header: `% clock`, `% width`, `% brokers`, `% set`, `% recorded`.
public struct TranscriptSettings: Equatable, Sendable {
    /// Which clock the broker runs on.
    public enum Clock: Equatable, Sendable {
        /// The logical clock, starting at this time (milliseconds since the epoch).
        case logical(startMs: Int64)
        /// Real time.
        case system
    }

    /// 2024-01-01T00:00:00Z, where every logical clock starts unless told otherwise.
    public static let logicalStartMs: Int64 = 1_704_067_200_000
    /// The width pictures are drawn for, unless the header says otherwise.
    public static let defaultWidth = 80
    /// The widths a header may ask for.
    public static let widths = 1...10_000
    /// How many brokers a session's cluster may start with.
    public static let brokerCounts = 1...99

    /// The clock; logical from 2024-01-01T00:00:00Z by default.
    public var clock: Clock
    /// The terminal width.
    public var width: Int
    /// How many brokers the cluster starts with: 1, the default, is a single broker as before.
    public var brokers: Int
    /// Broker configs as `NAME=VALUE`, in the order written.
    public var brokerSettings: [String]
    /// When the recording was made (milliseconds since the epoch); informational.
    public var recordedAtMs: Int64?

    /// The defaults, or the settings given.
    public init(
        clock: Clock = .logical(startMs: logicalStartMs), width: Int = defaultWidth, brokers: Int = 1, brokerSettings: [String] = [],
        recordedAtMs: Int64? = nil
    ) {
        self.clock = clock
        self.width = width
        self.brokers = brokers
        self.brokerSettings = brokerSettings
        self.recordedAtMs = recordedAtMs
    }
}
