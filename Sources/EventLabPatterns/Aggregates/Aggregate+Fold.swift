import EventLabCore

extension Aggregate {
    /// What one record, once upcast, does to its key's state: the type's rules, in number order,
    /// applied to `state`. Each rule's expressions see the state the rules before it left; a
    /// failure folds nothing of the event, so replaying it never leaves half an event applied.
    public func fold(_ state: JSON, _ record: Record, partition: Int32 = 0) -> AggregateFold {
        upcasting(record, partition: partition, failed: { .failed($0) }) { event in
            var members = JSONMembers()
            return fold(state, event: event, partition: partition, members: &members)
        }
    }

    private func fold(_ state: JSON, event record: Record, partition: Int32, members: UnsafeMutablePointer<JSONMembers>) -> AggregateFold {
        let eventType: String
        switch readType(record, members: members) {
        case .type(let type): eventType = type
        case .none: return .skipped(.noType)
        case .failed(let reason): return .failed(AggregateFailure(rule: nil, reason: reason))
        }
        var state = state
        if let failure = fold(&state, record, partition: partition, eventType: eventType, members: members) { return .failed(failure) }
        return .applied(eventType: eventType, state: state)
    }

    /// Folds a record whose type is read into `state`, which a failure leaves as it was. The
    /// state is changed in place, so a key's fields are not copied per event.
    private func fold(
        _ state: inout JSON, _ record: Record, partition: Int32, eventType: String, members: UnsafeMutablePointer<JSONMembers>
    ) -> AggregateFailure? {
        let positions = rules(for: eventType)
        // One rule sets its fields only once all its values are computed; with more, a later
        // rule's failure must undo the earlier ones.
        let before = positions.count > 1 ? state : nil
        // Each rule is read in place through a pointer into the buffer: an array's subscript, or
        // a binding, would copy it, and its expressions with it, per event.
        return rules.withUnsafeBufferPointer { all in
            for position in positions {
                if let failure = Self.fold(&state, record, partition: partition, by: all.baseAddress! + position, members: members) {
                    if let before { state = before }
                    return failure
                }
            }
            return nil
        }
    }

    /// Folds `record` into `state` by the rule `numbered` points at, which sets no field when it fails.
    private static func fold(
        _ state: inout JSON, _ record: Record, partition: Int32, by numbered: UnsafePointer<NumberedRule>,
        members: UnsafeMutablePointer<JSONMembers>
    ) -> AggregateFailure? {
        var failing: Int?
        do throws(EvaluationError) {
            if let holds = try numbered.pointee.rule.condition?.evaluate(record, partition: partition, bound: state, members: members) {
                guard case .bool(let flag) = holds else {
                    throw EvaluationError(.type, column: 1, "a condition must be true or false, but this one is \(holds.kind)")
                }
                if !flag { return nil }
            }
            if numbered.pointee.rule.assignments.count == 1 {
                failing = 0
                try numbered.pointee.rule.assignments.withUnsafeBufferPointer { (assignments) throws(EvaluationError) in
                    let value = try assignments[0].value.evaluate(record, partition: partition, bound: state, members: members)
                    set(assignments[0].field, to: value, in: &state)
                }
            } else {
                var values: [JSON] = []
                values.reserveCapacity(numbered.pointee.rule.assignments.count)
                for (index, assignment) in numbered.pointee.rule.assignments.enumerated() {
                    failing = index
                    values.append(try assignment.value.evaluate(record, partition: partition, bound: state, members: members))
                }
                for (assignment, value) in zip(numbered.pointee.rule.assignments, values) { set(assignment.field, to: value, in: &state) }
            }
        } catch {
            // A value the engine cannot parse is the record's fault: no rule change folds it.
            if error.kind == .invalidRecord {
                let prefix = "the record's value is not JSON: "
                let why = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                return AggregateFailure(rule: nil, reason: "the record's value is not JSON EventLab reads (\(why))")
            }
            // Off the fast path: a copy of the rule costs nothing that matters here.
            let rule = numbered.pointee.rule
            let (part, column) = failing.map { ("value of \(rule.assignments[$0].field)", rule.assignments[$0].column) }
                ?? ("condition", rule.conditionColumn)
            return AggregateFailure(rule: numbered.pointee.number, reason: "\(RuleSpot.describe(part, column: column + error.column - 1, in: rule.source)): \(error.message)")
        }
        return nil
    }

    /// The aggregate key of `record`, once upcast: text as it is, anything else as compact JSON.
    public func key(of record: Record, partition: Int32 = 0) -> Result<String, AggregateFailure> {
        upcasting(record, partition: partition, failed: { .failure($0) }) { event in
            var members = JSONMembers()
            return key(ofEvent: event, partition: partition, members: &members)
        }
    }

    private func key(
        ofEvent record: Record, partition: Int32, members: UnsafeMutablePointer<JSONMembers>
    ) -> Result<String, AggregateFailure> {
        do throws(EvaluationError) {
            switch try key.evaluate(record, partition: partition, bound: .null, members: members) {
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
        upcasting(record, partition: partition, failed: { .failed($0) }) { event in
            // One index of the event's top-level members serves the type, the key and the
            // rules, so its value is scanned once instead of once per field.
            var members = JSONMembers()
            return apply(event: event, partition: partition, to: &states, members: &members)
        }
    }

    private func apply(
        event record: Record, partition: Int32, to states: inout [String: AggregateState], members: UnsafeMutablePointer<JSONMembers>
    ) -> Applied {
        let eventType: String
        switch readType(record, members: members) {
        case .type(let type): eventType = type
        case .none: return .skipped(.noType)
        case .failed(let reason): return .failed(AggregateFailure(rule: nil, reason: reason))
        }
        let key: String
        switch self.key(ofEvent: record, partition: partition, members: members) {
        case .success(let found): key = found
        case .failure(let failure): return .failed(failure)
        }
        // A known key's entry is folded in place; a new key's is kept only once an event applies.
        if let index = states.index(forKey: key) {
            return fold(record, partition: partition, eventType: eventType, key: key, into: &states.values[index], members: members)
        }
        var entry = AggregateState(initial)
        let applied = fold(record, partition: partition, eventType: eventType, key: key, into: &entry, members: members)
        if case .applied = applied { states[key] = entry }
        return applied
    }

    private func fold(
        _ record: Record, partition: Int32, eventType: String, key: String, into entry: inout AggregateState,
        members: UnsafeMutablePointer<JSONMembers>
    ) -> Applied {
        if let failure = fold(&entry.state, record, partition: partition, eventType: eventType, members: members) { return .failed(failure) }
        entry.version += 1
        entry.offset = record.offset
        entry.partition = partition
        return .applied(key: key, keyedOtherwise: !Self.isKey(of: record, key))
    }

    /// True when `record`'s key is the bytes of `key`; compared as buffers, as the generic
    /// comparison of a slice with a string's UTF-8 view costs more than the fold. The key is
    /// read in place, as binding the optional slice would copy it.
    private static func isKey(of record: Record, _ key: String) -> Bool {
        var key = key
        return key.withUTF8 { wanted in
            record.key?.withUnsafeBufferPointer { bytes in
                guard bytes.count == wanted.count else { return false }
                for index in 0..<bytes.count where bytes[index] != wanted[index] { return false }
                return true
            } ?? false
        }
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
