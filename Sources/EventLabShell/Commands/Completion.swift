import EventLabCore
import EventLabPatterns

/// How Tab completes the values of one kind: a group registers one for each live kind it brings
/// (topics, groups, files …); a kind with none offers its fixed words.
public struct Completion: Sendable {
    /// The kind's name (``ValueKind/name``).
    public let kind: String
    /// The candidates at the cursor; the completer keeps those that continue what is typed.
    public let values: @Sendable (CompletionContext) -> [String]

    /// Completes `kind` with `values`.
    public init(_ kind: ValueKind, values: @escaping @Sendable (CompletionContext) -> [String]) {
        self.kind = kind.name
        self.values = values
    }
}

/// What a completion may look at.
public struct CompletionContext {
    /// The broker whose names are offered.
    public let broker: Broker
    /// The commands, for completing command words.
    public let registry: CommandRegistry
    /// The topic named among the command's words so far, for kinds within a topic.
    public let topic: String?
    /// The word being completed, as typed so far.
    public let partial: String
    /// The command's arguments typed before it, without its options.
    public let arguments: [String]
    /// The entries of a directory, each a name with `/` after a directory's; nil when unreadable.
    public let listDirectory: (String) -> [String]?
    /// The numbers and slugs of the lessons there are.
    public let lessonNames: () -> [String]
    /// The step numbers of the lesson a word names; none when it names none.
    public let lessonSteps: (String) -> [String]
    /// The services and tables built so far.
    public let flows: () -> Flows
}
