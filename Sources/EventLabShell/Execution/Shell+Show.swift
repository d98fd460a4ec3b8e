import EventLabCore

extension Shell {
    func show(_ invocation: Invocation) throws {
        let name = invocation.arguments[0]
        if invocation.isBareShow {
            let isTopic = broker.topics().contains { $0.name == name }
            let isGroup = broker.groups().contains { $0.groupId == name }
            if isTopic && isGroup { throw ShellError("'\(name)' is both a topic and a group: say `show topic \(name)` or `show group \(name)`") }
            if isGroup { return try showGroup(name) }
            guard isTopic else {
                let names = broker.topics().map(\.name) + broker.groups().map { TerminalText.escape($0.groupId) }
                throw ShellError("no topic or group is called '\(name)'\(CommandParser.suggestion(name, among: names)); `show` takes topic, group, log, or a topic or group name")
            }
        }
        say(try TopicPicture(broker: broker, width: width, style: style).render(try broker.describeTopic(name)))
    }

    func showGroup(_ name: String) throws {
        say(GroupPicture.picture(try broker.describeGroup(name)))
    }

    func showLog(_ invocation: Invocation) throws {
        let topic = try broker.describeTopic(invocation.arguments[0])
        let index = try invocation.argument(1).map { try number($0, for: "PARTITION") } ?? 0
        guard index < topic.partitions.count else {
            throw ShellError("topic '\(topic.name)' has no partition \(index): its partitions are 0 to \(topic.partitions.count - 1)")
        }
        say(LogPicture.render(topic, partition: topic.partitions[index], now: broker.clock.now()))
        if invocation.argument(1) == nil, topic.partitions.count > 1 {
            let name = TerminalText.escape(topic.name)
            let others = topic.partitions.count == 2 ? "`show log \(name) 1` shows the other" : "`show log \(name) 1` to `show log \(name) \(topic.partitions.count - 1)` show the others"
            say("this is p0 of \(topic.partitions.count) partitions: \(others)")
        }
    }
}
