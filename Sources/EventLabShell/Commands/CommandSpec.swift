/// What a word in a command stands for: it decides how the word is checked, completed and
/// described in help.
public enum ValueKind: Hashable, Sendable {
    /// An existing topic.
    case topic
    /// A name for a new topic.
    case newTopic
    /// An existing or new consumer group.
    case group
    /// A whole number.
    case number
    /// A partition index of the topic named earlier.
    case partition
    /// A duration such as `8d`, `1h30m`, `500ms`.
    case duration
    /// A size such as `10MB`, `512KB`, `100` (bytes).
    case size
    /// Retention: a duration, a size, `1000records`, or `forever`.
    case retention
    /// One of fixed words.
    case choice([String])
    /// Where to start reading: `beginning`, `end`, `offset N`, `time T`, or `-N`.
    case startPosition
    /// Where to move a group: `earliest`, `latest`, `offset N`, `time T`, `shift N`.
    case resetTarget
    /// A file path.
    case file
    /// `name=value`.
    case keyValue
    /// Free text: a key, a value, a command name.
    case text
}

/// A positional argument of a command.
public struct ArgumentSpec: Hashable, Sendable {
    public let name: String
    public let kind: ValueKind
    public let isOptional: Bool
    /// Takes the rest of the words.
    public let isVariadic: Bool

    init(_ name: String, _ kind: ValueKind, optional: Bool = false, variadic: Bool = false) {
        self.name = name
        self.kind = kind
        self.isOptional = optional
        self.isVariadic = variadic
    }

    var usage: String {
        let shown = isVariadic ? "\(name)…" : name
        return isOptional ? "[\(shown)]" : shown
    }
}

/// An option of a command: a flag (no value) or `--name VALUE`.
public struct OptionSpec: Hashable, Sendable {
    /// With the leading dashes, such as `--partitions`.
    public let name: String
    /// Nil for a flag.
    public let value: ValueKind?
    public let help: String
    public let isRepeatable: Bool

    init(_ name: String, _ value: ValueKind? = nil, repeatable: Bool = false, help: String) {
        self.name = name
        self.value = value
        self.help = help
        self.isRepeatable = repeatable
    }

    var valueName: String {
        switch value {
        case nil: ""
        case .number, .partition: " N"
        case .duration: " DURATION"
        case .size: " SIZE"
        case .retention: " RETENTION"
        case .choice(let words): " " + words.joined(separator: "|")
        case .startPosition: " beginning|end|offset N|time T|-N"
        case .resetTarget: " earliest|latest|offset N|time T|shift N"
        case .group: " GROUP"
        case .topic, .newTopic: " TOPIC"
        case .file: " FILE"
        case .keyValue: " NAME=VALUE"
        case .text: " TEXT"
        }
    }
}

/// One command of the language: its words, arguments, options and help.
public struct CommandSpec: Hashable, Sendable {
    /// The command's words, such as `["topic", "create"]`.
    public let path: [String]
    public let arguments: [ArgumentSpec]
    public let options: [OptionSpec]
    /// One line: what it does.
    public let summary: String
    /// What it teaches about Kafka.
    public let teaches: String
    /// Example lines.
    public let examples: [String]

    /// The command as typed, such as `topic create`.
    public var name: String { path.joined(separator: " ") }

    /// `publish TOPIC [[key=KEY] VALUE…] [--partition N] …`, or `… [options]` when there are many.
    public var usage: String {
        let optionsPart = options.count > 4 ? ["[options]"] : options.map { "[\($0.name)\($0.valueName)]" }
        return ([name] + arguments.map(\.usage) + optionsPart).joined(separator: " ")
    }

    func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }
}
