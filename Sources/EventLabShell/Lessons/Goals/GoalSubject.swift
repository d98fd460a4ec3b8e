/// What a goal can be about — topics, groups, services, tables, aggregates, commands, projections, the flow, brokers,
/// the cluster — with the forms its goals take. A pattern module adds goals by adding a subject, not by editing a switch.
public protocol GoalSubject {
    /// The goal's first word, such as `topic`.
    static var word: String { get }
    /// What follows the first word: the name of the thing the goal is about; nil for a subject
    /// there is one of (the flow), whose forms follow the first word.
    static var name: GoalSlot? { get }
    /// The forms of the words after the name, in the order GOALS.md lists them.
    static var forms: [GoalForm] { get }
}

/// The subjects goals can be about, looked up by their first word.
public struct GoalVocabulary: Sendable {
    /// Each subject's word, name slot and forms, in the order given.
    public let subjects: [(word: String, name: GoalSlot?, forms: [GoalForm])]

    /// The vocabulary of `subjects`.
    public init(subjects: [any GoalSubject.Type]) {
        self.subjects = subjects.map { ($0.word, $0.name, $0.forms) }
    }

    /// EventLab's goal subjects.
    public static var standardSubjects: [any GoalSubject.Type] { [TopicGoals.self, GroupGoals.self, ServiceGoals.self, TableGoals.self, AggregateGoals.self, CommandGoals.self, ProjectionGoals.self, FlowGoals.self, BrokerGoals.self, ClusterGoals.self] }

    /// EventLab's goals.
    public static let standard = GoalVocabulary(subjects: standardSubjects)

    /// The first words a goal may start with.
    public var words: [String] { subjects.map(\.word) }

    /// The subject whose first word is `word`.
    func subject(_ word: String) -> (word: String, name: GoalSlot?, forms: [GoalForm])? {
        subjects.first { $0.word == word.lowercased() }
    }
}
