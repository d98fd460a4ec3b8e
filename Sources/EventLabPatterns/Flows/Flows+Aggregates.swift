import EventLabCore

extension Flows {
    /// An aggregate with what it has folded so far: every key's state, read from its topic like
    /// a table (no consumer group), each partition from the offset it stopped before.
    public struct AggregateSlot: Sendable {
        public var aggregate: Aggregate
        /// Every key's state folded so far.
        public internal(set) var states: [String: AggregateState] = [:]
        /// Per partition of the topic, the next offset not read.
        public internal(set) var positions: [Int32: Int64] = [:]
        /// Per partition, the log start when it last read: a later one means retention deleted
        /// events it had folded.
        var logStarts: [Int32: Int64] = [:]
        /// When it writes snapshots, the last it wrote, and the events folded since.
        public internal(set) var snapshots = AggregateSnapshotSchedule()
        /// Publishes every key's state to the snapshot topic after each this many events folded;
        /// nil: only on `aggregate snapshot`.
        public var snapshotEvery: Int? {
            get { snapshots.every }
            set { snapshots.change(every: newValue) }
        }
        /// True when its rules changed after it folded events: its states mix old and new rules
        /// until a rebuild, so they are not snapshotted.
        public internal(set) var mixesRules = false
        /// Why it could not read its topic in the last catch-up; nil when it could.
        public internal(set) var problem: String?

        /// `aggregate`, which has folded nothing yet.
        public init(_ aggregate: Aggregate) {
            self.aggregate = aggregate
        }

        /// Whether it has read anything of its topic.
        public var hasRead: Bool { !positions.isEmpty }

        /// Takes `states`, folded under the current rules from the topic read up to `readTo`,
        /// in place of what it had: what a rebuild does. `report` says from which snapshots it
        /// started.
        public mutating func take(
            _ states: [String: AggregateState], readTo: [Int32: Int64], logStarts: [Int32: Int64], report: AggregateReport
        ) {
            self.states = states
            positions = readTo
            self.logStarts = logStarts
            mixesRules = false
            snapshots.rebuilt(snapshotsAt: report.snapshots?.startedAt)
        }

        /// A snapshot of every key's state was published as of its positions.
        public mutating func snapshotWritten() {
            snapshots.written(at: positions)
        }
    }

    /// The aggregate named `name`, or an error listing the aggregates there are.
    public func aggregate(_ name: String) throws(FlowError) -> AggregateSlot {
        guard let slot = aggregates[name] else {
            throw FlowError(message: "there is no aggregate named \(name): " + (aggregates.isEmpty
                ? "there are no aggregates yet; create one with `aggregate create \(name) --from TOPIC --key EXPR`"
                : "the aggregates are \(aggregates.keys.sorted().joined(separator: ", "))"))
        }
        return slot
    }

    /// Adds `aggregate`, publishing a snapshot after every `snapshotEvery` events when given; a
    /// name already used is refused.
    public mutating func add(_ aggregate: Aggregate, snapshotEvery: Int? = nil) throws(FlowError) {
        try checkFree(aggregate.name)
        var slot = AggregateSlot(inForce(aggregate))
        slot.snapshotEvery = snapshotEvery
        aggregates[aggregate.name] = slot
    }

    /// Changes the aggregate named `name` and what it holds. A change of its rules once it holds
    /// a state marks its states as mixing rules.
    public mutating func changeAggregate(_ name: String, _ change: (inout AggregateSlot) throws(AggregateError) -> Void) throws(FlowError) {
        var slot = try aggregate(name)
        let fingerprint = slot.aggregate.fingerprint
        do throws(AggregateError) {
            try change(&slot)
        } catch {
            throw FlowError(message: error.message)
        }
        // A definition built anew in `change` reads through the upcasters in force too.
        slot.aggregate.upcasters = upcasters
        // Only a state some event was folded into can mix rules.
        if !slot.states.isEmpty, slot.aggregate.fingerprint != fingerprint { slot.mixesRules = true }
        aggregates[name] = slot
    }

    /// Removes the aggregate named `name`; its topic and snapshots stay in the broker.
    /// Refused while commands validate against it: they would be left deciding on nothing.
    public mutating func removeAggregate(_ name: String) throws(FlowError) {
        _ = try aggregate(name)
        let users = commands.values.filter { $0.aggregate == name }.map(\.name).sorted()
        guard users.isEmpty else {
            let list = users.joined(separator: ", ")
            throw FlowError(message: "command\(users.count == 1 ? "" : "s") \(list) validate\(users.count == 1 ? "s" : "") against aggregate \(name), so it stays: `command delete` \(users.count == 1 ? "it" : "them") first, e.g. `command delete \(users[0])`")
        }
        aggregates[name] = nil
    }

    /// Lets every aggregate with a rule fold what it has not read yet; returns what each found
    /// worth telling, by name.
    mutating func catchUpAggregates(_ broker: Broker) -> [String: AggregateCatchUp] {
        var found: [String: AggregateCatchUp] = [:]
        for name in aggregates.keys.sorted() {
            let report = aggregates[name]!.catchUp(from: broker)
            if report.isWorthTelling { found[name] = report }
        }
        return found
    }
}
