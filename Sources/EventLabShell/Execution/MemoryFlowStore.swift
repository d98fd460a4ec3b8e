import Synchronization

/// Flow definitions kept in this process: for a workspace in memory that must still restore
/// its flows in a new shell, as a lesson's verifier does to take a step as a resumed lesson.
final class MemoryFlowStore: FlowStore {
    private let text = Mutex<String?>(nil)

    func load() -> String? { text.withLock { $0 } }

    func save(_ text: String) { self.text.withLock { $0 = text } }
}
