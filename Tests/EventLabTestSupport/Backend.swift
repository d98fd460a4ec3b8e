import EventLabCore
@testable import EventLabStorage
import Foundation
import Testing

/// Where a test broker keeps its log: the shared behaviour suite runs against both.
public enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case disk

    public var testDescription: String { rawValue }
}

/// A broker on a logical clock, a manual timer and seeded ids, over either backend, that a
/// test can close and reopen as a restarted process would.
public final class TestBroker: @unchecked Sendable {
    public let backend: Backend
    public let clock: LogicalClock
    public let timer: ManualTimer
    /// The broker; after a reopen, the new one.
    public var broker: Broker { current! }
    private var current: Broker?
    /// The workspace directory, for the disk backend.
    public let directory: String?
    private var workspace: Workspace?
    private let config: BrokerConfig

    /// A test broker. With `syncs`, every append is synced before it counts (flush policy
    /// `batch` on disk), and each sync of a partition first calls `syncs` with its topic and
    /// index: it may block, as a slow disk does, and returns true to fail the sync.
    public init(
        _ backend: Backend, timer: ManualTimer = ManualTimer(), config: BrokerConfig = BrokerConfig(), policy: FlushPolicy = .os,
        syncs: (@Sendable (_ topic: String, _ partition: Int) -> Bool)? = nil
    ) throws {
        self.backend = backend
        self.clock = LogicalClock()
        self.timer = timer
        self.config = config
        switch backend {
        case .memory:
            directory = nil
            let storage = syncs.map { MemoryStorage(sync: memorySync($0)) } ?? MemoryStorage()
            current = try Broker(storage: storage, clock: clock, timer: timer, ids: SeededIdSource(seed: 1), config: config)
        case .disk:
            let directory = temporaryDirectory("eventlab-workspace")
            self.directory = directory
            if let syncs {
                FileFaults.onSync(under: directory + "/brokers/1/topics") { path in
                    // topics/<topic>/<partition>/<file>: a partition's segment.
                    let parts = path.dropFirst(directory.count + "/brokers/1/topics/".count).split(separator: "/")
                    guard parts.count == 3, let partition = Int(parts[1]) else { return false }
                    return syncs(String(parts[0]), partition)
                }
            }
            let workspace = try Workspace(directory: directory, policy: syncs == nil ? policy : .batch)
            self.workspace = workspace
            current = try Broker(storage: workspace.makeStorage(), clock: clock, timer: timer, ids: SeededIdSource(seed: 1), config: config)
        }
    }

    /// Opens the workspace again, as a new process would: after a clean close, or as if the
    /// last one was killed (`clean: false`). The old broker is let go first, with the lock its
    /// storage holds, so a test must not keep it. The memory backend keeps its broker.
    public func reopen(clean: Bool) throws {
        guard let directory else { return }
        if clean { try broker.close() }
        current = nil
        workspace = nil
        let workspace = try Workspace(directory: directory)
        self.workspace = workspace
        current = try Broker(storage: workspace.makeStorage(), clock: clock, timer: timer, ids: SeededIdSource(seed: 1), config: config)
    }

    /// Opens the workspace again as after a crash, and says why topic `topic` could not be
    /// opened (it is offline then), or nil if it opened.
    public func openingError(topic: String = "t") throws -> BrokerError? {
        try reopen(clean: false)
        return broker.unavailableTopics().first { $0.name == topic }?.error
    }

    deinit {
        if let directory {
            FileFaults.clear(directory + "/brokers/1/topics")
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

/// A memory partition's sync that asks `syncs` and fails when it says so, as a disk's would.
private func memorySync(_ syncs: @escaping @Sendable (String, Int) -> Bool) -> @Sendable (TopicName, Int) throws(BrokerError) -> Void {
    @Sendable func sync(topic: TopicName, partition: Int) throws(BrokerError) {
        if syncs(topic.rawValue, partition) {
            throw BrokerError(.kafkaStorageError, "syncing partition \(partition) of '\(topic)' failed: Input/output error")
        }
    }
    return sync
}

/// A broker and its clock over `backend`. The disk backend's workspace lives while the broker does.
public func makeBroker(
    _ backend: Backend = .memory, timer: ManualTimer = ManualTimer(), config: BrokerConfig = BrokerConfig()
) -> (Broker, LogicalClock) {
    let test = try! TestBroker(backend, timer: timer, config: config)
    keepAlive(test)
    return (test.broker, test.clock)
}

private let alive = NSLock()
nonisolated(unsafe) private var kept: [TestBroker] = []

/// Keeps a test broker's workspace (and its lock) for the rest of the run.
private func keepAlive(_ test: TestBroker) {
    alive.withLock { kept.append(test) }
}
