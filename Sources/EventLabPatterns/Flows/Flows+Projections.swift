import EventLabCore

extension Flows {
    /// A projection with its read model and whether it runs.
    public struct ProjectionSlot: Sendable {
        /// The read model, which holds the projection's definition too.
        public var readModel: ReadModel
        /// False after `projection pause`, until `projection resume`.
        public var isRunning = true

        /// The projection's definition.
        public var projection: Projection { readModel.projection }

        /// `projection` with an empty read model, running.
        public init(_ projection: Projection) {
            readModel = ReadModel(projection)
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
    public mutating func add(_ projection: Projection) throws(FlowError) {
        try checkFree(projection.name)
        projections[projection.name] = ProjectionSlot(inForce(projection))
    }

    /// Changes the projection named `name` and what it holds.
    public mutating func changeProjection(_ name: String, _ change: (inout ProjectionSlot) throws(ProjectionError) -> Void) throws(FlowError) {
        var slot = try projection(name)
        do throws(ProjectionError) {
            try change(&slot)
        } catch {
            throw FlowError(message: error.message)
        }
        projections[name] = slot
    }

    /// Removes the projection named `name`; its consumer group stays in the broker.
    public mutating func removeProjection(_ name: String) throws(FlowError) {
        _ = try projection(name)
        projections[name] = nil
    }
}
