import EventLabCore

extension Flows {
    /// An aggregate with what it has folded so far.
    public struct AggregateSlot: Sendable {
        public var aggregate: Aggregate

        /// `aggregate`, which has folded nothing yet.
        public init(_ aggregate: Aggregate) {
            self.aggregate = aggregate
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

    /// Adds `aggregate`; a name already used is refused.
    public mutating func add(_ aggregate: Aggregate) throws(FlowError) {
        try checkFree(aggregate.name)
        aggregates[aggregate.name] = AggregateSlot(inForce(aggregate))
    }

    /// Changes the aggregate named `name` and what it holds.
    public mutating func changeAggregate(_ name: String, _ change: (inout AggregateSlot) throws(AggregateError) -> Void) throws(FlowError) {
        var slot = try aggregate(name)
        do throws(AggregateError) {
            try change(&slot)
        } catch {
            throw FlowError(message: error.message)
        }
        aggregates[name] = slot
    }

    /// Removes the aggregate named `name`; its topic and snapshots stay in the broker.
    public mutating func removeAggregate(_ name: String) throws(FlowError) {
        _ = try aggregate(name)
        aggregates[name] = nil
    }
}
