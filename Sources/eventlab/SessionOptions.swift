import ArgumentParser
import EventLabCore
import EventLabShell
import EventLabStorage
import Foundation

/// Where the broker keeps its data and which clock it runs on: the options every mode shares.
struct SessionOptions: ParsableArguments {
    @Option(help: "The workspace directory: a new or empty one, or a workspace (default: $XDG_DATA_HOME/eventlab, else ~/.local/share/eventlab).")
    var data: String?

    @Flag(help: "Keep nothing on disk.")
    var memory = false

    @Option(help: ArgumentHelp(
        "How many brokers a new workspace (or --memory) starts with, ids 1 to N (default 1).",
        discussion: "Each broker keeps its own copy of the partitions it hosts, and topics copy each partition to min(3, N) of them unless told otherwise. A workspace keeps its brokers: `broker add` adds one later.",
        valueName: "N"))
    var brokers: Int?

    @Option(help: "logical: starts at 2024-01-01T00:00:00Z and moves only on `clock advance`; system: real time.")
    var clock: ClockKind = .system

    @Option(help: ArgumentHelp(
        "When records written to the workspace are forced to the disk (fsync).",
        discussion: """
            os (the default, as Kafka): each batch is written before it is acknowledged and the \
            operating system syncs it later, so a killed process loses nothing and a power cut may \
            lose the last seconds. batch: each batch is synced before it is acknowledged, so nothing \
            acknowledged is lost even in a power cut, at one fsync per batch. interval:MS: a sync at \
            most every MS milliseconds, trading a window of MS for fewer syncs.
            """,
        valueName: "os|batch|interval:MS"))
    var flush: FlushPolicy?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "A broker config by Kafka's name, fixed for the session (repeatable).",
        discussion: "Known: \(BrokerConfig.names.joined(separator: ", ")). E.g. --set log.retention.check.interval.ms=200 checks retention every 200 ms of broker-clock time; log.cleaner.backoff.ms=200 runs the log cleaner that often.",
        valueName: "NAME=VALUE"))
    var settings: [String] = []

    enum ClockKind: String, ExpressibleByArgument {
        case logical, system
    }

    func validate() throws {
        if memory && data != nil { throw ValidationError("give --memory or --data, not both") }
        if memory && flush != nil { throw ValidationError("--flush says when a workspace on disk is synced; --memory keeps nothing on disk, so drop one") }
        if let brokers, !TranscriptSettings.brokerCounts.contains(brokers) {
            throw ValidationError("--brokers takes \(TranscriptSettings.brokerCounts.lowerBound) to \(TranscriptSettings.brokerCounts.upperBound) brokers, not \(brokers)")
        }
        try validateSettings()
        if data == "" { throw ValidationError("--data needs a directory, and the path given is empty: e.g. --data ./eventlab-data") }
    }

    /// Opens the workspace (or memory) and a broker on it, as a transcript's session opens one:
    /// the logical clock from 2024-01-01 (or where the workspace saved it), seeded member ids on
    /// it, the `--set` configs.
    func open() throws -> Session {
        let settings = TranscriptSettings(
            clock: clock == .logical ? .logical(startMs: LogicalClock.start) : .system, brokers: brokers ?? 1, brokerSettings: self.settings)
        if memory { return try Session.inMemory(settings) }
        guard let directory = data ?? Workspace.defaultDirectory(environment: ProcessInfo.processInfo.environment) else {
            throw ShellError("no workspace directory: HOME is not set; give --data DIR or --memory")
        }
        let workspace = try Workspace(directory: directory, policy: flush ?? .os)
        let saved = clock == .logical ? try workspace.savedClockTime() : nil
        let (broker, logicalClock) = try settings.makeBroker(cluster: workspace.makeCluster(newBrokers: settings.brokers), logicalTime: saved)
        if let brokers, broker.brokerIds.count != brokers {
            try broker.close()
            throw ShellError(Self.otherBrokers(broker.brokerIds, asked: brokers, in: directory))
        }
        for (_, error) in broker.unavailableTopics() {
            FileHandle.standardError.write(Data("warning: \(error.message)\n".utf8))
        }
        return Session(broker: broker, logicalClock: logicalClock, workspace: workspace)
    }

    /// Why `--brokers` cannot apply to a workspace that has its own brokers, and what would.
    static func otherBrokers(_ ids: [Int32], asked: Int, in directory: String) -> String {
        let has = "the workspace \(directory) has \(ids.count) broker\(ids.count == 1 ? "" : "s") (\(ids.map(String.init).joined(separator: ", ")))"
        let drop = "--brokers sets how many a new workspace starts with; drop it to open this one as it is"
        guard asked > ids.count else { return "\(has), and brokers are never removed: \(drop)" }
        return "\(has), not \(asked): \(drop); `broker add` then adds one broker at a time (\(asked - ids.count) to reach \(asked))"
    }

    /// Checks the broker configs given with `--set`, so a bad one is a usage error before
    /// anything opens.
    private func validateSettings() throws {
        var config = BrokerConfig()
        for setting in settings {
            do throws(BrokerError) {
                try config.set(setting)
            } catch {
                throw ValidationError("--set \(setting): \(error.message)")
            }
        }
    }
}

/// An open broker and the workspace that holds it.
final class Session {
    let broker: Broker
    let logicalClock: LogicalClock?
    let workspace: Workspace?
    /// The services and tables defined: the workspace's, or in memory with `--memory`.
    let flows: WorkspaceFlows

    init(broker: Broker, logicalClock: LogicalClock?, workspace: Workspace?) {
        self.broker = broker
        self.logicalClock = logicalClock
        self.workspace = workspace
        flows = workspace?.flows ?? WorkspaceFlows()
    }

    /// A broker in memory (or a cluster of `settings.brokers`) with `settings`, keeping nothing: what `--memory` opens, and where a
    /// transcript that never restarts runs.
    static func inMemory(_ settings: TranscriptSettings) throws -> Session {
        let (broker, logicalClock) = try settings.makeMemoryBroker()
        return Session(broker: broker, logicalClock: logicalClock, workspace: nil)
    }

    /// Where a shell on this session keeps its flow definitions.
    var flowStore: (any FlowStore)? { flows }

    /// Where the workspace is and which clock runs, as the banner and `help` say it.
    var summary: String {
        SessionSummary.text(directory: workspace?.directory, logicalClock: logicalClock != nil)
    }

    /// Saves the logical clock and closes the log cleanly.
    func close() throws {
        if let logicalClock, let workspace { try workspace.saveClockTime(logicalClock.now()) }
        try broker.close()
    }
}

extension FlushPolicy: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
