import EventLabShell
import EventLabStorage

/// The shell keeps its flow definitions in the workspace's `flows` file, or in memory: the
/// shell cannot see storage, so the program that joins them says the one is the other.
extension WorkspaceFlows: FlowStore {}
