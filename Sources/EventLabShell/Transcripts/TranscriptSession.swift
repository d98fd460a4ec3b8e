import EventLabCore
import Foundation

/// A transcript's commands running on a fresh workspace: each command's printed lines are
/// returned to compare with the recording, and `% restart` closes and reopens the workspace.
public final class TranscriptSession {
    /// The settings it runs with.
    public let settings: TranscriptSettings
    /// The shell the commands run in; a new one after each restart.
    public var shell: Shell { opened!.shell }
    /// The open workspace and the shell on its broker; nil from a restart's close to its reopening,
    /// because the old broker holds the workspace's lock for as long as anything refers to it.
    private var opened: (workspace: any TranscriptWorkspace, shell: Shell)?
    private let opener: TranscriptWorkspaceOpener
    /// The temporary directory of a session on disk, removed on close.
    private let directory: String?
    private let output = CapturedOutput()

    /// A fresh workspace with `settings`: on disk in a new temporary directory when `onDisk`
    /// (a transcript that restarts), else in memory.
    public init(settings: TranscriptSettings, onDisk: Bool, opener: @escaping TranscriptWorkspaceOpener) throws {
        self.settings = settings
        self.opener = opener
        directory = onDisk ? try Self.temporaryDirectory() : nil
        do {
            opened = try open()
        } catch {
            if let directory { try? FileManager.default.removeItem(atPath: directory) }
            throw error
        }
    }

    /// Runs `command` as the REPL would and returns what it printed, one string per line.
    public func run(_ command: String) -> [String] {
        output.clear()
        shell.execute(command)
        guard !output.lines.isEmpty else { return [] }
        return output.text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Closes the workspace and opens it again, as leaving EventLab and starting it would.
    ///
    /// - Throws: when it cannot be reopened; the session is closed then, and only ``close()``
    ///   may follow.
    public func restart() throws {
        try opened?.workspace.close()
        opened = nil
        opened = try open()
    }

    /// Closes the workspace and removes its directory, if it had one.
    public func close() {
        try? opened?.workspace.close()
        opened = nil
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The broker the commands act on.
    public var broker: Broker { shell.broker }

    /// The logical clock, when the session runs on one.
    public var logicalClock: LogicalClock? { shell.logicalClock }

    private func open() throws -> (workspace: any TranscriptWorkspace, shell: Shell) {
        let workspace = try opener(settings, directory)
        let shell = Shell(broker: workspace.broker, logicalClock: workspace.logicalClock, output: output, width: settings.width)
        shell.flowStore = workspace.flowStore
        shell.restoreFlows()
        // `help` names the session; in memory that is what `eventlab --memory` recorded.
        if directory == nil { shell.sessionSummary = SessionSummary.text(directory: nil, logicalClock: workspace.logicalClock != nil) }
        return (workspace, shell)
    }

    private static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "eventlab-transcript-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
