import EventLabPatterns

/// What the `create` commands of services, aggregates and projections share: the topics they
/// read (`--from`) and where each event's type is read (`--type-field F | --type-header H`).
enum EventSourceOptions {
    /// `--type-header H` and `--type-field F`, for a command's options.
    static let typeOptions = [
        OptionSpec("--type-header", .text, help: "read each event's type from this header (CloudEvents' ce_type) instead of its type field"),
        OptionSpec("--type-field", .text, help: "read each event's type from this top-level field instead of type"),
    ]

    /// Where each event's type is read: one header or one field, the field `type` when neither is given.
    static func typeSource(_ words: Invocation) throws(ShellError) -> EventTypeSource {
        let typeSource: EventTypeSource
        switch (words.value("--type-header"), words.value("--type-field")) {
        case (.some, .some): throw ShellError("give --type-header or --type-field, not both: an event's type is read from one place")
        case (.some(let header), nil): typeSource = .header(header)
        case (nil, .some(let field)): typeSource = .field(field)
        case (nil, nil): typeSource = .field("type")
        }
        if case .header(let word) = typeSource, word.isEmpty || word.contains(where: \.isWhitespace) {
            throw ShellError("--type-header '\(word)' must be one word, such as ce_type")
        }
        if case .field(let word) = typeSource, word.isEmpty || word.contains(where: \.isWhitespace) {
            throw ShellError("--type-field '\(word)' must be one word, such as kind")
        }
        return typeSource
    }

    /// The topics of `--from TOPIC[,TOPIC…]`, each named once; `reader` (`a service`) says who reads them.
    static func sources(_ from: String, reader: String) throws(ShellError) -> [String] {
        let sources = from.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if sources.contains("") { throw ShellError("--from '\(from)' names an empty topic: join topic names with commas and no spaces, e.g. --from orders,payments") }
        for (index, topic) in sources.enumerated() where sources[..<index].contains(topic) { throw ShellError("--from '\(from)' names \(topic) twice: \(reader) reads each topic once") }
        return sources
    }
}
