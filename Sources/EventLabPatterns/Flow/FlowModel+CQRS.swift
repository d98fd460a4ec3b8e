extension FlowModel {
    /// An aggregate: the topic it folds into state per key, how far it has got, and where its
    /// snapshots go.
    public struct Aggregate: Hashable, Sendable {
        /// The aggregate's name.
        public var name: String
        /// The topic it folds.
        public var topic: String
        /// The keys it holds a state for.
        public var keys: Int
        /// The events folded into those states.
        public var events: Int
        /// The topic's records it has not folded yet, or nil when unknown.
        public var behind: Int64?
        /// The compacted topic its snapshots go to, when it has or makes any.
        public var snapshots: String?

        /// An aggregate folding `topic`, `behind` records behind it.
        public init(name: String, topic: String, keys: Int = 0, events: Int = 0, behind: Int64? = nil, snapshots: String? = nil) {
            self.name = name
            self.topic = topic
            self.keys = keys
            self.events = events
            self.behind = behind
            self.snapshots = snapshots
        }
    }

    /// A command: the write side of CQRS, validated against an aggregate's state and appending
    /// to topics.
    public struct Command: Hashable, Sendable {
        /// The command's name, as `send` takes it.
        public var name: String
        /// The aggregate whose state it is validated against.
        public var aggregate: String
        /// The topics its branches emit to.
        public var writes: [String]

        /// A command validated against `aggregate`, emitting to `writes`.
        public init(name: String, aggregate: String, writes: [String]) {
            self.name = name
            self.aggregate = aggregate
            self.writes = writes
        }

        /// The picture of `command`'s definition: its aggregate and the topics its branches
        /// emit to, each once, in the order written.
        public init(_ command: EventLabPatterns.Command) {
            var writes: [String] = []
            for emit in command.branches.flatMap(\.emits) where !writes.contains(emit.topic) {
                writes.append(emit.topic)
            }
            self.init(name: command.name, aggregate: command.aggregate, writes: writes)
        }
    }

    /// A projection: the read side of CQRS, a consumer group building a read model that
    /// `query` reads.
    public struct Projection: Hashable, Sendable {
        /// The projection's name, which is its consumer group's too.
        public var name: String
        /// The topics it reads.
        public var reads: [String]
        /// The records not yet applied, per source topic; a topic missing here has unknown lag.
        public var lag: [String: Int64]
        /// The rows of its read model.
        public var rows: Int
        /// False when paused.
        public var isRunning: Bool
        /// True when `send` brings it up to date before it returns.
        public var isInline: Bool

        /// A projection reading `reads`, running and asynchronous unless told otherwise.
        public init(name: String, reads: [String], lag: [String: Int64] = [:], rows: Int = 0, isRunning: Bool = true, isInline: Bool = false) {
            self.name = name
            self.reads = reads
            self.lag = lag
            self.rows = rows
            self.isRunning = isRunning
            self.isInline = isInline
        }
    }
}
