import EventLabCore

/// Sends a command: validates it against its key's current state, outside the broker's lock,
/// and appends its events only if the key's partition still ends where it validated.
///
/// Each try reads the end E of the key's partition (where the broker's default partitioner puts
/// the key), folds the key's state — which holds at least every event below E — and decides.
/// A rejection writes nothing. An acceptance appends with the broker's conditional append,
/// expecting E; when another write landed in the partition since, nothing is appended and the
/// send catches up and validates again, up to ``tries`` times.
public struct CommandSend {
    /// How many times a send validates before it gives up on a partition others keep writing to.
    public static let tries = 5

    public let command: Command
    public let aggregate: Aggregate
    /// The payload, read by the command as `$`.
    public let payload: [UInt8]
    /// The version the sender expects the key to be at (`--expect-version`), if any.
    public let expectedVersion: Int?

    /// A send of `command` against `aggregate` with `payload`.
    public init(_ command: Command, against aggregate: Aggregate, payload: [UInt8], expectedVersion: Int? = nil) {
        self.command = command
        self.aggregate = aggregate
        self.payload = payload
        self.expectedVersion = expectedVersion
    }

    /// Sends the command through `broker`. `beforeAppend` runs after each validation, before the
    /// conditional append, with the try's number: a test writes there to play a concurrent writer.
    ///
    /// - Throws: ``CommandError`` for a payload or definition the command cannot be decided on;
    ///   ``CommandContention`` when others appended every time; the broker's error for a missing
    ///   topic. Nothing is written in every case.
    public func run(in broker: Broker, beforeAppend: (Int) throws -> Void = { _ in }) throws -> CommandReport {
        try command.check(against: aggregate)
        let key = try command.key(of: payload, aggregate: aggregate)
        let topic = aggregate.source
        let partition = try aggregate.partition(ofKey: key, in: broker)
        var conflicts: [CommandConflict] = []
        for attempt in 1...Self.tries {
            let end = try broker.offsets(topic, partition: partition).logEndOffset
            let current = try aggregate.state(key: key, in: broker)
            let decision = try command.decide(
                payload, key: key, current: current, expectedVersion: expectedVersion, aggregate: aggregate,
                partition: partition, end: end, now: broker.clock.now())
            let report = { (outcome: CommandReport.Outcome) in
                CommandReport(key: key, topic: topic, partition: partition, conflicts: conflicts, outcome: outcome)
            }
            switch decision {
            case .rejected(let message):
                return report(.rejected(message, current: current))
            case .accepted(let branch, let events, var state):
                try beforeAppend(attempt)
                let records = events.map { command.record($0, key: key) }
                let positions: [RecordPosition]
                do throws(BrokerError) {
                    positions = try broker.publish(topic, partition: partition, records, ifEndIs: end)
                } catch {
                    guard error.code == .invalidUpdateVersion else { throw error }
                    let moved = (try? broker.offsets(topic, partition: partition).logEndOffset) ?? end
                    conflicts.append(CommandConflict(validatedAt: end, endedAt: moved))
                    continue
                }
                state.offset = positions.last?.offset ?? state.offset
                let appended = zip(events, positions).map { CommandAppend(eventType: $0.eventType, offset: $1.offset) }
                return report(.accepted(branch: branch, appended: appended, state: state))
            }
        }
        throw CommandContention(command: command.name, topic: topic, partition: partition, conflicts: conflicts)
    }
}

/// A send that another writer beat each time it validated: it gave up, and wrote nothing.
public struct CommandContention: Error, Equatable, Sendable, CustomStringConvertible {
    /// The command sent.
    public let command: String
    /// The aggregate's topic, and the key's partition others kept writing to.
    public let topic: String
    public let partition: Int32
    /// Each try, refused because another write landed in the partition, in order.
    public let conflicts: [CommandConflict]

    public init(command: String, topic: String, partition: Int32, conflicts: [CommandConflict]) {
        self.command = command
        self.topic = topic
        self.partition = partition
        self.conflicts = conflicts
    }

    public var description: String {
        "another writer appended to \(topic) p\(partition) each of the \(conflicts.count) times \(command) validated, so nothing was written: send it again"
    }
}

/// A try that validated at one end of the partition and found it moved when it appended.
public struct CommandConflict: Sendable, Equatable {
    /// The partition's end the try validated at.
    public let validatedAt: Int64
    /// Where the partition ended when the append was refused.
    public let endedAt: Int64

    public init(validatedAt: Int64, endedAt: Int64) {
        self.validatedAt = validatedAt
        self.endedAt = endedAt
    }
}

/// One event a send appended: its type and offset.
public struct CommandAppend: Sendable, Equatable {
    public let eventType: String
    public let offset: Int64

    public init(eventType: String, offset: Int64) {
        self.eventType = eventType
        self.offset = offset
    }
}

/// What a send did.
public struct CommandReport: Sendable, Equatable {
    /// What the send came to.
    public enum Outcome: Sendable, Equatable {
        /// Branch `branch` held and its events were appended, leaving the key at `state`.
        case accepted(branch: Int, appended: [CommandAppend], state: AggregateState)
        /// Rejected with the message; nothing was written, and the key is at `current`.
        case rejected(String, current: AggregateState)
    }

    /// The aggregate key the payload named.
    public let key: String
    /// Where the key's events are: the aggregate's topic, and the key's partition.
    public let topic: String
    public let partition: Int32
    /// The tries refused because another write landed in the partition, before the last.
    public let conflicts: [CommandConflict]
    public let outcome: Outcome

    public init(key: String, topic: String, partition: Int32, conflicts: [CommandConflict], outcome: Outcome) {
        self.key = key
        self.topic = topic
        self.partition = partition
        self.conflicts = conflicts
        self.outcome = outcome
    }
}
