import EventLabCore

/// The cluster's brokers: adding one, and failing them as machines fail — a clean shutdown, a
/// crash, a power loss, a stall — and starting them again.
enum BrokerCommands: CommandGroup {
    static let commands: [any ShellCommand.Type] = [
        BrokerAdd.self, BrokerStop.self, BrokerKill.self, BrokerStart.self, BrokerPause.self, BrokerResume.self,
    ]
    static let completions = [Completion(.brokerId) { $0.broker.brokerIds.map(String.init) }]
    static let notes = [
        "broker": "A controller elects each partition's leader from its in-sync replicas and tells the brokers. In Kafka 2.5, the version the seed system runs, the controller was one of the brokers, chosen through ZooKeeper (the first to create its /controller node); since Kafka 4 a quorum of KRaft controllers does it, with no ZooKeeper. Here the lowest live broker id is the controller, and a stopped or killed broker is noticed at once: its session with the controller ends.",
    ]
}

extension ValueKind {
    /// A broker of the cluster, by its `broker.id`.
    static let brokerId = ValueKind("broker id", placeholder: "N")
}

/// `broker add`.
struct BrokerAdd: ShellCommand {
    static let spec = CommandSpec(
        path: ["broker", "add"], arguments: [], options: [],
        summary: "Add a broker to the cluster, with the next broker.id.",
        teaches: "A new broker joins empty: Kafka never moves existing partitions by itself. Topics created from now on spread their replicas over it too (the default replication factor, min(3, live brokers), may grow with it); existing partitions stay where they are until they are reassigned.",
        examples: ["broker add"])

    init(_ words: Invocation) {}

    func run(in shell: Shell) throws {
        let id = try shell.broker.addBroker()
        let count = shell.broker.brokerIds.count
        shell.say("added broker \(id): the cluster has \(count) brokers (\(ClusterEventText.ids(shell.broker.brokerIds))); it hosts no partition yet, and topics created from now on place replicas on it too")
        shell.sayListenerChanges()
    }
}

/// `broker stop N`.
struct BrokerStop: ShellCommand {
    static let spec = CommandSpec(
        path: ["broker", "stop"], arguments: [ArgumentSpec("N", .brokerId)], options: [],
        summary: "Shut a broker down cleanly: its leadership moves to in-sync replicas first.",
        teaches: "A controlled shutdown (controlled.shutdown.enable, on by default) asks the controller to move every partition the broker leads to another in-sync replica before it stops, so producers and consumers move on at once and nothing acknowledged is lost. It then leaves every ISR; partitions it held are under-replicated until it starts again.",
        examples: ["broker stop 2", "broker stop 1; topic describe orders"])

    let id: String

    init(_ words: Invocation) { id = words.arguments[0] }

    func run(in shell: Shell) throws {
        let id = try shell.brokerId(self.id, expecting: .alive, for: "broker stop")
        let led = shell.broker.cluster().brokers.first { $0.id == id }?.leads ?? 0
        let handover = led == 0 ? "it led no partition, so it simply left the ISRs" : "it handed its leadership over first, then left the ISRs"
        try shell.changeBroker("broker \(id) stopped cleanly: \(handover); `broker start \(id)` brings it back") {
            try shell.broker.stopBroker(id)
        }
    }
}

/// `broker kill N [--power]`.
struct BrokerKill: ShellCommand {
    static let spec = CommandSpec(
        path: ["broker", "kill"], arguments: [ArgumentSpec("N", .brokerId)],
        options: [OptionSpec("--power", help: "the machine loses power: what the broker had not flushed to disk is gone")],
        summary: "Crash a broker (or cut its power with --power); the controller notices at once.",
        teaches: "A crashed process loses what it held in memory, but what it wrote is still in the operating system's page cache and survives. A power loss takes the page cache too: Kafka does not fsync each write (flush policy os, the default), so a broker that loses power loses its last writes. Kafka trusts replication instead: a record acknowledged with acks=all is on every in-sync replica, and survives as long as one of them does. The controller notices a dead broker when its session ends, and elects a new leader from the in-sync replicas for each partition it led.",
        examples: ["broker kill 3", "broker kill 2 --power"])

