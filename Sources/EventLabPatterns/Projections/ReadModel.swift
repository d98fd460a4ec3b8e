import EventLabCore

/// A projection's current view — per key a value, a count and a sum — and per source partition
/// the offset it has applied up to.
///
/// A pure value: records go in through ``apply(_:topic:partition:)`` in offset order per
/// partition. Records below the position are ignored, so replaying a partition from an older
/// position leaves the view as it was. A record whose rule fails changes no row: it is counted
/// and its failure kept, and the read model moves past it.
public struct ReadModel: Sendable {
    /// What the view holds for one key.
    public struct Row: Sendable, Equatable {
        /// The value `put` last set, or nil when no `put` has.
        public var value: JSON?
        /// How many events `count` counted in the group.
        public var count: Int64
        /// What `sum` added up in the group, exactly; nil when no `sum` has.
        public var sum: ExactNumber?

        public init(value: JSON? = nil, count: Int64 = 0, sum: ExactNumber? = nil) {
            self.value = value
            self.count = count
            self.sum = sum
        }
    }

    /// The projection whose rules build the view. Changing its rules keeps the rows the old
    /// rules built: only a rebuild replays the log under the new ones.
    public internal(set) var projection: Projection
    /// Per source partition, the offset of the next record to apply: everything below has been.
    public private(set) var positions: [SourcePartition: Int64] = [:]
    /// Records some rule changed the view with.
    public private(set) var applied = 0
    /// Records read that changed nothing, by reason.
    public private(set) var skipped: [ProjectionSkip: Int] = [:]
    /// Records a rule failed on; they changed nothing.
    public private(set) var failed = 0
    /// The latest failure, to show what went wrong and where.
    public private(set) var lastFailure: ProjectionFailure?
    private var rows: [String: Row] = [:]

    /// An empty view of `projection` that has read nothing.
    public init(_ projection: Projection) {
        self.projection = projection
    }

    /// How many keys the view holds.
    public var count: Int { rows.count }

    /// The row of `key`, or nil when the view has none.
    public func row(_ key: String) -> Row? { rows[key] }

    /// Every row, sorted by key, so the same records always list the same way.
    public var entries: [(key: String, row: Row)] {
        rows.sorted { $0.key < $1.key }.map { (key: $0.key, row: $0.value) }
    }

    /// One change to a row, worked out before any is made so that a failing rule changes none.
    private enum Effect {
        case put(String, JSON)
        case delete(String)
        case count(String)
        case sum(String, ExactNumber, rule: Int, column: Int)

        /// `put a-1`, `delete a-1`, `count c-1`, `sum 40 to c-1`: what a trace says it did.
        var text: String {
            switch self {
            case .put(let key, _): "put \(key)"
            case .delete(let key): "delete \(key)"
            case .count(let group): "count \(group)"
            case .sum(let group, let amount, _, _): "sum \(JSON.number(amount).text) to \(group)"
            }
        }
    }

    /// Applies one record read at `record.offset` of `partition` of `topic`, once upcast: the
    /// rules of its event type whose conditions hold, in number order, all or none; the position
    /// moves past it.
    @discardableResult
    public mutating func apply(_ record: Record, topic: String, partition: Int32) -> ProjectionChange {
        apply(record, from: SourcePartition(topic: topic, partition: partition))
    }

    /// Applies one record read from `source`, which a catch-up makes once per partition.
    @discardableResult
    mutating func apply(_ record: Record, from source: SourcePartition) -> ProjectionChange {
        var note: ProjectionNote?
        return apply(record, from: source, note: &note)
    }

    /// Applies one record read from `source` and, when `note` is given, notes in it what it did.
    mutating func apply(_ record: Record, from source: SourcePartition, note: inout ProjectionNote?) -> ProjectionChange {
        let partition = source.partition
        if note != nil, case .type(let type) = projection.typeReader.read(record) { note?.eventType = type }
        // One lookup of the position per record, not two: this runs for every record read.
        if let index = positions.index(forKey: source) {
            guard record.offset >= positions.values[index] else { return .alreadyApplied }
            positions.values[index] = record.offset + 1
        } else {
            positions[source] = record.offset + 1
        }
        // Without upcasters the record is read as it is, not even copied.
        guard !projection.upcasters.isEmpty else { return apply(event: record, from: source, note: &note) }
        switch projection.upcasters.upcast(record, partition: partition, readType: projection.typeReader.read) {
        case .success(let upcast):
            if !upcast.applied.isEmpty, let original = note?.eventType { note?.upcastFrom = original }
            return apply(event: upcast.record, from: source, note: &note)
        case .failure(let failure): return fail(record, source, rule: nil, upcaster: failure.upcaster, failure.description)
        }
    }

