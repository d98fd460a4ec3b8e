import EventLabCore

/// The consumer-group APIs, each version answered as a Kafka 2.5 broker answers it: a call about
/// a group this broker does not coordinate gets NOT_COORDINATOR, as Kafka's GroupCoordinator
/// answers it, after the checks Kafka makes first.
extension KafkaAPI {
    /// A join. v0 has no rebalance timeout: the session timeout stands for it, as in Kafka. From
    /// v4 a new dynamic member first gets its id with MEMBER_ID_REQUIRED, and the first rebalance
    /// of an empty group waits the broker's initial delay for more. From v7 the answer names the
    /// group's protocol type, and a failed join's protocol name is null rather than empty.
    func joinGroup(_ request: JoinGroupWireRequest, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        let version = context.version
        if Self.groupIdError(request.groupId) == nil, let error = coordinatorError(request.groupId) {
            var wire = JoinGroupWireResponse()
            wire.errorCode = error.rawValue
            wire.protocolName = version >= 7 ? nil : ""
            wire.memberId = request.memberId
            return reply(.send(context.encoded(wire)))
        }
        let join = JoinGroupRequest(
            groupId: request.groupId, memberId: request.memberId, clientId: context.header.clientId ?? "",
            sessionTimeoutMs: request.sessionTimeoutMs,
            rebalanceTimeoutMs: version == 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
            protocolType: request.protocolType, protocols: request.protocols.map { GroupProtocol(name: $0.name, metadata: $0.metadata) },
            instanceId: request.groupInstanceId, requiresKnownMemberId: version >= 4, initialRebalanceDelayMs: broker.initialRebalanceDelayMs)
        park(reply) { [broker] answer in
            broker.joinGroup(join) { response in
                var wire = JoinGroupWireResponse()
                wire.errorCode = response.error.rawValue
                wire.generationId = response.generationId
                wire.protocolType = response.error == .none ? request.protocolType : nil
                wire.protocolName = version >= 7 && response.protocolName.isEmpty ? nil : response.protocolName
                wire.leader = response.leaderId
                wire.memberId = response.memberId
                wire.members = response.members.map { member in
                    var joined = JoinGroupWireResponse.Member()
                    joined.memberId = member.memberId
                    joined.groupInstanceId = member.instanceId
                    joined.metadata = member.metadata
                    return joined
                }
                answer(context.encoded(wire))
            }
        }
    }

    /// A sync. From v5 the member names the protocol type and assignor it joined with, and, as in
    /// Kafka, a missing one, or one that is not the group's, gets INCONSISTENT_GROUP_PROTOCOL; the
    /// answer names them back.
    func syncGroup(_ request: SyncGroupWireRequest, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        func failed(_ error: KafkaErrorCode) {
            var wire = SyncGroupWireResponse()
            wire.errorCode = error.rawValue
            reply(.send(context.encoded(wire)))
        }
        if let error = Self.groupIdError(request.groupId) { return failed(error) }
        if context.version >= 5 && (request.protocolType == nil || request.protocolName == nil) { return failed(.inconsistentGroupProtocol) }
        if let error = coordinatorError(request.groupId) { return failed(error) }
        let group = broker.coordinatedGroup(request.groupId)
        if let group, group.members.contains(where: { $0.id == request.memberId }), group.generation == request.generationId,
           request.protocolType.map({ $0 != group.protocolType }) ?? false || request.protocolName.map({ $0 != group.protocolName }) ?? false {
            return failed(.inconsistentGroupProtocol)
        }
        var assignments: [String: [UInt8]] = [:]
        for assignment in request.assignments { assignments[assignment.memberId] = assignment.assignment }
        let sync = SyncGroupRequest(
            groupId: request.groupId, generationId: request.generationId, memberId: request.memberId, assignments: assignments,
            instanceId: request.groupInstanceId)
        park(reply) { [broker] answer in
            broker.syncGroup(sync) { response in
                var wire = SyncGroupWireResponse()
                wire.errorCode = response.error.rawValue
                if response.error == .none {
                    wire.protocolType = group?.protocolType
                    wire.protocolName = group?.protocolName
                }
                wire.assignment = response.assignment
                answer(context.encoded(wire))
            }
        }
    }

    func heartbeat(_ request: HeartbeatRequest) -> HeartbeatResponse {
        var response = HeartbeatResponse()
        let error = Self.groupIdError(request.groupId) ?? coordinatorError(request.groupId) ?? broker.heartbeat(
            groupId: request.groupId, memberId: request.memberId, instanceId: request.groupInstanceId, generationId: request.generationId)
        response.errorCode = error.rawValue
        return response
    }

