import EventLabCore

/// What a command decides for one payload and one state, with no broker: the pure core of
/// ``CommandSend``.
extension Command {
    /// The header naming the command that wrote an event, so a reader can tell its cause.
    public static let header = "eventlab.command"

    /// Refuses a command whose events `aggregate` would never see: each emit must go to the
    /// aggregate's own topic, where its key's events are.
    public func check(against aggregate: Aggregate) throws(CommandError) {
        guard aggregate.name == self.aggregate else {
            throw CommandError("command \(name) validates against aggregate \(self.aggregate), not \(aggregate.name)")
        }
        for branch in branches {
            for emit in branch.emits where emit.topic != aggregate.source {
                throw CommandError(
                    "at column \(emit.topicColumn): the events go to \(emit.topic), but aggregate \(aggregate.name) reads \(aggregate.source): emit to \(aggregate.source), or the aggregate would never see them and the next command would validate against a state without them")
            }
        }
    }

    /// The aggregate key `payload` names: read by the command's key expression, or the
    /// aggregate's; text as it is, anything else as compact JSON, as the aggregate reads keys.
    public func key(of payload: [UInt8], aggregate: Aggregate) throws(CommandError) -> String {
        let record = Record(offset: 0, timestamp: 0, key: [UInt8]?.none, value: payload)
        guard let key else {
            switch aggregate.key(of: record) {
            case .success(let found): return found
            case .failure(let failure): throw CommandError("the payload has no key for aggregate \(aggregate.name): \(Self.aboutPayload(failure.reason))")
            }
        }
        let value: JSON
        do throws(EvaluationError) {
            value = try key.evaluate(record)
        } catch {
            throw CommandError("the key at column \(keyColumn + error.column - 1): \(Self.aboutPayload(error.message))")
        }
        switch value {
        case .string(let text): return text
        case .null: throw CommandError("the key \(key) is null: the payload must name the key it is for")
        case let other: return other.description
        }
    }

    /// The decision for `payload` against `current`, the key's state, in the partition that
    /// ends at `end` (where the events would be appended, at `now`): the first branch whose
    /// condition holds, its events and the state they leave; or a rejection. `expectedVersion`,
    /// when given, must be the key's version.
    ///
    /// - Throws: when an expression fails on the payload or the state, or when an event emitted
    ///   would not be folded into the key's state: such a command is a mistake, not a decision.
    public func decide(
        _ payload: [UInt8], key: String, current: AggregateState, expectedVersion: Int?, aggregate: Aggregate,
        partition: Int32, end: Int64, now: Int64
    ) throws(CommandError) -> CommandDecision {
        try check(against: aggregate)
        if let expectedVersion, expectedVersion != current.version {
            let why = expectedVersion < current.version
                ? "it has moved on since; look at its state and send again"
                : "it has not reached that version: a version counts the key's events, so it is at most the number folded so far"
            return .rejected("expected version \(expectedVersion), but \(aggregate.name) \(key) is at version \(current.version): \(why)")
        }
        let keyBytes = Array(key.utf8)
        // The payload is read as an event at the key's place, so `key`, `partition`, `offset` and
        // `timestamp` say where the command's events would go.
        let command = Record(offset: end, timestamp: now, key: keyBytes, value: payload)
        func evaluate(_ expression: Expression, at column: Int, _ part: String) throws(CommandError) -> JSON {
            do throws(EvaluationError) {
                return try expression.evaluate(command, partition: partition, tables: nil, bound: current.state)
            } catch {
                throw CommandError("the \(part) at column \(column + error.column - 1): \(Self.aboutPayload(error.message))")
            }
        }
        for (number, branch) in branches.enumerated() {
            if let condition = branch.condition {
                let holds = try evaluate(condition, at: branch.conditionColumn, "condition of branch \(number + 1)")
                guard case .bool(let flag) = holds else {
                    throw CommandError("the condition of branch \(number + 1) at column \(branch.conditionColumn): a condition must be true or false, but this one is \(holds.kind)")
                }
                if !flag { continue }
            }
            var state = current
            var events: [CommandEvent] = []
            for (index, emit) in branch.emits.enumerated() {
                let value = JSONPrinter.bytes(try evaluate(emit.template, at: emit.column, "template of branch \(number + 1)"))
                let event = Record(offset: end + Int64(index), timestamp: now, key: keyBytes, value: value)
                let what = "the event of branch \(number + 1) at column \(emit.column)"
                switch aggregate.key(of: event, partition: partition) {
                case .success(key): break
                case .success(let other):
                    throw CommandError("\(what) is for \(aggregate.name) \(other) (by its key \(aggregate.key)), not \(key): \(aggregate.name) would fold it into another key; give it the command's key")
                case .failure(let failure):
                    throw CommandError("\(what) has no key for aggregate \(aggregate.name): \(failure.reason)")
                }
                switch aggregate.fold(state.state, event, partition: partition) {
                case .applied(let eventType, let after):
                    state = AggregateState(state: after, version: state.version + 1, offset: event.offset, partition: partition)
                    events.append(CommandEvent(eventType: eventType, value: value))
                case .skipped:
                    throw CommandError("\(what) has no event type, so aggregate \(aggregate.name) would pass it over: give it a type, e.g. {\"type\":\"Withdrawn\",…}")
                case .failed(let failure):
                    throw CommandError("\(what) could not be folded by aggregate \(aggregate.name), so it would be a poison event in its history: \(failure)")
                }
            }
            return .accepted(branch: number + 1, events: events, state: state)
        }
        guard let rejection else { return .rejected(defaultRejection) }
        switch try evaluate(rejection, at: rejectionColumn, "message") {
        case .string(let text): return .rejected(text)
        case let other: return .rejected(other.description)
        }
    }

    /// `message` with the record it read called the payload: a command's `$` is what was sent,
    /// not an event, and a learner who reads "the event has no field" looks in the wrong place.
    static func aboutPayload(_ message: String) -> String {
        message.replacing("the event has no field", with: "the payload has no field")
    }

    /// `event` as the record appended for key `key`, naming this command in a header.
    func record(_ event: CommandEvent, key: String) -> ProducerRecord {
        ProducerRecord(key: Array(key.utf8), value: event.value, headers: [RecordHeader(key: Self.header, value: Array(name.utf8))])
    }
}

/// An event a command emits: its type and its value's bytes.
public struct CommandEvent: Sendable, Equatable {
    public let eventType: String
    public let value: [UInt8]
}

/// What a command decides against one state.
public enum CommandDecision: Sendable, Equatable {
    /// Branch `branch` (1-based) holds: the events to append, and the key's state after them.
    case accepted(branch: Int, events: [CommandEvent], state: AggregateState)
    /// No branch holds, or the expected version is not the key's: the message says why.
    case rejected(String)
}