    /// Applies `record`, which the upcasters have made the event the rules read.
    private mutating func apply(event record: Record, from source: SourcePartition, note: inout ProjectionNote?) -> ProjectionChange {
        let partition = source.partition
        let eventType: String
        note?.eventType = nil
        switch projection.typeReader.read(record) {
        case .type(let type): eventType = type; note?.eventType = type
        case .none: return skip(.noType)
        case .failed(let reason): return fail(record, source, rule: nil, reason)
        }
        guard let indices = projection.rules(for: eventType) else { return skip(.noRule) }
        // The first effect is kept apart, so the common record that one rule applies to
        // allocates no array.
        var first: Effect?
        var more: [Effect] = []
        for index in indices {
            let numbered = projection.rules[index]
            let rule = numbered.rule
            var (part, column) = ("condition", rule.conditionColumn)
            do throws(EvaluationError) {
                if let condition = rule.condition, !(try condition.test(record, partition: partition)) { continue }
                (part, column) = Self.firstPart(rule)
                let effect: Effect
                switch rule.action {
                case .put(let key, let value):
                    let text = try key.evaluate(record, partition: partition).text
                    (part, column) = ("value", rule.secondColumn)
                    effect = .put(text, try value.evaluate(record, partition: partition))
                case .delete(let key):
                    effect = .delete(try key.evaluate(record, partition: partition).text)
                case .count(let group):
                    effect = .count(try group.evaluate(record, partition: partition).text)
                case .sum(let amount, let group):
                    let number = try amount.evaluate(record, partition: partition)
                    guard case .number(let exact) = number else {
                        throw EvaluationError(.type, column: 1, "a sum adds numbers, but this amount is \(number.kind)")
                    }
                    (part, column) = ("group", rule.secondColumn)
                    effect = .sum(try group.evaluate(record, partition: partition).text, exact, rule: numbered.number, column: rule.firstColumn)
                }
                if first == nil { first = effect } else { more.append(effect) }
            } catch {
                return fail(record, source, rule: numbered.number, "\(RuleSpot.describe(part, column: column + error.column - 1, in: rule.source)): \(error.message)")
            }
        }
        guard let first else { return skip(.noConditionHeld) }
        if more.isEmpty, case .count(let group) = first {
            // The counting projection's whole work per event: one row, nothing to undo.
            rows[group, default: Row()].count += 1
        } else if let failure = commit([first] + more) {
            return fail(record, source, rule: failure.rule, failure.reason)
        }
        applied += 1
        if note != nil { note?.effects = ([first] + more).map(\.text) }
        return .applied(rules: 1 + more.count)
    }

    /// Makes `effects` on copies of the rows they touch, then stores them all; a sum that does
    /// not fit stores none and says which rule it was.
    private mutating func commit(_ effects: [Effect]) -> (rule: Int, reason: String)? {
        var touched: [(key: String, row: Row?)] = []
        for effect in effects {
            let key: String
            switch effect {
            case .put(let name, _), .delete(let name), .count(let name), .sum(let name, _, _, _): key = name
            }
            let index = touched.firstIndex { $0.key == key } ?? {
                touched.append((key, rows[key]))
                return touched.count - 1
            }()
            switch effect {
            case .put(_, let value): touched[index].row = Row(value: value, count: touched[index].row?.count ?? 0, sum: touched[index].row?.sum)
            case .delete: touched[index].row = nil
            case .count: touched[index].row = Row(value: touched[index].row?.value, count: (touched[index].row?.count ?? 0) + 1, sum: touched[index].row?.sum)
            case .sum(_, let amount, let rule, let column):
                var row = touched[index].row ?? Row()
                do throws(NumberError) {
                    row.sum = try ExactNumber.adding(row.sum ?? ExactNumber(0), amount)
                } catch {
                    return (rule, "the amount at column \(column): adding it to the sum of \(key): \(error)")
                }
                touched[index].row = row
            }
        }
        for (key, row) in touched { rows[key] = row }
        return nil
    }

    /// Records that the view has read `partition` of `topic` up to `offset` though no record
    /// there was applied: the offsets in between hold none any more.
    public mutating func advance(_ source: SourcePartition, to offset: Int64) {
        if offset > positions[source] ?? .min { positions[source] = offset }
    }

    private static func firstPart(_ rule: ProjectionRule) -> (String, Int) {
        switch rule.action {
        case .put, .delete: ("key", rule.firstColumn)
        case .count: ("group", rule.firstColumn)
        case .sum: ("amount", rule.firstColumn)
        }
    }

    private mutating func skip(_ reason: ProjectionSkip) -> ProjectionChange {
        skipped[reason, default: 0] += 1
        return .skipped(reason)
    }

    private mutating func fail(_ record: Record, _ source: SourcePartition, rule: Int?, upcaster: Int? = nil, _ reason: String) -> ProjectionChange {
        let failure = ProjectionFailure(
            rule: rule, upcaster: upcaster, place: RecordPlace(topic: source.topic, partition: source.partition, offset: record.offset), reason: reason)
        failed += 1
        lastFailure = failure
        return .failed(failure)
    }
}
