import EventLabCore
import Testing

extension GroupMember {
    /// A member of `group` reading `topics` that has its partitions: its group had nobody else
    /// to wait for, so the join was answered at once.
    public static func joined(
        _ broker: Broker, group: String, topics: [String], clientId: String = "eventlab", assignor: any PartitionAssignor = RangeAssignor(),
        instanceId: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> GroupMember {
        let member = GroupMember(
            broker: broker,
            configuration: GroupMemberConfiguration(groupId: group, clientId: clientId, topics: topics, assignors: [assignor], instanceId: instanceId))
        member.start()
        try #require(member.machine.isStable, "the join of \(group) was not answered at once: \(member.machine.phase)", sourceLocation: sourceLocation)
        return member
    }

    /// Lets `members` of one group run the protocol as clients do between polls — take their
    /// answers, heartbeat, rejoin on a rebalance — until every one has its partitions and the
    /// group is stable.
    public static func settle(_ members: [GroupMember], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for _ in 0..<8 {
            members.forEach { $0.heartbeat() }
            let groupId = members.first?.machine.configuration.groupId ?? ""
            if members.allSatisfy(\.machine.isStable), members.first?.broker.coordinatedGroup(groupId)?.state ?? .stable == .stable { return }
        }
        Issue.record("the members did not settle: \(members.map { "\($0.memberId): \($0.machine.phase)" })", sourceLocation: sourceLocation)
    }
}
