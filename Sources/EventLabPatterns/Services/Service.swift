import EventLabCore

/// A service's definition: a named consumer of its source topics whose numbered rules turn each
/// event into new ones. A pure value: `react(to:topic:partition:tables:)` returns what to do,
/// and a runtime does it.
public struct Service: Sendable {
    /// A rule with the number it keeps for the service's life.
    public struct NumberedRule: Sendable {
        public let number: Int
        public let rule: ServiceRule
        /// `service/number`, the `eventlab.rule` header of what the rule emits.
        let tag: [UInt8]
    }

    /// The service's name, also its consumer group's.
    public let name: String
    /// The topics it reads.
    public var sources: [String]
    /// Where each record's event type is read.
    public let typeSource: EventTypeSource
    /// When offsets are committed.
    public var commit: CommitMode
    /// Where poison records go instead of stopping the service.
    public var deadLetter: String?
    /// The rules, by number. Numbers are never reused, so `rule 3` in a dead letter's headers
    /// still means the same rule after rule 2 is removed.
    public private(set) var rules: [NumberedRule] = []
    private var nextNumber = 1
    /// The indices into `rules` of each event type's rules, in number order.
    private var rulesByType: [String: [Int]] = [:]
    /// Reads the event type when it is a field.
    let typeField: Expression?

    /// A service named `name` reading `sources`, with no rules yet.
    public init(
        name: String, sources: [String], typeSource: EventTypeSource = .field("type"),
        commit: CommitMode = .after, deadLetter: String? = nil
    ) {
        self.name = name
        self.sources = sources
        self.typeSource = typeSource
        self.commit = commit
        self.deadLetter = deadLetter
        if case .field(let field) = typeSource {
            let quoted = String(decoding: JSONPrinter.bytes(.string(field)), as: UTF8.self)
            // A member name in JSON's quotes is always a valid step.
            typeField = try! Expression("$.\(quoted)")
        } else {
            typeField = nil
        }
    }

    /// Adds `rule` and returns its number: `number` when given, which may skip numbers but not
    /// go back (an exported service keeps its numbers), else the next.
    @discardableResult
    public mutating func add(_ rule: ServiceRule, number wanted: Int? = nil) throws(ServiceError) -> Int {
        let number = wanted ?? nextNumber
        guard number >= nextNumber else {
            throw ServiceError("service \(name) cannot take a rule \(number): its next rule is \(nextNumber), and numbers are never reused")
        }
        nextNumber = number + 1
        rules.append(NumberedRule(number: number, rule: rule, tag: Array("\(name)/\(number)".utf8)))
        index()
        return number
    }

    /// Removes rule `number`; the others keep their numbers.
    public mutating func remove(_ number: Int) throws(ServiceError) {
        rules.remove(at: try position(of: number))
        index()
    }

    /// Puts `rule` in place of rule `number`, which keeps its number.
    public mutating func replace(_ number: Int, with rule: ServiceRule) throws(ServiceError) {
        rules[try position(of: number)] = NumberedRule(number: number, rule: rule, tag: Array("\(name)/\(number)".utf8))
        index()
    }

    /// The service in lines, for `service describe`: its settings, then one line per rule.
    public func describe() -> [String] {
        var lines = [
            "service \(name) reads \(sources.joined(separator: ", "))",
            "  event type: \(typeSource)",
            "  commit: \(commit.rawValue) (\(commit == .after ? "at-least-once" : "at-most-once"))",
            "  dead letters: \(deadLetter ?? "none (a poison record stops the service)")",
        ]
        if rules.isEmpty { lines.append("  no rules") }
        for numbered in rules { lines.append("  \(numbered.number). \(numbered.rule)") }
        return lines
    }

    private func position(of number: Int) throws(ServiceError) -> Int {
        guard let position = rules.firstIndex(where: { $0.number == number }) else {
            let known = rules.isEmpty ? "it has no rules" : "its rules are \(rules.map { String($0.number) }.joined(separator: ", "))"
            throw ServiceError("service \(name) has no rule \(number): \(known)")
        }
        return position
    }

    private mutating func index() {
        rulesByType = [:]
        for (position, numbered) in rules.enumerated() {
            rulesByType[numbered.rule.eventType, default: []].append(position)
        }
    }

    func rules(for eventType: String) -> [Int] { rulesByType[eventType] ?? [] }
}

/// A change to a service that cannot be made, with what would be right.
public struct ServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
