/// Where a workspace keeps its flow definitions: the services and tables a learner defined, as
/// the commands that define them, one per line, so that they are back after a restart.
///
/// The text is the shell's to write and read; a store only keeps it, all or nothing, so a crash
/// while saving leaves the previous definitions whole.
public protocol FlowStore: AnyObject, Sendable {
    /// The definitions saved last, or nil when none were ever saved.
    func load() throws -> String?
    /// Replaces the saved definitions with `text`; when it throws, the previous text is kept.
    func save(_ text: String) throws
}
