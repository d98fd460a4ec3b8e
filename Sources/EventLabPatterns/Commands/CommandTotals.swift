/// What a command's sends came to since the session began, as `command describe` shows them and
/// lesson goals read them. Not saved: a count of what a learner did, not a definition.
public struct CommandTotals: Sendable, Equatable {
    /// Sends whose events were appended.
    public var accepted = 0
    /// Sends rejected by a branch or an expected version: nothing was written.
    public var rejected = 0
    /// Tries validated again because another write landed in the key's partition first.
    public var revalidated = 0
    /// Sends that gave up after validating again too often: nothing was written.
    public var gaveUp = 0

    public init() {}

    /// Counts a send that came to `report`.
    public mutating func add(_ report: CommandReport) {
        revalidated += report.conflicts.count
        switch report.outcome {
        case .accepted: accepted += 1
        case .rejected: rejected += 1
        }
    }

    /// Counts a send that gave up, refused each try by another writer.
    public mutating func add(_ contention: CommandContention) {
        revalidated += contention.conflicts.count
        gaveUp += 1
    }

    /// `2 accepted, 1 rejected`, with what else happened: `1 validated again`, `1 gave up`.
    public var summary: String {
        var parts = ["\(accepted) accepted", "\(rejected) rejected"]
        if revalidated > 0 { parts.append("\(revalidated) validated again") }
        if gaveUp > 0 { parts.append("\(gaveUp) gave up") }
        return parts.joined(separator: ", ")
    }
}
