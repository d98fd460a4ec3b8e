/// What `show flow` draws: the topics, the services, tables, aggregates and projections reading
/// and writing them, the commands appending to them, and the calls between services. A plain value a runtime fills in; `FlowPicture` turns it into text.
public struct FlowModel: Hashable, Sendable {
    /// Where a service stands.
    public enum State: Hashable, Sendable {
        /// Reading and emitting.
        case running
        /// Not running, for any reason but a poison record.
        case stopped
        /// Stopped on a record it could not handle and had nowhere to dead-letter.
        case poisoned(topic: String, partition: Int32, offset: Int64)
        /// Holding a record it cannot handle yet, most often because a service it calls is
        /// stopped; it tries the record again after each command.
        case waiting(topic: String, partition: Int32, offset: Int64)
        /// Stopped by a crash drill at this record, until started again.
        case crashed(topic: String, partition: Int32, offset: Int64)
    }

    /// A service: what it reads, what its rules write, and how far it has got.
    public struct Service: Hashable, Sendable {
        /// The service's name.
        public var name: String
        /// The topics it reads.
        public var reads: [String]
        /// The topics its rules emit to.
        public var writes: [String]
        /// Whether it is running, stopped, waiting, or stopped on a poison record.
        public var state: State
        /// The records not yet read, per source topic; a topic missing here has unknown lag.
        public var lag: [String: Int64]
        /// The records read.
        public var processed: Int64
        /// The records emitted.
        public var emitted: Int64
        /// Where poison records go, if anywhere.
        public var deadLetter: String?
        /// The records sent to `deadLetter`.
        public var deadLettered: Int64
        /// The tables its rules and queries look values up in.
        public var lookups: [String]

        /// A service with every field given; counts default to zero and lag to unknown.
        public init(
            name: String, reads: [String], writes: [String], state: State = .running,
            lag: [String: Int64] = [:], processed: Int64 = 0, emitted: Int64 = 0,
            deadLetter: String? = nil, deadLettered: Int64 = 0, lookups: [String] = []
        ) {
            self.name = name
            self.reads = reads
            self.writes = writes
            self.state = state
            self.lag = lag
            self.processed = processed
            self.emitted = emitted
            self.deadLetter = deadLetter
            self.deadLettered = deadLettered
            self.lookups = lookups
        }

        /// The picture of `service`'s definition: its sources, its rules' topics, its dead-letter
        /// topic and the tables its rules and queries look up.
        public init(
            _ service: EventLabPatterns.Service, state: State = .running, lag: [String: Int64] = [:],
            processed: Int64 = 0, emitted: Int64 = 0, deadLettered: Int64 = 0
        ) {
            var writes: [String] = []
            for numbered in service.rules where !writes.contains(numbered.rule.topic.rawValue) {
                writes.append(numbered.rule.topic.rawValue)
            }
            var lookups: Set<String> = []
            for numbered in service.rules {
                let rule = numbered.rule
                for expression in [rule.condition, rule.key].compactMap({ $0 }) + [rule.template] + rule.headers.map(\.value) {
                    lookups.formUnion(expression.tablesLookedUp)
                }
            }
            for query in service.queries { lookups.formUnion(query.answer.tablesLookedUp) }
            self.init(
                name: service.name, reads: service.sources, writes: writes, state: state, lag: lag,
                processed: processed, emitted: emitted, deadLetter: service.deadLetter,
                deadLettered: deadLettered, lookups: lookups.sorted())
        }
    }

    /// A table: the topic it copies and how far behind it is.
    public struct Table: Hashable, Sendable {
        /// The table's name.
        public var name: String
        /// The topic it copies.
        public var topic: String
        /// The topic's records the table has not read yet, or nil when unknown.
        public var behind: Int64?

        /// A table copying `topic`, `behind` records behind it.
        public init(name: String, topic: String, behind: Int64? = nil) {
            self.name = name
            self.topic = topic
            self.behind = behind
        }
    }

    /// Requests one service made to another, and how many of them failed.
    public struct Call: Hashable, Sendable {
        /// The calling service.
        public var from: String
        /// The service called.
        public var to: String
        /// The calls made.
        public var count: Int64
        /// The calls that failed.
        public var failed: Int64

        /// `count` calls from `from` to `to`, `failed` of them failed.

        public init(from: String, to: String, count: Int64, failed: Int64 = 0) {
            self.from = from
            self.to = to
            self.count = count
            self.failed = failed
        }
    }

    /// Every topic, including those nothing reads or writes.
    public var topics: [String]
    /// The services, in any order.
    public var services: [Service]
    /// The tables, in any order.
    public var tables: [Table]
    /// The calls between services, one per caller and callee.
    public var calls: [Call]
    /// The aggregates, in any order.
    public var aggregates: [Aggregate]
    /// The commands, in any order.
    public var commands: [Command]
    /// The projections, in any order.
    public var projections: [Projection]
    /// The upcasters in force, in number order, each as `1 on Credited`: every service,
    /// aggregate and projection reads its events through them.
    public var upcasters: [String] = []

    /// A model of the given parts; all empty draws the hint to create a service.
    public init(
        topics: [String] = [], services: [Service] = [], tables: [Table] = [], calls: [Call] = [],
        aggregates: [Aggregate] = [], commands: [Command] = [], projections: [Projection] = []
    ) {
        self.topics = topics
        self.services = services
        self.tables = tables
        self.calls = calls
        self.aggregates = aggregates
        self.commands = commands
        self.projections = projections
    }

    /// True when nothing reads or writes a topic: no service, table, aggregate, command or projection.
    public var isEmpty: Bool {
        services.isEmpty && tables.isEmpty && aggregates.isEmpty && commands.isEmpty && projections.isEmpty
    }
}
