import EventLabCore

/// One word of a goal form: a fixed word, or a slot the teacher fills in.
public enum GoalPatternWord: Sendable, ExpressibleByStringLiteral {
    /// A word the goal must have as it is (in any case), such as `partitions`.
    case word(String)
    /// A word the teacher fills in, read by the slot.
    case slot(GoalSlot)

    /// A fixed word.
    public init(stringLiteral word: String) { self = .word(word) }

    /// The comparison slot, `OP`.
    public static let op = slot(.comparison)
    /// The `==`/`!=` slot, `OP`.
    public static let equality = slot(.equality)
    /// The number slot, `N`.
    public static let number = slot(.number)
    /// The partition slot, `P` (written `p0`).
    public static let partition = slot(.partition)

    /// How the word shows in a form: itself, or the slot's placeholder.
    var shown: String {
        switch self {
        case .word(let word): word
        case .slot(let slot): slot.placeholder
        }
    }

    /// What the word is, said where it is missing.
    var expected: String {
        switch self {
        case .word(let word): word
        case .slot(let slot): slot.expects
        }
    }
}

/// What a subject's goal can say after the subject's name, such as `partitions OP N` for
/// `topic NAME partitions OP N`, and how it is checked against the broker.
public struct GoalForm: Sendable {
    /// The words after the subject's name.
    public let words: [GoalPatternWord]
    /// What the goal means, for GOALS.md and `help`.
    public let meaning: String
    /// A goal of this form, as a lesson would write it.
    public let example: String
    /// The words after the subject's name as GOALS.md shows them: `partitions OP N`.
    public var pattern: String { words.map(\.shown).joined(separator: " ") }
    /// Checks the words together once each has been read (a config value against its config);
    /// may rewrite them to the spelling the check compares.
    let prepare: @Sendable (inout GoalArguments) throws(GoalWordProblem) -> Void
    /// Checks the goal against the broker's and the flows' state now.
    let evaluate: @Sendable (GoalArguments, GoalWorld) -> GoalResult

    /// A form of `words`, meaning `meaning`, such as `example`, checked by `evaluate`.
    public init(
        _ words: [GoalPatternWord], meaning: String, example: String,
        prepare: @escaping @Sendable (inout GoalArguments) throws(GoalWordProblem) -> Void = { _ throws(GoalWordProblem) in },
        evaluate: @escaping @Sendable (GoalArguments, Broker) -> GoalResult
    ) {
        self.init(flows: words, meaning: meaning, example: example, prepare: prepare) { goal, world in evaluate(goal, world.broker) }
    }

    /// A form of `words` about what a learner built on the broker, checked by `evaluate` against
    /// the broker and the flows.
    public init(
        flows words: [GoalPatternWord], meaning: String, example: String,
        prepare: @escaping @Sendable (inout GoalArguments) throws(GoalWordProblem) -> Void = { _ throws(GoalWordProblem) in },
        evaluate: @escaping @Sendable (GoalArguments, GoalWorld) -> GoalResult
    ) {
        self.words = words
        self.meaning = meaning
        self.example = example
        self.prepare = prepare
        self.evaluate = evaluate
    }
}

/// The words a goal filled its form's slots with, by placeholder, read and checked.
public struct GoalArguments: Sendable {
    /// The value of each placeholder, `NAME` the subject's name.
    var values: [String: String]

    /// The value given for `placeholder`.
    public subscript(_ placeholder: String) -> String {
        get { values[placeholder]! }
        set { values[placeholder] = newValue }
    }

    /// The subject's name: the topic, group, service, table, aggregate, command, projection or broker the goal is about.
    public var name: String { self["NAME"] }
    /// The number given for `N`.
    public var number: Int64 { Int64(self["N"])! }
    /// The operator given for `OP`.
    public var comparison: GoalComparison { GoalComparison(rawValue: self["OP"])! }
    /// The partition index given for `P`.
    public var partition: Int32 { Int32(self["P"])! }
}
