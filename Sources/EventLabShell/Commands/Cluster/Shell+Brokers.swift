import EventLabCore

/// What a failure command needs a broker to be before it acts on it.
enum BrokerExpectation {
    /// Up (running or paused): it can be stopped or killed.
    case alive
    /// Running: it can be paused.
    case running
    /// Paused: it can be resumed.
    case paused
    /// Stopped, killed or powered off: it can be started.
    case down
}

extension Shell {
    /// Whether the broker is a cluster of more than one: what replication's words are shown for.
    var isCluster: Bool { broker.brokerIds.count > 1 }

    /// Parses `text` as the id of one of the cluster's brokers that is as `expectation` says,
    /// or says which ids there are, or what the broker is now and what would act on it.
    func brokerId(_ text: String, expecting expectation: BrokerExpectation, for command: String) throws -> Int32 {
        let ids = broker.brokerIds
        let list = ClusterEventText.ids(ids)
        guard let id = Int32(text), let description = broker.cluster().brokers.first(where: { $0.id == id }) else {
            throw ShellError("\(command) needs the id of one of the cluster's brokers (\(list)), not '\(text)'\(ids.count == 1 ? "; `broker add` adds one" : "")")
        }
        let condition = description.condition
        let now: String = switch condition {
        case .running: "broker \(id) is running"
        case .paused: "broker \(id) is paused (`broker resume \(id)` lets it fetch again)"
        case .stopped: "broker \(id) is already stopped"
        case .killed: "broker \(id) is down: it was killed"
        case .poweredOff: "broker \(id) is down: it lost power"
        }
        switch expectation {
        case .alive where !condition.isAlive, .running where !condition.isAlive:
            throw ShellError("\(now); `broker start \(id)` starts it again")
        case .running where condition == .paused:
            throw ShellError("broker \(id) is already paused; `broker resume \(id)` lets it fetch again")
        case .paused where condition != .paused:
            throw ShellError("\(now), not paused; only a paused broker resumes (`broker pause \(id)` pauses it)")
        case .down where condition.isAlive:
            throw ShellError("broker \(id) is already up\(condition == .paused ? ", though paused: `broker resume \(id)` lets it fetch again" : ""); `broker stop \(id)` or `broker kill \(id)` takes it down")
        default:
            return id
        }
    }

    /// One line for each of `events`, remembering what unclean elections lost for the
    /// truncations that follow.
    func say(events: [ClusterEvent]) {
        for event in events {
            if case .leaderElected(let partition, _, _, _, .unclean(let lost)) = event, !lost.isEmpty { uncleanlyLost[partition] = lost }
            say(ClusterEventText.line(event, uncleanlyLost: uncleanlyLost) + belowMinimumInSync(event))
        }
    }

    /// For an ISR that just shrank below its topic's `min.insync.replicas`, what that means to
    /// producers; empty otherwise.
    private func belowMinimumInSync(_ event: ClusterEvent) -> String {
        guard case .isrShrank(let partition, _, let isr, _) = event,
              let minimum = try? broker.describeTopic(partition.topic).config.minInsyncReplicas, isr.count == minimum - 1 else { return "" }
        return "; below min.insync.replicas \(minimum), so acks=all writes are refused (NOT_ENOUGH_REPLICAS) until one rejoins"
    }

    /// Takes a broker down or up with `change`, then says `headline`, what the change did to the
    /// partitions, which groups' coordinators moved and which ports closed or opened.
    func changeBroker(_ headline: String, _ change: () throws -> [ClusterEvent]) throws {
        let coordinators = groupCoordinators()
        let events = try change()
        say(headline)
        say(events: events)
        sayCoordinatorMoves(since: coordinators)
        sayListenerChanges()
    }

    /// Each group's coordinating broker now (nil: none alive), to tell which moved.
    private func groupCoordinators() -> [String: Int32?] {
        Dictionary(uniqueKeysWithValues: broker.groups().map { ($0.groupId, broker.coordinator(forGroup: $0.groupId)) })
    }

    /// A line for each group whose coordinator changed since `before`: its members find the new
    /// one with FindCoordinator, as a Kafka group's do when the leader of its offsets partition moves.
    private func sayCoordinatorMoves(since before: [String: Int32?]) {
        for (group, coordinator) in groupCoordinators().sorted(by: { $0.key < $1.key }) {
            guard let was = before[group], was != coordinator else { continue }
            let partition = "\(OffsetsTopic.name) p\(OffsetsTopic.partition(forGroup: group))"
            let name = TerminalText.escape(group)
            if let coordinator {
                say("group \(name): broker \(coordinator) coordinates it now (\(partition) moved\(was.map { " from broker \($0)" } ?? "")); its members find it with FindCoordinator and go on from their commits")
            } else {
                say("group \(name): no coordinator — every replica of \(partition) is down; its members get COORDINATOR_NOT_AVAILABLE until one starts")
            }
        }
    }

    /// A line for each broker's port the listener opened or closed as the brokers changed:
    /// a stopped broker's clients lose their connection, as they would a real broker's.
    func sayListenerChanges() {
        for change in listener?.changes() ?? [] {
            switch change {
            case .closed(let address, let connections):
                say("stopped listening on \(NetworkCommands.shown(address)): \(connections) connection\(connections == 1 ? "" : "s") closed")
            case .opened(let address, let again):
                say("listening on \(NetworkCommands.shown(address))\(again ? " again" : "")")
            case .unbound(let address, let reason):
                say("cannot listen on \(NetworkCommands.shown(address)): \(reason); `listen stop`, then `listen 0`, serves every broker on free ports")
            }
        }
    }

    /// Lets every running follower fetch until nothing is left, and tells what changed beyond
    /// the copies (followers joining the ISR, writes acknowledged): what `flow auto` does after
    /// each command.
    func settleReplication() {
        for fetch in broker.settleReplication() { say(events: fetch.events) }
    }

    /// `error`, with Kafka's code named before the message when it is a replication error
    /// (`NOT_ENOUGH_REPLICAS: …`): the words a learner meets in a real client's logs.
    func namingReplicationCode(_ error: BrokerError) -> any Error {
        let named: [KafkaErrorCode] = [.invalidReplicationFactor, .notEnoughReplicas, .leaderNotAvailable, .notLeaderOrFollower]
        return named.contains(error.code) ? ShellError("\(error.code.name): \(error.message)") : error
    }
}
