/// A rule that reacts to one event type.
public protocol TypedRule: Sendable {
    /// The event type the rule reacts to.
    var eventType: String { get }
}

/// Rules numbered for their owner's life, in number order, indexed by event type. A number is
/// never given twice: removing rule 2 leaves 1 and 3, and the next rule added is 4.
public struct NumberedRules<Rule: TypedRule>: Sendable {
    /// A rule with its number.
    public struct Numbered: Sendable {
        public let number: Int
        public let rule: Rule
    }

    /// Why a rule number cannot be used; the owner says it in its own words.
    public enum NumberError: Error {
        /// A rule has the number already.
        case taken(Int)
        /// No rule has the number; `known` are the numbers there are.
        case missing(Int, known: [Int])
    }

    /// The rules, in number order.
    public private(set) var all: [Numbered] = []
    /// The number the next rule added without one gets.
    public private(set) var nextNumber = 1
    /// The positions in `all` of each event type's rules, in number order.
    private var byType: [String: [Int]] = [:]

    public init() {}

    /// Adds `rule` and returns its number: the next, or `number` when given (as an exported
    /// definition's lines give each rule its own) and no rule has it now.
    mutating func add(_ rule: Rule, number wanted: Int?) throws(NumberError) -> Int {
        let number = wanted ?? nextNumber
        guard number > 0, !all.contains(where: { $0.number == number }) else { throw .taken(number) }
        nextNumber = max(nextNumber, number + 1)
        all.append(Numbered(number: number, rule: rule))
        all.sort { $0.number < $1.number }
        index()
        return number
    }

    /// Makes the next rule added without a number get at least `number`.
    mutating func numberFrom(_ number: Int) {
        nextNumber = max(nextNumber, number)
    }

    /// Removes rule `number`; the others keep their numbers.
    mutating func remove(_ number: Int) throws(NumberError) {
        all.remove(at: try position(of: number))
        index()
    }

    /// Puts `rule` in place of rule `number`, which keeps its number.
    mutating func replace(_ number: Int, with rule: Rule) throws(NumberError) {
        all[try position(of: number)] = Numbered(number: number, rule: rule)
        index()
    }

    /// The positions in ``all`` of the rules for `eventType`, in number order.
    func positions(for eventType: String) -> [Int]? { byType[eventType] }

    private func position(of number: Int) throws(NumberError) -> Int {
        guard let position = all.firstIndex(where: { $0.number == number }) else {
            throw .missing(number, known: all.map(\.number))
        }
        return position
    }

    private mutating func index() {
        byType = [:]
        for (position, numbered) in all.enumerated() {
            byType[numbered.rule.eventType, default: []].append(position)
        }
    }
}

extension NumberedRules.NumberError {
    /// The error in a sentence about `owner` (`aggregate account`), whose rules `edit` changes.
    func message(_ owner: String, edit: String) -> String {
        switch self {
        case .taken(let number):
            "\(owner) already has a rule \(number): `\(edit) replace \(number) on …` changes it"
        case .missing(let number, let known):
            "\(owner) has no rule \(number): " + (known.isEmpty ? "it has no rules" : "its rules are \(known.map(String.init).joined(separator: ", "))")
        }
    }
}