    let id: String
    let power: Bool

    init(_ words: Invocation) {
        id = words.arguments[0]
        power = words.has("--power")
    }

    func run(in shell: Shell) throws {
        let id = try shell.brokerId(self.id, expecting: .alive, for: "broker kill")
        let headline = power
            ? "broker \(id) lost power: what it had not flushed to disk is gone from its copies; `broker start \(id)` brings it back"
            : "broker \(id) crashed: what it wrote is still in the page cache, so its copies keep it; `broker start \(id)` brings it back"
        try shell.changeBroker(headline) { try shell.broker.killBroker(id, powerLoss: power) }
    }
}

/// `broker start N`.
struct BrokerStart: ShellCommand {
    static let spec = CommandSpec(
        path: ["broker", "start"], arguments: [ArgumentSpec("N", .brokerId)], options: [],
        summary: "Start a stopped, crashed or powered-off broker again.",
        teaches: "A returning broker is a follower of every partition it holds. Using leader epochs (KIP-101), each replica first cuts its log back to where it agrees with the current leader — records it has that the leader never had were never acknowledged with acks=all, and disappear — then fetches what it missed and joins the ISR again once caught up. A partition that was offline gets its leader back when a replica of its last ISR returns.",
        examples: ["broker start 3"])

    let id: String

    init(_ words: Invocation) { id = words.arguments[0] }

    func run(in shell: Shell) throws {
        let id = try shell.brokerId(self.id, expecting: .down, for: "broker start")
        try shell.changeBroker("broker \(id) started: its replicas follow their leaders, catch up and join the ISRs again") {
            try shell.broker.startBroker(id)
        }
    }
}

/// `broker pause N`.
struct BrokerPause: ShellCommand {
    static let spec = CommandSpec(
        path: ["broker", "pause"], arguments: [ArgumentSpec("N", .brokerId)], options: [],
        summary: "Stall a broker's replica fetchers: it stays up but falls behind.",
        teaches: "A follower that is alive but slow (a long GC pause, a slow disk) keeps its session, so the controller sees nothing wrong. Its leader drops it from the ISR once it has not caught up for replica.lag.time.max.ms (30s since Kafka 2.5, KIP-537), and until then acks=all writes wait for it. On the logical clock, `clock advance` shows the ISR shrink.",
        examples: ["broker pause 3; publish orders hello", "broker pause 3; clock advance 30s"])

    let id: String

    init(_ words: Invocation) { id = words.arguments[0] }

    func run(in shell: Shell) throws {
        let id = try shell.brokerId(self.id, expecting: .running, for: "broker pause")
        try shell.broker.pauseBroker(id)
        let lag = TimeText.formatDuration(shell.broker.config.replicaLagTimeMaxMs)
        shell.say("broker \(id) paused: its replica fetchers stand still, but its session lives, so it stays in the ISRs until it has been behind for more than replica.lag.time.max.ms \(lag); acks=all writes wait for it meanwhile; `broker resume \(id)` lets it fetch again")
    }
}

/// `broker resume N`.
struct BrokerResume: ShellCommand {
    static let spec = CommandSpec(
        path: ["broker", "resume"], arguments: [ArgumentSpec("N", .brokerId)], options: [],
        summary: "Let a paused broker's replica fetchers run again.",
        teaches: "A follower that catches up with its leader's log end rejoins the ISR; writes that waited for it are acknowledged once it has them.",
        examples: ["broker resume 3"])

    let id: String

    init(_ words: Invocation) { id = words.arguments[0] }

    func run(in shell: Shell) throws {
        let id = try shell.brokerId(self.id, expecting: .paused, for: "broker resume")
        let events = try shell.broker.resumeBroker(id)
        shell.say("broker \(id) resumed: its replica fetchers run again")
        shell.say(events: events)
    }
}
