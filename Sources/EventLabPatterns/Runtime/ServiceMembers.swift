import EventLabCore

/// The consumer-group members of the running services, kept from drain to drain: a service that
/// runs stays a member of its group, so a real client that joins the group shares its
/// partitions with the service, as two consumers of one group do in Kafka.
///
/// The one impure piece beside the broker: ``Flows`` and ``FlowRuntime`` are values, and whoever
/// owns the flows owns the members and passes them to each drain.
public final class ServiceMembers {
    /// Kafka's default `group.max.session.timeout.ms`, the longest session the coordinator takes.
    /// A service heartbeats only when it drains: after each command on the logical clock, where
    /// a teacher may pause for minutes between two, so its session is as long as Kafka allows;
    /// a real client waiting for it to rejoin a rebalance waits only until the next drain, which
    /// on the system clock comes as soon as the group changes.
    static let sessionTimeoutMs: Int32 = 1_800_000
    /// How often an owner that waits for events drains even when none comes, so that its
    /// members heartbeat well inside their session and are never expired while idle.
    public static let heartbeatIntervalMs: Int64 = 60_000

    private var members: [String: (member: GroupMember, sources: [String])] = [:]

    /// No members yet.
    public init() {}

    /// The names of the services that are members, in order.
    public var names: [String] { members.keys.sorted() }

    /// The member of `service`'s group on `broker`, polled and heartbeated: the one kept, or a
    /// new one that joins now when there is none, when it left or was refused, or when the
    /// service reads other topics than it joined with (its subscription changed).
    func member(for service: Service, on broker: Broker) -> GroupMember {
        if let kept = members[service.name], kept.member.broker === broker, kept.sources == service.sources {
            switch kept.member.machine.phase {
            case .left, .failed: break
            default:
                kept.member.heartbeat()
                return kept.member
            }
        }
        leave(service.name)
        let member = GroupMember(
            broker: broker,
            configuration: GroupMemberConfiguration(
                groupId: service.name, clientId: service.name, topics: service.sources, sessionTimeoutMs: Self.sessionTimeoutMs))
        member.start()
        members[service.name] = (member, service.sources)
        return member
    }

    /// Heartbeats the member of the service named `name`, if it is one: a member told that its
    /// group rebalances rejoins at once. A command that joins a service's group itself calls it
    /// while it waits, for the service would otherwise rejoin only at the next drain, after it.
    public func heartbeat(_ name: String) {
        members[name]?.member.heartbeat()
    }

    /// Leaves the groups of the services not named in `names`: stopped, poisoned, crashed, deleted
    /// or without rules.
    public func retain(_ names: Set<String>) {
        for name in members.keys.sorted() where !names.contains(name) { leave(name) }
    }

    /// Leaves the group of the service named `name`, if it is a member.
    public func leave(_ name: String) {
        members.removeValue(forKey: name)?.member.leave()
    }

    /// Leaves every group: the shell ends, or moves to another broker.
    public func leaveAll() {
        retain([])
    }
}
