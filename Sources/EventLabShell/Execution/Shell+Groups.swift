import EventLabCore

extension Shell {
    func listGroups() {
        let groups = broker.groups()
        guard !groups.isEmpty else { return say("no groups yet: `consume TOPIC --group NAME` creates one") }
        let rows = groups.map { group in
            [TerminalText.escape(group.groupId), group.state.rawValue, String(group.members.count), String(group.totalLag)]
        }
        say(Table.render(header: ["GROUP", "STATE", "MEMBERS", "LAG"], rows: rows))
    }

    func describeGroup(_ invocation: Invocation) throws {
        say(GroupPicture.table(try broker.describeGroup(invocation.arguments[0])))
    }

    func resetGroup(_ invocation: Invocation) throws {
        let group = invocation.arguments[0]
        guard let targetText = invocation.value("--to") else {
            throw ShellError("group reset needs --to earliest|latest|offset N|time T|shift N, such as `group reset \(group) --to earliest`")
        }
        let target = try ResetTarget.parse(targetText)
        if let topic = invocation.value("--topic") { _ = try broker.describeTopic(topic) }
        let execute = invocation.has("--execute")
        let plan = try broker.resetOffsets(groupId: group, topic: invocation.value("--topic"), to: target, execute: execute)
        let rows = plan.map { reset in
            [group, reset.topicPartition.topic, String(reset.topicPartition.partition),
             reset.previousOffset.map(String.init) ?? "-", String(reset.newOffset)]
        }
        say(Table.render(header: ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET"], rows: rows))
        say(execute ? "reset done: the group will read from the new offsets" : "dry run: nothing changed; add --execute to apply")
    }
}

/// Where `group reset --to` moves offsets.
enum ResetTarget {
    static func parse(_ text: String) throws -> OffsetResetTarget {
        let words = text.split(separator: " ").map(String.init)
        switch words.first {
        case "earliest", "beginning": return .earliest
        case "latest", "end": return .latest
        case "offset":
            guard words.count == 2, let offset = try NumberText.parse(words[1], for: "--to offset"), offset >= 0 else { throw ShellError("--to offset needs an offset, a whole number of 0 or more, such as --to offset 5") }
            return .offset(offset)
        case "time":
            guard words.count == 2, let time = TimeText.parseTime(words[1]) else { throw ShellError("--to time needs a UTC time such as 2024-01-01T00:00:05Z") }
            return .time(time)
        case "shift":
            guard words.count == 2, let shift = try NumberText.parse(words[1], for: "--to shift") else { throw ShellError("--to shift needs a whole number, such as --to shift -2") }
            return .shift(shift)
        default:
            throw ShellError("--to takes earliest, latest, offset N, time T or shift N, not '\(text)'")
        }
    }
}
