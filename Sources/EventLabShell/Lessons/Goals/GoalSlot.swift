import EventLabCore

/// A word of a goal that the teacher fills in — a name, a number, an operator — with what it
/// accepts, open like ``ValueKind`` so later goal subjects bring their own.
public struct GoalSlot: Sendable {
    /// How the slot shows in a form, such as `N` in `topic NAME partitions OP N`.
    public let placeholder: String
    /// What the slot takes, said where a word is missing: `a whole number, such as 3`.
    public let expects: String
    /// The value a word stands for, in the spelling the goal compares (`Stable` for `stable`).
    let read: @Sendable (String) throws(GoalWordProblem) -> String

    /// A slot shown as `placeholder`, taking what `expects` says, reading a word with `read`.
    public init(_ placeholder: String, expects: String, read: @escaping @Sendable (String) throws(GoalWordProblem) -> String) {
        self.placeholder = placeholder
        self.expects = expects
        self.read = read
    }
}

/// Why a word does not fit where it stands, said to the teacher.
public struct GoalWordProblem: Error, Sendable {
    /// What is wrong with the word and what would be right.
    public let message: String
    /// The placeholder whose word is wrong, when a form checks its words together; nil for the
    /// word being read.
    public let placeholder: String?

    /// A problem saying `message`, with the word of `placeholder` when given.
    public init(_ message: String, at placeholder: String? = nil) {
        self.message = message
        self.placeholder = placeholder
    }
}

extension GoalSlot {
    /// A comparison: `==`, `!=`, `<`, `<=`, `>`, `>=`.
    public static let comparison = GoalSlot("OP", expects: "an operator (\(GoalComparison.spellings.joined(separator: ", ")))") { word throws(GoalWordProblem) in
        guard GoalComparison(rawValue: word) != nil else {
            throw GoalWordProblem("'\(word)' is not an operator: write one of \(GoalComparison.spellings.joined(separator: " "))")
        }
        return word
    }

    /// `==` or `!=`, for what has no order (a state, a config value).
    public static let equality = GoalSlot("OP", expects: "== or !=") { word throws(GoalWordProblem) in
        guard word == "==" || word == "!=" else {
            throw GoalWordProblem("'\(word)' does not compare words: write == or !=")
        }
        return word
    }

    /// A whole number of 0 or more.
    public static let number = GoalSlot("N", expects: "a whole number, such as 3") { word throws(GoalWordProblem) in
        guard let number = Int64(word), number >= 0 else {
            throw GoalWordProblem("'\(word)' is not a whole number of 0 or more, such as 3")
        }
        return String(number)
    }

    /// A partition, written as `show log` and `explain key` print it: `p0`.
    public static let partition = GoalSlot("P", expects: "a partition such as p0") { word throws(GoalWordProblem) in
        guard word.first == "p", let index = Int32(word.dropFirst()), index >= 0 else {
            throw GoalWordProblem("'\(word)' is not a partition: write p and its index, such as p0")
        }
        return String(index)
    }

    /// A topic name, by Kafka's rule.
    public static let topic = GoalSlot("TOPIC", expects: "a topic name, such as orders", read: topicName)

    /// A record key, as `publish … key=KEY` gives it; quotes hold spaces.
    public static let key = GoalSlot("KEY", expects: "a key, such as o-1") { word throws(GoalWordProblem) in word }

    /// The topic name a `topic` goal is about.
    static let topicName = GoalSlot("NAME", expects: "a topic name, such as orders", read: topicName)

    private static func topicName(_ word: String) throws(GoalWordProblem) -> String {
        do throws(BrokerError) {
            return try TopicName(word).rawValue
        } catch {
            throw GoalWordProblem(error.message)
        }
    }
}
