/// Where an armed crash stops a service on its next record: just before or just after it
/// commits that record's offset. A drill: what the crash costs depends on the service's
/// ``CommitMode``, which decides whether the record is handled before or after the commit.
public enum CrashPoint: String, Sendable, CaseIterable {
    /// Just before the offset is committed.
    case beforeCommit = "before-commit"
    /// Just after the offset is committed.
    case afterCommit = "after-commit"

    /// What a crash does to the record it hits.
    public enum Effect: Sendable, Equatable {
        /// The record was handled but not committed: started again, the service handles it
        /// again, and its emissions appear twice (at-least-once).
        case duplicate
        /// The record was committed but not handled: started again, the service reads on after
        /// it, and its emissions never appear (at-most-once).
        case loss
        /// Handling and committing were both done, or neither: the record is handled once.
        case none
    }

    /// What this crash costs a service committing per `commit`: with `.after` the record is
    /// handled before the commit, with `.before` after it.
    public func effect(under commit: CommitMode) -> Effect {
        switch (commit, self) {
        case (.after, .beforeCommit): .duplicate
        case (.before, .afterCommit): .loss
        case (.after, .afterCommit), (.before, .beforeCommit): .none
        }
    }

    /// `before committing its offset`.
    public var phrase: String { self == .beforeCommit ? "before committing its offset" : "after committing its offset" }

    /// What the crash did to the record and what starting again does, for a service committing
    /// per `commit`, remembering the ids `dedupe` reads when it has one (an idempotent consumer).
    public func consequence(under commit: CommitMode, dedupe: Expression? = nil) -> String {
        switch (commit, self) {
        case (.after, .beforeCommit):
            if let dedupe {
                "its emissions were produced and its \(dedupe) remembered, but its offset was not committed, so started again it reads the record again and its dedupe skips it: nothing twice (commit after with dedupe is an idempotent consumer)"
            } else {
                "its emissions were produced but its offset was not committed, so started again it handles the record again: a duplicate (commit after is at-least-once)"
            }
        case (.before, .afterCommit):
            "its offset was committed before it was handled, so started again it reads on after the record: a loss (commit before is at-most-once)"
        case (.after, .afterCommit):
            "it was handled and committed, so started again it reads on after it: nothing lost, nothing twice"
        case (.before, .beforeCommit):
            "it was neither committed nor handled, so started again it handles the record once: nothing lost, nothing twice"
        }
    }
}