    /// Members leaving: one by member id (v0–2), or a batch (v3+), each by member id or by
    /// `group.instance.id`, with an error per member. Before v3 the one error is the answer's
    /// own, as Kafka folds it.
    func leaveGroup(_ request: LeaveGroupRequest, version: Int16) -> LeaveGroupResponse {
        var response = LeaveGroupResponse()
        if let error = Self.groupIdError(request.groupId) ?? coordinatorError(request.groupId) {
            response.errorCode = error.rawValue
            return response
        }
        let leaving = version >= 3 ? request.members : [LeaveGroupRequest.Member(memberId: request.memberId)]
        let results = leaving.map { member in
            LeaveGroupResponse.Member(
                memberId: member.memberId, groupInstanceId: member.groupInstanceId,
                errorCode: leave(groupId: request.groupId, member).rawValue)
        }
        if version >= 3 {
            response.members = results
        } else {
            response.errorCode = results.first { $0.errorCode != 0 }?.errorCode ?? 0
        }
        return response
    }

    /// One member leaving, as Kafka's coordinator decides it: a member id whose instance id a
    /// newer member holds is fenced; an empty member id with an instance id names that instance's
    /// member.
    private func leave(groupId: String, _ member: LeaveGroupRequest.Member) -> KafkaErrorCode {
        let holder = member.groupInstanceId.flatMap { instance in
            broker.coordinatedGroup(groupId)?.members.first { $0.instanceId == instance }
        }
        if !member.memberId.isEmpty, let holder, holder.id != member.memberId { return .fencedInstanceId }
        return broker.leaveGroup(groupId: groupId, memberId: holder?.id ?? member.memberId)
    }

    /// A commit. Every version's commits are stored in the group: Kafka 2.5 writes v0 commits to
    /// ZooKeeper instead, where only OffsetFetch v0 finds them, but one place for offsets is
    /// what a reader of `group describe` expects. v0 carries no generation or member, so it is a
    /// commit outside any generation, as is any commit with generation -1 and no member id:
    /// accepted while the group has no members. A v1 commit timestamp other than -1 is kept as
    /// the commit's time; v2–4's retention time is read but the broker's offsets retention
    /// applies; a null metadata is stored as "", as Kafka stores it; the leader epoch (v6+) is
    /// not kept. A static member (v7+) whose instance id a newer member holds is fenced. From v1,
    /// only the group's coordinator takes commits; v0 went to ZooKeeper through any broker.
    func offsetCommit(_ request: OffsetCommitRequest, version: Int16) -> OffsetCommitResponse {
        var offsets: [TopicPartition: CommittedOffset] = [:]
        for topic in request.topics {
            for partition in topic.partitions {
                offsets[TopicPartition(topic.name, partition.index)] = CommittedOffset(
                    offset: partition.offset, metadata: partition.metadata ?? "",
                    commitTimestamp: partition.commitTimestamp == -1 ? nil : partition.commitTimestamp)
            }
        }
        let fenced = request.groupInstanceId.flatMap { instance in
            broker.coordinatedGroup(request.groupId)?.members.first { $0.instanceId == instance && $0.id != request.memberId }
        } != nil
        // Kafka refuses a partition it does not know before it asks the coordinator.
        let refusal = (version >= 1 ? coordinatorError(request.groupId) : nil).map { error in
            Dictionary(uniqueKeysWithValues: offsets.keys.map { partition in
                (partition, (try? broker.leadership(partition.topic, partition: partition.partition)) == nil ? .unknownTopicOrPartition : error)
            })
        }
        let errors = refusal ?? (fenced
            ? offsets.mapValues { _ in KafkaErrorCode.fencedInstanceId }
            : broker.commitOffsets(groupId: request.groupId, memberId: request.memberId, generationId: request.generationId, offsets: offsets))
        return OffsetCommitResponse(topics: request.topics.map { topic in
            OffsetCommitResponse.Topic(name: topic.name, partitions: topic.partitions.map { partition in
                OffsetCommitResponse.Partition(index: partition.index, errorCode: (errors[TopicPartition(topic.name, partition.index)] ?? .none).rawValue)
            })
        })
    }

