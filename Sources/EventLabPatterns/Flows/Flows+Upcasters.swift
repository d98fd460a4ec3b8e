import EventLabCore

/// The upcasters are the flows' one schema history: every service, aggregate and projection
/// carries the same ones, set here whenever they change and whenever a definition is added.
extension Flows {
    /// A definition that reads events through the upcasters in force.
    protocol UpcastingReader {
        var upcasters: Upcasters { get set }
    }

    /// Changes the upcasters and puts the changed ones in force in every definition; a change
    /// that fails changes nothing.
    public mutating func changeUpcasters(_ change: (inout Upcasters) throws(UpcastError) -> Void) throws(FlowError) {
        var changed = upcasters
        do throws(UpcastError) {
            try change(&changed)
        } catch {
            throw FlowError(message: error.message)
        }
        upcasters = changed
        for name in services.keys { services[name]!.service.upcasters = changed }
        for name in aggregates.keys {
            let fingerprint = aggregates[name]!.aggregate.fingerprint
            aggregates[name]!.aggregate.upcasters = changed
            // A state folded from events as they were read before now mixes two readings.
            if !aggregates[name]!.states.isEmpty, aggregates[name]!.aggregate.fingerprint != fingerprint {
                aggregates[name]!.mixesRules = true
            }
        }
        for name in projections.keys { projections[name]!.readModel.projection.upcasters = changed }
    }

    /// `definition` reading through the upcasters in force.
    func inForce<Reader: UpcastingReader>(_ definition: Reader) -> Reader {
        var definition = definition
        definition.upcasters = upcasters
        return definition
    }
}

extension Service: Flows.UpcastingReader {}
extension Aggregate: Flows.UpcastingReader {}
extension Projection: Flows.UpcastingReader {}
