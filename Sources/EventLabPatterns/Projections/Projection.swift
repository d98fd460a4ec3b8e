import EventLabCore

/// A projection's definition: a named reader of its source topics whose numbered rules turn
/// events into a read model — keyed values, or counts and sums grouped by a field. A pure value:
/// ``ReadModel`` applies records with it, and nothing here reads the broker.
public struct Projection: Sendable {
    /// A rule with the number it keeps for the projection's life.
    public typealias NumberedRule = NumberedRules<ProjectionRule>.Numbered

    /// The projection's name, also its consumer group's.
    public let name: String
    /// The topics it reads.
    public var sources: [String]
    /// Where each record's event type is read.
    public let typeSource: EventTypeSource
    /// The rules, by number. Numbers are never reused, so `rule 3` in a failure still means the
    /// same rule after rule 2 is removed.
    public var rules: [NumberedRule] { book.all }
    /// The number the next rule added without one gets.
    public var nextNumber: Int { book.nextNumber }
    /// The numbered rules, indexed by event type.
    private var book = NumberedRules<ProjectionRule>()
    /// Reads each record's event type.
    let typeReader: EventTypeReader
    /// The upcasters in force, applied to each record before the projection reads it.
    public var upcasters = Upcasters()

    /// A projection named `name` reading `sources`, with no rules yet.
    public init(name: String, sources: [String], typeSource: EventTypeSource = .field("type")) {
        self.name = name
        self.sources = sources
        self.typeSource = typeSource
        typeReader = EventTypeReader(typeSource)
    }

    /// Adds `rule` and returns its number: the next, which no rule had before, or `number` when
    /// given (as an exported projection's lines give each rule its own) and no rule has it now.
    @discardableResult
    public mutating func add(_ rule: ProjectionRule, number wanted: Int? = nil) throws(ProjectionError) -> Int {
        do throws(NumberedRules<ProjectionRule>.NumberError) {
            return try book.add(rule, number: wanted)
        } catch {
            throw ProjectionError(error.message("projection \(name)", edit: "projection \(name)"))
        }
    }

    /// Makes the next rule added without a number get at least `number`, as the rules removed
    /// since kept theirs: an exported projection keeps numbering where it was.
    public mutating func numberRules(from number: Int) {
        book.numberFrom(number)
    }

    /// Removes rule `number`; the others keep their numbers.
    public mutating func remove(_ number: Int) throws(ProjectionError) {
        do throws(NumberedRules<ProjectionRule>.NumberError) {
            try book.remove(number)
        } catch {
            throw ProjectionError(error.message("projection \(name)", edit: "projection \(name)"))
        }
    }

    /// Puts `rule` in place of rule `number`, which keeps its number.
    public mutating func replace(_ number: Int, with rule: ProjectionRule) throws(ProjectionError) {
        do throws(NumberedRules<ProjectionRule>.NumberError) {
            try book.replace(number, with: rule)
        } catch {
            throw ProjectionError(error.message("projection \(name)", edit: "projection \(name)"))
        }
    }

    /// The projection in lines: its settings, then one line per rule.
    public func describe() -> [String] {
        var lines = ["projection \(name) reads \(sources.joined(separator: ", "))", "  event type: \(typeSource)"]
        if rules.isEmpty { lines.append("  no rules") }
        for numbered in rules { lines.append("  \(numbered.number). \(numbered.rule)") }
        return lines
    }

    func rules(for eventType: String) -> [Int]? { book.positions(for: eventType) }

}

/// A change to a projection that cannot be made, with what would be right.
public struct ProjectionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
