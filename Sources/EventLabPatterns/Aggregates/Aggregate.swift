import EventLabCore

/// An aggregate's definition: state per key folded from the events of one topic (event
/// sourcing). A pure value: `fold(_:_:partition:)` returns the state an event leaves, and
/// `Aggregate+Broker` replays a topic through it.
public struct Aggregate: Sendable {
    /// A rule with the number it keeps for the aggregate's life.
    public typealias NumberedRule = NumberedRules<AggregateRule>.Numbered

    /// The aggregate's name.
    public let name: String
    /// The topic its events are read from.
    public let source: String
    /// Each event's aggregate key, e.g. `$.account`; its records should be keyed by it too.
    public let key: Expression
    /// True when the aggregate key is the record key itself (`--key key`): then every event is
    /// in its key's partition by construction, and one without a record key has no aggregate.
    public var keyIsRecordKey: Bool {
        if case .metadata(.key, _) = key.root { true } else { false }
    }
    /// The state of a key before its first event: a JSON object.
    public let initial: JSON
    /// Where each record's event type is read.
    public var typeSource: EventTypeSource { typeReader.source }
    /// The rules, by number. Numbers are never reused, so a rule named in an error means the
    /// same rule after others are removed.
    public var rules: [NumberedRule] { book.all }
    /// The number the next rule added without one gets.
    public var nextNumber: Int { book.nextNumber }
    /// The numbered rules, indexed by event type.
    private var book = NumberedRules<AggregateRule>()
    /// Reads each record's event type, as a service and a projection do.
    private let typeReader: EventTypeReader
    /// The upcasters in force, applied to each record before the aggregate reads it.
    public var upcasters = Upcasters()

    /// An aggregate named `name` over `source`, keyed by `key`, with no rules yet.
    ///
    /// - Throws: when `initial` is not a JSON object.
    public init(
        name: String, source: String, key: Expression, initial: JSON = .object([]), typeSource: EventTypeSource = .field("type")
    ) throws(AggregateError) {
        guard case .object = initial else {
            throw AggregateError("an aggregate's initial state must be a JSON object, e.g. {\"balance\":0}, not \(initial.kind)")
        }
        self.name = name
        self.source = source
        self.key = key
        self.initial = initial
        typeReader = EventTypeReader(typeSource)
    }

    /// Adds `rule` and returns its number: the next, which no rule had before, or `number` when
    /// given and no rule has it now.
    @discardableResult
    public mutating func add(_ rule: AggregateRule, number wanted: Int? = nil) throws(AggregateError) -> Int {
        do throws(NumberedRules<AggregateRule>.NumberError) {
            return try book.add(rule, number: wanted)
        } catch {
            throw AggregateError(error.message("aggregate \(name)", edit: "aggregate \(name)"))
        }
    }

    /// Makes the next rule added without a number get at least `number`, as the rules removed
    /// since kept theirs.
    public mutating func numberRules(from number: Int) {
        book.numberFrom(number)
    }

    /// Removes rule `number`; the others keep their numbers.
    public mutating func remove(_ number: Int) throws(AggregateError) {
        do throws(NumberedRules<AggregateRule>.NumberError) {
            try book.remove(number)
        } catch {
            throw AggregateError(error.message("aggregate \(name)", edit: "aggregate \(name)"))
        }
    }

    /// Puts `rule` in place of rule `number`, which keeps its number.
    public mutating func replace(_ number: Int, with rule: AggregateRule) throws(AggregateError) {
        do throws(NumberedRules<AggregateRule>.NumberError) {
            try book.replace(number, with: rule)
        } catch {
            throw AggregateError(error.message("aggregate \(name)", edit: "aggregate \(name)"))
        }
    }

    /// A stable hash of the rules' sources in number order, then of the upcasters', as 16 hex
    /// digits: state folded under one fingerprint may be reused (a snapshot) only while the
    /// fingerprint stays the same.
    public var fingerprint: String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0100_0000_01B3
        }
        for numbered in rules {
            for byte in numbered.rule.source.utf8 { mix(byte) }
            // A line feed after each source, so the rules `a`, `bc` and `ab`, `c` differ.
            mix(0x0A)
        }
        // State folded from other upcasters' events is not this state either.
        for line in upcasters.lines {
            for byte in line.utf8 { mix(byte) }
            mix(0x0A)
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The aggregate in lines: its settings, then one line per rule.
    public func describe() -> [String] {
        var lines = [
            "aggregate \(name) folds \(source) by \(key)",
            "  event type: \(typeSource)",
            "  initial state: \(initial)",
            "  rules fingerprint: \(fingerprint)",
        ]
        if rules.isEmpty { lines.append("  no rules") }
        for numbered in rules { lines.append("  \(numbered.number). \(numbered.rule)") }
        return lines
    }

    func readType(_ record: Record) -> EventTypeReader.Read { typeReader.read(record) }

    func readType(_ record: Record, members: UnsafeMutablePointer<JSONMembers>) -> EventTypeReader.Read {
        typeReader.read(record, members: members)
    }

    func rules(for eventType: String) -> [Int] { book.positions(for: eventType) ?? [] }

}

/// A change to an aggregate that cannot be made, with what would be right.
public struct AggregateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension Aggregate {
    /// Parses an aggregate's key expression, which reads only the event, as its rules do: a
    /// rebuild must put every event under the same key each time.
    public static func keyExpression(_ source: String) throws(ExpressionSyntaxError) -> Expression {
        try Expression(source, selfContained: .fold)
    }
}
