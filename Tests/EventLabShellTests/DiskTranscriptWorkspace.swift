import EventLabCore
import EventLabShell
import EventLabStorage

/// A transcript workspace on disk, opened as `eventlab --data` opens one: closing it saves the
/// logical clock, and opening the directory again resumes it with its flow definitions.
final class DiskTranscriptWorkspace: TranscriptWorkspace {
    let broker: Broker
    let logicalClock: LogicalClock?
    private let workspace: Workspace
    var flowStore: (any FlowStore)? { workspace.flows }

    init(settings: TranscriptSettings, directory: String) throws {
        workspace = try Workspace(directory: directory)
        (broker, logicalClock) = try settings.makeBroker(storage: workspace.makeStorage(), logicalTime: try workspace.savedClockTime())
    }

    func close() throws {
        if let logicalClock { try workspace.saveClockTime(logicalClock.now()) }
        try broker.close()
    }

    /// In memory unless the transcript restarts.
    static let opener: TranscriptWorkspaceOpener = { settings, directory in
        guard let directory else { return try MemoryTranscriptWorkspace(settings: settings) }
        return try DiskTranscriptWorkspace(settings: settings, directory: directory)
    }
}

/// As the `eventlab` program joins them: the shell keeps its definitions in the workspace's file.
extension WorkspaceFlows: FlowStore {}
