import EventLabCore
import EventLabStorage
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

    public init(_ backend: Backend, timer: ManualTimer = ManualTimer(), config: BrokerConfig = BrokerConfig(), policy: FlushPolicy = .os) throws {
        self.backend = backend
        self.clock = LogicalClock()
        self.timer = timer
        self.config = config
        switch backend {
        case .memory:
            directory = nil
            current = try Broker(clock: clock, timer: timer, ids: SeededIdSource(seed: 1), config: config)
        case .disk:
            let directory = temporaryDirectory("eventlab-workspace")
            self.directory = directory
            let workspace = try Workspace(directory: directory, policy: policy)
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
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
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
