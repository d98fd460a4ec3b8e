import EventLabCore

extension Flows {
    /// A projection with its read model and whether it runs.
    public struct ProjectionSlot: Sendable {
        /// The read model, which holds the projection's definition too.
        public var readModel: ReadModel
        /// False after `projection pause`, until `projection resume`.
        public var isRunning = true
        /// True for an inline projection: brought up to date right after a command appends its
        /// events (``Flows/catchUpInline(_:traceBudget:)``), not only when the flows drain.
        public var isInline = false
        /// Why its last catch-up could not read or commit, until one can.
        public internal(set) var problem: String?

        /// The projection's definition. Setting it keeps the rows the old rules built.
        public var projection: Projection {
            get { readModel.projection }
            set { readModel.projection = newValue }
        }

        /// Whether a drain lets it read: it runs and has a rule, for a projection without one
        /// would pass over every event and build nothing from them.
        public var isReading: Bool { isRunning && !projection.rules.isEmpty }

        /// `projection` with an empty read model, running.
        public init(_ projection: Projection, inline: Bool = false) {
            readModel = ReadModel(projection)
            isInline = inline
        }
    }

    /// The projection named `name`, or an error listing the projections there are.
    public func projection(_ name: String) throws(FlowError) -> ProjectionSlot {
        guard let slot = projections[name] else {
            throw FlowError(message: "there is no projection named \(name): " + (projections.isEmpty
                ? "there are no projections yet; create one with `projection create \(name) --from TOPIC`"
                : "the projections are \(projections.keys.sorted().joined(separator: ", "))"))
        }
        return slot
    }

    /// Adds `projection`; a name already used is refused.
    public mutating func add(_ projection: Projection, inline: Bool = false) throws(FlowError) {
        try checkFree(projection.name)
        projections[projection.name] = ProjectionSlot(inForce(projection), inline: inline)
    }

    /// Changes the projection named `name` and what it holds.
    public mutating func changeProjection(_ name: String, _ change: (inout ProjectionSlot) throws(ProjectionError) -> Void) throws(FlowError) {
        var slot = try projection(name)
        do throws(ProjectionError) {
            try change(&slot)
        } catch {
            throw FlowError(message: error.message)
        }
        // A definition built anew in `change` reads through the upcasters in force too.
        slot.readModel.projection.upcasters = upcasters
        projections[name] = slot
    }

    /// Removes the projection named `name`; its consumer group stays in the broker.
    public mutating func removeProjection(_ name: String) throws(FlowError) {
        _ = try projection(name)
        projections[name] = nil
    }

    /// The topics running projections read, which a watch for arriving records covers.
    public var projectionSources: Set<String> {
        Set(projections.values.filter(\.isReading).flatMap(\.projection.sources))
    }
}
