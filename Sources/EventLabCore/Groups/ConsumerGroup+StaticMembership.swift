extension ConsumerGroup {
    /// A static member (KIP-345) coming back under a new member id: the process with this
    /// `group.instance.id` restarted. It takes the old member's place — its assignment and, if
    /// it led, the leadership — and the old id is fenced. A stable group whose protocol still
    /// fits answers at once with the current generation, so the other members never notice;
    /// otherwise the group rebalances as for any join.
    mutating func replaceStaticMember(
        at position: Int, with request: JoinGroupRequest, memberId: String, ticket: ReplyTicket, now: Int64
    ) -> [GroupReply] {
        let old = members[position]
        if let refused = refusal(of: request, memberId: old.id) { return [.join(ticket, .failed(refused))] }
        var replies: [GroupReply] = []
        if let parked = old.pendingJoin { replies.append(.join(parked, .failed(.fencedInstanceId, memberId: old.id))) }
        if let parked = old.pendingSync {
            replies.append(.sync(parked, SyncGroupResponse(error: .fencedInstanceId, assignment: [])))
        }
        let previousLeader = leaderId
        members[position].id = memberId
        members[position].clientId = request.clientId
        members[position].pendingJoin = nil
        members[position].pendingSync = nil
        if leaderId == old.id { leaderId = memberId }
        guard state == .stable, let protocolName, request.protocols.contains(where: { $0.name == protocolName }) else {
            return replies + join(request, memberId: memberId, ticket: ticket, now: now)
        }
        members[position].protocols = request.protocols
        members[position].sessionTimeoutMs = request.sessionTimeoutMs
        members[position].rebalanceTimeoutMs = request.rebalanceTimeoutMs
        members[position].lastSeen = now
        // The old leader's id, as Kafka answers: a rejoining leader must not assign again,
        // because a stable group would not pass a new assignment on.
        let response = JoinGroupResponse(
            error: .none, generationId: generation, protocolName: protocolName, leaderId: previousLeader ?? memberId,
            memberId: memberId, members: [])
        return replies + [.join(ticket, response)]
    }
}
