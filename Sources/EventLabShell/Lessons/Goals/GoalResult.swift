/// Whether a goal holds on the broker now, and the state it found, in a sentence a learner reads.
public struct GoalResult: Hashable, Sendable {
    /// True when the goal holds.
    public let met: Bool
    /// What the broker holds, and when unmet what the goal wants, such as
    /// `group billing has lag 4; the goal is 0`.
    public let sentence: String

    /// A result with `met` and `sentence`.
    public init(met: Bool, _ sentence: String) {
        self.met = met
        self.sentence = sentence
    }
}
