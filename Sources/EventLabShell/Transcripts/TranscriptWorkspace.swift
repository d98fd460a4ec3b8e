import EventLabCore

/// A workspace a transcript runs in, opened fresh with the transcript's settings.
public protocol TranscriptWorkspace: AnyObject {
    /// Its broker.
    var broker: Broker { get }
    /// The logical clock, when the settings ask for one.
    var logicalClock: LogicalClock? { get }
    /// Where its flow definitions are kept; nil where nothing outlives the workspace.
    var flowStore: (any FlowStore)? { get }
    /// Closes it cleanly, as leaving EventLab would (the logical clock's time is kept on disk).
    func close() throws
}

/// Opens a transcript's workspace: in memory when `directory` is nil, else in `directory` on
/// disk — empty the first time, and the same directory again after a `% restart`.
///
/// The shell cannot open a workspace on disk itself (storage lives in its own target), so the
/// program that runs transcripts passes one in.
public typealias TranscriptWorkspaceOpener = @Sendable (_ settings: TranscriptSettings, _ directory: String?) throws -> any TranscriptWorkspace

/// A transcript workspace in memory: a broker and nothing kept.
public final class MemoryTranscriptWorkspace: TranscriptWorkspace {
    public let broker: Broker
    public let logicalClock: LogicalClock?
    /// None: nothing outlives a workspace in memory.
    public var flowStore: (any FlowStore)? { nil }

    /// A broker in memory with `settings`' clock and broker configs; member ids are seeded on
    /// the logical clock, so the same commands print the same ids.
    public init(settings: TranscriptSettings) throws {
        (broker, logicalClock) = try settings.makeMemoryBroker()
    }

    public func close() throws { try broker.close() }

    /// The opener for transcripts that stay in memory; one that restarts needs a disk opener.
    public static let opener: TranscriptWorkspaceOpener = { settings, directory in
        guard directory == nil else { throw ShellError("this transcript restarts its workspace, which needs a workspace on disk") }
        return try MemoryTranscriptWorkspace(settings: settings)
    }
}
