/// What `show flow` draws: the topics, the services and tables reading and writing them, and the
/// calls between services. A plain value a runtime fills in; `FlowPicture` turns it into text.
public struct FlowModel: Hashable, Sendable {
    /// Where a service stands.
    public enum State: Hashable, Sendable {
        case running
        case stopped
        /// Stopped on a record it could not handle and had nowhere to dead-letter.
        case poisoned(topic: String, partition: Int32, offset: Int64)
    }

    /// A service: what it reads, what its rules write, and how far it has got.
    public struct Service: Hashable, Sendable {
        public var name: String
        /// The topics it reads.
        public var reads: [String]
        /// The topics its rules emit to.
        public var writes: [String]
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

        /// A service with every field given; counts default to zero and lag to unknown.
        public init(
            name: String, reads: [String], writes: [String], state: State = .running,
            lag: [String: Int64] = [:], processed: Int64 = 0, emitted: Int64 = 0,
            deadLetter: String? = nil, deadLettered: Int64 = 0
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
        }

        /// The picture of `service`'s definition: its sources, its rules' topics and its dead-letter topic.
        public init(
            _ service: EventLabPatterns.Service, state: State = .running, lag: [String: Int64] = [:],
            processed: Int64 = 0, emitted: Int64 = 0, deadLettered: Int64 = 0
        ) {
            var writes: [String] = []
            for numbered in service.rules where !writes.contains(numbered.rule.topic.rawValue) {
                writes.append(numbered.rule.topic.rawValue)
            }
            self.init(
                name: service.name, reads: service.sources, writes: writes, state: state, lag: lag,
                processed: processed, emitted: emitted, deadLetter: service.deadLetter,
                deadLettered: deadLettered)
        }
    }

    /// A table: the topic it copies and how far behind it is.
    public struct Table: Hashable, Sendable {
        public var name: String
        public var topic: String
        /// The topic's records the table has not read yet, or nil when unknown.
        public var behind: Int64?

        public init(name: String, topic: String, behind: Int64? = nil) {
            self.name = name
            self.topic = topic
            self.behind = behind
        }
    }

    /// Requests one service made to another, and how many of them failed.
    public struct Call: Hashable, Sendable {
        public var from: String
        public var to: String
        public var count: Int64
        public var failed: Int64

        public init(from: String, to: String, count: Int64, failed: Int64 = 0) {
            self.from = from
            self.to = to
            self.count = count
            self.failed = failed
        }
    }

    /// Every topic, including those nothing reads or writes.
    public var topics: [String]
    public var services: [Service]
    public var tables: [Table]
    public var calls: [Call]

    public init(topics: [String] = [], services: [Service] = [], tables: [Table] = [], calls: [Call] = []) {
        self.topics = topics
        self.services = services
        self.tables = tables
        self.calls = calls
    }
}