    /// A group's committed offsets, from the group at every version (see ``offsetCommit(_:)``).
    /// A partition with none answers offset -1 and no error, except in v0, which answers
    /// UNKNOWN_TOPIC_OR_PARTITION as Kafka does for an offset ZooKeeper does not hold. Null
    /// topics (v2+) ask for every partition the group committed on. RequireStable (v7) changes
    /// nothing: with no transactions every committed offset is stable. From v1 only the group's
    /// coordinator answers; another broker's NOT_COORDINATOR is per partition in v1, and the
    /// answer's own, without topics, from v2, as Kafka's error response.
    func offsetFetch(_ request: OffsetFetchRequest, version: Int16) -> OffsetFetchResponse {
        if version >= 1, let error = coordinatorError(request.groupId) {
            guard version == 1 else {
                var response = OffsetFetchResponse()
                response.errorCode = error.rawValue
                return response
            }
            return OffsetFetchResponse(topics: (request.topics ?? []).map { topic in
                OffsetFetchResponse.Topic(name: topic.name, partitions: topic.partitions.map {
                    OffsetFetchResponse.Partition(index: $0, offset: -1, metadata: "", errorCode: error.rawValue)
                })
            })
        }
        let committed = broker.committedOffsets(groupId: request.groupId)
        let wanted = request.topics ?? Dictionary(grouping: committed.keys, by: \.topic).sorted { $0.key < $1.key }.map {
            OffsetFetchRequest.Topic(name: $0.key, partitions: $0.value.map(\.partition).sorted())
        }
        return OffsetFetchResponse(topics: wanted.map { topic in
            OffsetFetchResponse.Topic(name: topic.name, partitions: topic.partitions.map { index in
                guard let offset = committed[TopicPartition(topic.name, index)] else {
                    let error = version == 0 ? KafkaErrorCode.unknownTopicOrPartition : .none
                    return OffsetFetchResponse.Partition(index: index, offset: -1, metadata: "", errorCode: error.rawValue)
                }
                return OffsetFetchResponse.Partition(index: index, offset: offset.offset, metadata: offset.metadata ?? "", errorCode: 0)
            })
        })
    }

    /// The groups this broker coordinates.
    func listGroups() -> ListGroupsResponse {
        var response = ListGroupsResponse()
        response.groups = broker.groups().filter { broker.coordinator(forGroup: $0.groupId) == nodeId }.map {
            ListGroupsResponse.Group(groupId: $0.groupId, protocolType: $0.protocolType ?? "")
        }
        return response
    }

    /// Each group asked for; an unknown one is "Dead" with no error, as in Kafka. As in Kafka,
    /// only a Stable group names its assignor and its members' metadata and assignments: during a
    /// rebalance they are not settled, and are empty. Asked for them (v3+), the operations a client
    /// may perform: with no authorizer, all of a group's. A group another broker coordinates is
    /// NOT_COORDINATOR with no state, as Kafka's empty summary.
    func describeGroups(_ request: DescribeGroupsRequest) -> DescribeGroupsResponse {
        var response = DescribeGroupsResponse()
        response.groups = request.groups.map { id in
            var described = DescribeGroupsResponse.Group()
            described.groupId = id
            if let error = coordinatorError(id) {
                described.errorCode = error.rawValue
                return described
            }
            described.state = "Dead"
            if let group = broker.coordinatedGroup(id) {
                let stable = group.state == .stable
                described.state = group.state.rawValue
                described.protocolType = group.protocolType ?? ""
                described.protocolName = stable ? group.protocolName ?? "" : ""
                described.members = group.members.map { member in
                    var entry = DescribeGroupsResponse.Member()
                    entry.memberId = member.id
                    entry.groupInstanceId = member.instanceId
                    entry.clientId = member.clientId
                    entry.clientHost = "/127.0.0.1"
                    if stable {
                        entry.metadata = member.protocols.first { $0.name == group.protocolName }?.metadata ?? []
                        entry.assignment = member.assignment
                    }
                    return entry
                }
            }
            if request.includeAuthorizedOperations { described.authorizedOperations = Self.groupOperations }
            return described
        }
        return response
    }

    /// READ (3), DELETE (6) and DESCRIBE (8): every operation Kafka defines on a group, one bit each.
    static let groupOperations: Int32 = 1 << 3 | 1 << 6 | 1 << 8

    /// NOT_COORDINATOR when this broker does not coordinate group `groupId`: its members and
    /// commits go to the broker FindCoordinator names.
    func coordinatorError(_ groupId: String) -> KafkaErrorCode? {
        broker.coordinator(forGroup: groupId) == nodeId ? nil : .notCoordinator
    }

    /// INVALID_GROUP_ID for an empty group id, which Kafka refuses in every group call but commits
    /// and fetches of offsets.
    private static func groupIdError(_ groupId: String) -> KafkaErrorCode? {
        groupId.isEmpty ? .invalidGroupId : nil
    }

    /// Runs a group call whose answer may come later; stopping cancels its parked reply.
    private func park(
        _ reply: @escaping @Sendable (Reply) -> Void,
        _ call: (@escaping @Sendable (ResponseBody) -> Void) -> ReplyTicket
    ) {
        guard let key = parked.reserve() else { return }
        let ticket = call { [parked] body in parked.deliver(key) { reply(.send(body)) } }
        parked.attach(key) { [broker] in broker.cancelReply(ticket) }
    }
}
