import EventLabCore

/// An aggregate's definition: state per key folded from the events of one topic (event
/// sourcing). A pure value: `fold(_:_:partition:)` returns the state an event leaves, and
/// `Aggregate+Broker` replays a topic through it.
public struct Aggregate: Sendable {
    /// A rule with the number it keeps for the aggregate's life.
    public struct NumberedRule: Sendable {
        public let number: Int
        public let rule: AggregateRule
    }

    /// The aggregate's name.
    public let name: String
    /// The topic its events are read from.
    public let source: String
    /// Each event's aggregate key, e.g. `$.account`; its records should be keyed by it too.
    public let key: Expression
    /// The state of a key before its first event: a JSON object.
    public let initial: JSON
    /// Where each record's event type is read.
    public var typeSource: EventTypeSource { typeReader.source }
    /// The rules, by number. Numbers are never reused, so a rule named in an error means the
    /// same rule after others are removed.
    public private(set) var rules: [NumberedRule] = []
    /// The number the next rule added without one gets.
    public private(set) var nextNumber = 1
    /// The indices into `rules` of each event type's rules, in number order.
    private var rulesByType: [String: [Int]] = [:]
    /// Reads each record's event type, as a service and a projection do.
    private let typeReader: EventTypeReader

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
        let number = wanted ?? nextNumber
        guard number > 0, !rules.contains(where: { $0.number == number }) else {
            throw AggregateError("aggregate \(name) already has a rule \(number): `aggregate \(name) replace \(number) on …` changes it")
        }
        nextNumber = max(nextNumber, number + 1)
        rules.append(NumberedRule(number: number, rule: rule))
        rules.sort { $0.number < $1.number }
        index()
        return number
    }

    /// Makes the next rule added without a number get at least `number`, as the rules removed
    /// since kept theirs.
    public mutating func numberRules(from number: Int) {
        nextNumber = max(nextNumber, number)
    }

    /// Removes rule `number`; the others keep their numbers.
    public mutating func remove(_ number: Int) throws(AggregateError) {
        rules.remove(at: try position(of: number))
        index()
    }

    /// Puts `rule` in place of rule `number`, which keeps its number.
    public mutating func replace(_ number: Int, with rule: AggregateRule) throws(AggregateError) {
        rules[try position(of: number)] = NumberedRule(number: number, rule: rule)
        index()
    }

    /// A stable hash of the rules' sources in number order, as 16 hex digits: state folded under
    /// one fingerprint may be reused (a snapshot) only while the fingerprint stays the same.
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

    func rules(for eventType: String) -> [Int] { rulesByType[eventType] ?? [] }

    private func position(of number: Int) throws(AggregateError) -> Int {
        guard let position = rules.firstIndex(where: { $0.number == number }) else {
            let known = rules.isEmpty ? "it has no rules" : "its rules are \(rules.map { String($0.number) }.joined(separator: ", "))"
            throw AggregateError("aggregate \(name) has no rule \(number): \(known)")
        }
        return position
    }

    private mutating func index() {
        rulesByType = [:]
        for (position, numbered) in rules.enumerated() {
            rulesByType[numbered.rule.eventType, default: []].append(position)
        }
    }
}

/// A change to an aggregate that cannot be made, with what would be right.
public struct AggregateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
