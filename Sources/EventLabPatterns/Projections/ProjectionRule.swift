/// One rule of a projection, written after `projection NAME`:
///
///     on TYPE [when CONDITION] put KEY = VALUE
///     on TYPE [when CONDITION] delete KEY
///     on TYPE [when CONDITION] count by GROUP
///     on TYPE [when CONDITION] sum AMOUNT by GROUP
///
/// `CONDITION` runs to the action's word; `KEY` runs to a `=` standing alone, `AMOUNT` to the
/// word `by`. As in a service's rules, only words outside double quotes and brackets count, so
/// `put $.id = {"by": $.x}` holds one `=` and no `by`.
public struct ProjectionRule: Sendable, CustomStringConvertible {
    /// What a rule does to the read model with an event that meets its condition.
    public enum Action: Sendable {
        /// Sets the key's value (the key is the text of `key`'s value, as a record key is).
        case put(key: Expression, value: Expression)
        /// Removes the key's row: its value, count and sum.
        case delete(key: Expression)
        /// Adds one to the count of the group.
        case count(group: Expression)
        /// Adds the amount, an exact number, to the sum of the group.
        case sum(amount: Expression, group: Expression)
    }

    /// The words that start an action.
    static let actionWords: Set<String> = ["put", "delete", "count", "sum"]

    /// The event type the rule applies to.
    public let eventType: String
    /// The condition an event must meet, if any.
    public let condition: Expression?
    /// What the rule does.
    public let action: Action
    /// The rule as written, without surrounding spaces; evaluation errors count columns in it.
    public let source: String

    /// Where each expression starts in `source` (1-based), to place an evaluation error: the
    /// condition's, then the action's first (key, group or amount) and second (value or group).
    let conditionColumn: Int
    let firstColumn: Int
    let secondColumn: Int

    /// Parses `text`, or says at which column it goes wrong and what was expected.
    public init(_ text: String) throws(RuleSyntaxError) {
        source = text.trimmingWhitespace
        let words = RuleWords(source)
        func fail(_ index: Int, _ message: String) -> RuleSyntaxError {
            RuleSyntaxError(column: words.column(index), message: message)
        }
        func word(_ index: Int) -> String? { index < words.words.count ? words.words[index].text : nil }
        let end = words.words.count
        let actions = "`put`, `delete`, `count` or `sum`"

        let head = try RuleHead(
            words, actions: Self.actionWords, named: actions, afterCondition: actions, verb: "applies to", compile: Self.compile)
        (eventType, condition, conditionColumn) = (head.eventType, head.condition, head.conditionColumn)
        let index = head.action

        /// The expression of words `first..<limit`, which must not be empty.
        func part(_ first: Int, _ limit: Int, _ name: String, example: String) throws(RuleSyntaxError) -> (Expression, Int) {
            guard limit > first else {
                throw fail(first, "expected the \(name) after `\(words.words[first - 1].text)`, e.g. \(example), found \(words.shown(first))")
            }
            let column = words.column(first)
            return (try Self.compile(words.span(first, limit), at: column, name), column)
        }
        let start = index + 1
        switch words.words[index].text {
        case "put":
            guard let equals = (start..<end).first(where: { words.words[$0].text == "=" }) else {
                throw fail(end, "expected ` = ` and a value after the key, e.g. put $.id = $, found the end of the rule")
            }
            let (key, keyColumn) = try part(start, equals, "key", example: "put $.id = $")
            let (value, valueColumn) = try part(equals + 1, end, "value", example: "put $.id = $")
            action = .put(key: key, value: value)
            (firstColumn, secondColumn) = (keyColumn, valueColumn)
        case "delete":
            let (key, keyColumn) = try part(start, end, "key", example: "delete $.id")
            action = .delete(key: key)
            (firstColumn, secondColumn) = (keyColumn, 0)
        case "count":
            guard word(start) == "by" else {
                throw fail(start, "expected `by` and the group after `count`, e.g. count by $.customer, found \(words.shown(start))")
            }
            let (group, groupColumn) = try part(start + 1, end, "group", example: "count by $.customer")
            action = .count(group: group)
            (firstColumn, secondColumn) = (groupColumn, 0)
        default:
            guard let by = (start..<end).first(where: { words.words[$0].text == "by" }) else {
                throw fail(end, "expected `by` and the group after the amount, e.g. sum $.total by $.customer, found the end of the rule")
            }
            let (amount, amountColumn) = try part(start, by, "amount", example: "sum $.total by $.customer")
            let (group, groupColumn) = try part(by + 1, end, "group", example: "sum $.total by $.customer")
            action = .sum(amount: amount, group: group)
            (firstColumn, secondColumn) = (amountColumn, groupColumn)
        }
    }

    public var description: String { source }

    /// Every expression of the rule: its condition, then its action's.
    public var expressions: [Expression] {
        let own: [Expression] = switch action {
        case .put(let key, let value): [key, value]
        case .delete(let key): [key]
        case .count(let group): [group]
        case .sum(let amount, let group): [amount, group]
        }
        return [condition].compactMap { $0 } + own
    }

    private static func compile(_ source: String, at column: Int, _ part: String) throws(RuleSyntaxError) -> Expression {
        do throws(ExpressionSyntaxError) {
            return try Expression(source, selfContained: .projection)
        } catch {
            throw RuleSyntaxError(column: column + error.column - 1, message: "in the \(part): \(error.message)")
        }
    }
}

extension ProjectionRule: TypedRule {}
