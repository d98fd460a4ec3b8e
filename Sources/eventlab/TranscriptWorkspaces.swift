import EventLabShell
import EventLabStorage

extension Session: TranscriptWorkspace {}

/// The workspaces transcripts run in: in memory, or on disk for one that restarts.
enum TranscriptWorkspaces {
    /// Opens a fresh workspace with a transcript's settings, or reopens the one in `directory`
    /// with its logical clock where it stopped. One in memory is what `--memory` opens, flow
    /// definitions kept in memory included, so a transcript runs as the session it recorded.
    static let opener: TranscriptWorkspaceOpener = { settings, directory in
        guard let directory else { return try Session.inMemory(settings) }
        let workspace = try Workspace(directory: directory, policy: .os)
        let (broker, clock) = try settings.makeBroker(cluster: workspace.makeCluster(newBrokers: settings.brokers), logicalTime: try workspace.savedClockTime())
        return Session(broker: broker, logicalClock: clock, workspace: workspace)
    }
}
