import EventLabCore

/// A service's definition: a named consumer of its source topics whose numbered rules turn each
/// event into new ones, and which may answer named queries for other services' calls. A pure
/// value: `react(to:topic:partition:tables:)` returns what to do, and a runtime does it.
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
    /// Each record's id, when the service skips records whose id it has handled before (an
    /// idempotent consumer); it remembers the ids in ``dedupeTopic``.
    public var dedupe: Expression?
    /// The rules, by number. Numbers are never reused, so `rule 3` in a dead letter's headers
    /// still means the same rule after rule 2 is removed.
    public private(set) var rules: [NumberedRule] = []
    /// The number the next rule added without one gets.
    public private(set) var nextNumber = 1
    /// The indices into `rules` of each event type's rules, in number order.
    private var rulesByType: [String: [Int]] = [:]
    /// The queries it answers for other services' calls, in the order they were added.
    public private(set) var queries: [ServiceQuery] = []
    /// Reads each record's event type.
    let typeReader: EventTypeReader
    /// The upcasters in force, applied to each record before the service reads it.
    public var upcasters = Upcasters()

    /// A service named `name` reading `sources`, with no rules yet.
    public init(
        name: String, sources: [String], typeSource: EventTypeSource = .field("type"),
        commit: CommitMode = .after, deadLetter: String? = nil, dedupe: Expression? = nil
    ) {
        self.name = name
        self.dedupe = dedupe
        self.sources = sources
        self.typeSource = typeSource
        self.commit = commit
        self.deadLetter = deadLetter
        typeReader = EventTypeReader(typeSource)
    }

    /// Adds `rule` and returns its number: the next, which no rule had before, or `number` when
    /// given (as an exported service's lines give each rule its own) and no rule has it now.
    @discardableResult
    public mutating func add(_ rule: ServiceRule, number wanted: Int? = nil) throws(ServiceError) -> Int {
        let number = wanted ?? nextNumber
        guard number > 0, !rules.contains(where: { $0.number == number }) else {
            throw ServiceError("service \(name) already has a rule \(number): `service \(name) replace \(number) on …` changes it")
        }
        nextNumber = max(nextNumber, number + 1)
        rules.append(NumberedRule(number: number, rule: rule, tag: Array("\(name)/\(number)".utf8)))
        index()
        return number
    }

    /// Makes the next rule added without a number get at least `number`, as the rules removed
    /// since kept theirs: an exported service keeps numbering where it was.
    public mutating func numberRules(from number: Int) {
        nextNumber = max(nextNumber, number)
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

    /// Adds `query`, which must not share its name with one the service already answers.
    public mutating func add(_ query: ServiceQuery) throws(ServiceError) {
        guard !queries.contains(where: { $0.name == query.name }) else {
            throw ServiceError("service \(name) already answers `\(query.name)`: replace it to change its answer")
        }
        queries.append(query)
    }

    /// Puts `query` in place of the query of its name, which keeps its place.
    public mutating func replace(_ query: ServiceQuery) throws(ServiceError) {
        queries[try position(ofQuery: query.name)] = query
    }

    /// Removes the query named `query`.
    public mutating func removeQuery(named query: String) throws(ServiceError) {
        queries.remove(at: try position(ofQuery: query))
    }

    /// The answer to the query named `query` for `argument`, looking tables up in `tables`: what
    /// a call of this service gets while it runs (the runtime, which knows whether it runs,
    /// answers for a stopped one).
    public func answer(query: String, argument: JSON, tables: (any ExpressionTables)?) -> CallAnswer {
        guard let found = queries.first(where: { $0.name == query }) else { return .noSuchQuery(known: queries.map(\.name)) }
        do throws(EvaluationError) {
            return .answer(try found.evaluate(argument, tables: tables))
        } catch {
            return .failed(error)
        }
    }

    /// The service in lines, for `service describe`: its settings, then one line per rule, then
    /// one per query it answers.
    public func describe() -> [String] {
        var lines = [
            "service \(name) reads \(sources.joined(separator: ", "))",
            "  event type: \(typeSource)",
            "  commit: \(commit.rawValue) (\(commit == .after ? "at-least-once" : "at-most-once"))",
            "  dead letters: \(deadLetter ?? "none (a poison record stops the service)")",
        ]
        if let dedupe { lines.append("  dedupe: skips a record whose \(dedupe) it has handled, remembered in \(dedupeTopic)") }
        if rules.isEmpty { lines.append("  no rules") }
        for numbered in rules { lines.append("  \(numbered.number). \(numbered.rule)") }
        for query in queries { lines.append("  answers \(query)") }
        return lines
    }

    private func position(ofQuery query: String) throws(ServiceError) -> Int {
        guard let position = queries.firstIndex(where: { $0.name == query }) else {
            let known = queries.isEmpty ? "it answers no queries" : "it answers \(queries.map { "`\($0.name)`" }.joined(separator: ", "))"
            throw ServiceError("service \(name) has no query `\(query)`: \(known)")
        }
        return position
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
