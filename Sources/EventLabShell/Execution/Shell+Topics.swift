import EventLabCore

extension Shell {
    /// Throws the broker's error, which names the topics there are, unless `topic` exists.
    func requireTopic(_ topic: String) throws {
        _ = try broker.describeTopic(topic)
    }

    /// Parses `text` as a partition index of `topic`.
    func partition(_ text: String, of topic: TopicDescription) throws -> Int32 {
        let index = try number(text, for: "--partition")
        guard index < topic.partitions.count else {
            throw ShellError("topic '\(topic.name)' has no partition \(index): its partitions are 0 to \(topic.partitions.count - 1)")
        }
        return Int32(index)
    }

    /// Parses a whole number option or argument.
    func number(_ text: String, for name: String, atLeast minimum: Int = 0) throws -> Int {
        guard let value = try NumberText.parse(text, for: name).map(Int.init) else { throw ShellError("\(name) needs a whole number, not '\(text)'") }
        guard value >= minimum else { throw ShellError("\(name) must be at least \(minimum), not \(value)") }
        return value
    }
}

