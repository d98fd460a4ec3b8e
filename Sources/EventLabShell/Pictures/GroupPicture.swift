import EventLabCore

/// A consumer group with the columns of `kafka-consumer-groups --describe`, so the skill
/// transfers to a real cluster. Names a network client chose (group, member and client ids,
/// assignor, topics in an assignment) are escaped (`TerminalText`); member ids, which the
/// broker makes up, are marked as varying (`Varying`).
enum GroupPicture {
    static func table(_ group: GroupDescription) -> String {
        let clients = Dictionary(uniqueKeysWithValues: group.members.map { ($0.memberId, $0.clientId) })
        let groupId = TerminalText.escape(group.groupId)
        let rows = group.partitions.map { lag in
            [groupId, TerminalText.escape(lag.topicPartition.topic), String(lag.topicPartition.partition),
             lag.committedOffset.map(String.init) ?? "-", String(lag.logEndOffset), lag.lag.map(String.init) ?? "-",
             lag.memberId.map(shown) ?? "-", lag.memberId == nil ? "-" : "/127.0.0.1",
             lag.memberId.flatMap { clients[$0] }.map(TerminalText.escape) ?? "-"]
        }
        let table = Table.render(
            header: ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"],
            rows: rows)
        if group.partitions.isEmpty {
            return "group \(groupId) has no committed offsets and no assigned partitions"
        }
        return table
    }

    static func picture(_ group: GroupDescription) -> String {
        var lines = ["group \(TerminalText.escape(group.groupId)) · \(group.state.rawValue) · generation \(group.generation)"
            + (group.protocolName.map { " · assignor \(TerminalText.escape($0))" } ?? "")
            + " · \(group.members.count) member\(group.members.count == 1 ? "" : "s") · total lag \(group.totalLag)"]
        for member in group.members {
            let owned = member.assignment.map { "\(TerminalText.escape($0.topic)) p\($0.partition)" }.joined(separator: ", ")
            let leader = member.memberId == group.leaderId ? " (leader)" : ""
            lines.append("member \(shown(member.memberId))\(leader): \(owned.isEmpty ? "no partitions" : owned)")
        }
        if group.members.isEmpty {
            lines.append("no members now: the offsets below are where the group will resume")
        }
        lines.append(table(group))
        return lines.joined(separator: "\n")
    }

    private static func shown(_ memberId: String) -> String {
        Varying.mark(TerminalText.escape(memberId), as: .member)
    }
}
