import EventLabCore

extension Aggregate {
    /// What one record, once upcast, does to its key's state: the type's rules, in number order,
    /// applied to `state`. Each rule's expressions see the state the rules before it left; a
    /// failure folds nothing of the event, so replaying it never leaves half an event applied.
    public func fold(_ state: JSON, _ record: Record, partition: Int32 = 0) -> AggregateFold {
        upcasting(record, partition: partition, failed: { .failed($0) }) { fold(state, event: $0, partition: partition) }
    }

    private func fold(_ state: JSON, event record: Record, partition: Int32) -> AggregateFold {
        let eventType: String
        switch readType(record) {
        case .type(let type): eventType = type
        case .none: return .skipped(.noType)
        case .failed(let reason): return .failed(AggregateFailure(rule: nil, reason: reason))
        }
        var state = state
        if let failure = fold(&state, record, partition: partition, eventType: eventType) { return .failed(failure) }
        return .applied(eventType: eventType, state: state)
    }

    /// Folds a record whose type is read into `state`, which a failure leaves as it was. The
    /// state is changed in place, so a key's fields are not copied per event.
    private func fold(_ state: inout JSON, _ record: Record, partition: Int32, eventType: String) -> AggregateFailure? {
        let positions = rules(for: eventType)
        // One rule sets its fields only once all its values are computed; with more, a later
        // rule's failure must undo the earlier ones.
        let before = positions.count > 1 ? state : nil
        for position in positions {
            let numbered = rules[position]
            let rule = numbered.rule
            var failing: Int?
            do throws(EvaluationError) {
                if let condition = rule.condition {
                    let holds = try condition.evaluate(record, partition: partition, tables: nil, bound: state)
                    guard case .bool(let flag) = holds else {
                        throw EvaluationError(.type, column: 1, "a condition must be true or false, but this one is \(holds.kind)")
                    }
                    if !flag { continue }
                }
                if rule.assignments.count == 1 {
                    failing = 0
                    let value = try rule.assignments[0].value.evaluate(record, partition: partition, tables: nil, bound: state)
                    Self.set(rule.assignments[0].field, to: value, in: &state)
                } else {
                    var values: [JSON] = []
                    values.reserveCapacity(rule.assignments.count)
                    for (index, assignment) in rule.assignments.enumerated() {
                        failing = index
                        values.append(try assignment.value.evaluate(record, partition: partition, tables: nil, bound: state))
                    }
                    for (assignment, value) in zip(rule.assignments, values) { Self.set(assignment.field, to: value, in: &state) }
                }
            } catch {
                if let before { state = before }
                // A value the engine cannot parse is the record's fault: no rule change folds it.
                if error.kind == .invalidRecord {
                    let prefix = "the record's value is not JSON: "
                    let why = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                    return AggregateFailure(rule: nil, reason: "the record's value is not JSON EventLab reads (\(why))")
                }
                let (part, column) = failing.map { ("value of \(rule.assignments[$0].field)", rule.assignments[$0].column) }
                    ?? ("condition", rule.conditionColumn)
                return AggregateFailure(rule: numbered.number, reason: "the \(part) at column \(column + error.column - 1): \(error.message)")
            }
        }
        return nil
    }

    /// The aggregate key of `record`, once upcast: text as it is, anything else as compact JSON.
    public func key(of record: Record, partition: Int32 = 0) -> Result<String, AggregateFailure> {
        upcasting(record, partition: partition, failed: { .failure($0) }) { key(ofEvent: $0, partition: partition) }
    }

    private func key(ofEvent record: Record, partition: Int32) -> Result<String, AggregateFailure> {
        do throws(EvaluationError) {
            switch try key.evaluate(record, partition: partition) {
            case .string(let text): return .success(text)
            case .null: return .failure(AggregateFailure(rule: nil, reason: "the key \(key) is null: every event needs its aggregate's key"))
            case let other: return .success(other.description)
            }
        } catch {
            return .failure(AggregateFailure(rule: nil, reason: "the key \(key) at column \(error.column): \(error.message)"))
        }
    }

    /// What applying one record did.
    public enum Applied: Sendable, Equatable {
        /// The event was folded into `key`'s state; `keyedOtherwise` when the record's own key
        /// is not the aggregate key (so the event may lie in another partition than its key's).
        case applied(key: String, keyedOtherwise: Bool)
        /// The record has no event type.
        case skipped(SkipReason)
        /// The record could not be folded; no state changed.
        case failed(AggregateFailure)
    }

    /// Folds `record`, read at `partition` and upcast, into its key's entry of `states`.
    public func apply(_ record: Record, partition: Int32, to states: inout [String: AggregateState]) -> Applied {
        upcasting(record, partition: partition, failed: { .failed($0) }) { apply(event: $0, partition: partition, to: &states) }
    }

    private func apply(event record: Record, partition: Int32, to states: inout [String: AggregateState]) -> Applied {
        let eventType: String
        switch readType(record) {
        case .type(let type): eventType = type
        case .none: return .skipped(.noType)
        case .failed(let reason): return .failed(AggregateFailure(rule: nil, reason: reason))
        }
        let key: String
        switch self.key(ofEvent: record, partition: partition) {
        case .success(let found): key = found
        case .failure(let failure): return .failed(failure)
        }
        // A known key's entry is folded in place; a new key's is kept only once an event applies.
        if let index = states.index(forKey: key) {
            return fold(record, partition: partition, eventType: eventType, key: key, into: &states.values[index])
        }
        var entry = AggregateState(initial)
        let applied = fold(record, partition: partition, eventType: eventType, key: key, into: &entry)
        if case .applied = applied { states[key] = entry }
        return applied
    }

    private func fold(
        _ record: Record, partition: Int32, eventType: String, key: String, into entry: inout AggregateState
    ) -> Applied {
        if let failure = fold(&entry.state, record, partition: partition, eventType: eventType) { return .failed(failure) }
        entry.version += 1
        entry.offset = record.offset
        entry.partition = partition
        return .applied(key: key, keyedOtherwise: record.key.map { !$0.elementsEqual(key.utf8) } ?? true)
    }

    /// Sets top-level `field` of `state`, in its place when it is there, else after the others.
    static func set(_ field: String, to value: JSON, in state: inout JSON) {
        guard case .object(var members) = state else { return }
        state = .null
        if let index = members.firstIndex(where: { $0.key == field }) {
            members[index].value = value
        } else {
            members.append((field, value))
        }
        state = .object(members)
    }
}
