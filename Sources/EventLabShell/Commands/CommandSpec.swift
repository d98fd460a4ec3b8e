/// What a word in a command stands for: it decides how help shows the word and how Tab completes
/// it — by the ``Completion`` a command group registers under the kind's name, else by the kind's
/// fixed words. A group brings a kind of its own as a static member in an extension.
public struct ValueKind: Hashable, Sendable {
    /// Names the kind; a group's ``Completion`` for it is registered under this name.
    public let name: String
    /// How usage and help show a value, such as `TOPIC`.
    public let placeholder: String
    /// What Tab offers when no group registered a completion for the kind.
    public let words: [String]
    /// First words after which the value goes on for one more word (`offset` in `--from offset 5`).
    public let pairs: Set<String>

    /// A kind called `name`, shown as `placeholder`.
    public init(_ name: String, placeholder: String, words: [String] = [], pairs: Set<String> = []) {
        self.name = name
        self.placeholder = placeholder
        self.words = words
        self.pairs = pairs
    }
}

extension ValueKind {
    /// A whole number.
    static let number = ValueKind("number", placeholder: "N")
    /// A duration such as `8d`, `1h30m`, `500ms`.
    static let duration = ValueKind("duration", placeholder: "DURATION")
    /// A size such as `10MB`, `512KB`, `100` (bytes).
    static let size = ValueKind("size", placeholder: "SIZE")
    /// `name=value`.
    static let keyValue = ValueKind("name=value", placeholder: "NAME=VALUE")
    /// Free text: a key, a value, a command name.
    static let text = ValueKind("text", placeholder: "TEXT")

    /// One of fixed words.
    static func choice(_ words: [String]) -> ValueKind {
        ValueKind("choice", placeholder: words.joined(separator: "|"), words: words)
    }
}

/// A positional argument of a command.
public struct ArgumentSpec: Hashable, Sendable {
    public let name: String
    public let kind: ValueKind
    public let isOptional: Bool
    /// Takes the rest of the words.
    public let isVariadic: Bool

    /// An argument called `name` in usage, of `kind`; `variadic` takes the rest of the words.
    public init(_ name: String, _ kind: ValueKind, optional: Bool = false, variadic: Bool = false) {
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

    /// An option called `name` (with its dashes) taking a `value`, or a flag when that is nil.
    public init(_ name: String, _ value: ValueKind? = nil, repeatable: Bool = false, help: String) {
        self.name = name
        self.value = value
        self.help = help
        self.isRepeatable = repeatable
    }

    var valueName: String { value.map { " " + $0.placeholder } ?? "" }
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
    /// True when what follows the command's words is kept as typed, in ``Invocation/text``,
    /// rather than read as options: a service's rule holds expressions and its own `--header`.
    public let takesText: Bool

    /// A command typed as the words of `path`.
    public init(
        path: [String], arguments: [ArgumentSpec], options: [OptionSpec], summary: String, teaches: String, examples: [String],
        takesText: Bool = false
    ) {
        self.path = path
        self.arguments = arguments
        self.options = options
        self.summary = summary
        self.teaches = teaches
        self.examples = examples
        self.takesText = takesText
    }

    /// The command as typed, such as `topic create`.
    public var name: String { path.joined(separator: " ") }

    /// `publish TOPIC [[key=KEY] VALUE…] [--partition N] …`, or `… [options]` when there are many.
    public var usage: String {
        let optionsPart = options.count > 4 ? ["[options]"] : options.map { "[\($0.name)\($0.valueName)]" }
        return ([name] + arguments.map(\.usage) + optionsPart).joined(separator: " ")
    }

    func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }
}
