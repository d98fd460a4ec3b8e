import EventLabCore

/// One upcaster, written after `upcast`:
///
///     on TYPE [when CONDITION] to TEMPLATE
///
/// An event of TYPE (for which CONDITION holds) is read as TEMPLATE's value instead of its own:
/// the log keeps the old shape, and every service, aggregate and projection reads the new one.
/// `CONDITION` runs to the word `to`; TEMPLATE is the rest, a JSON template whose expressions
/// read the old event as `$`, as a service's `emit` template does. It must give a JSON object;
/// it may change the type field, so an upcaster can turn a `v1` event into a `v2` one. An
/// upcaster reads only its event — no tables, no calls — so one record always upcasts the same.
public struct Upcaster: Sendable, CustomStringConvertible {
    /// The event type the upcaster rewrites.
    public let eventType: String
    /// The condition an event must meet, if any.
    public let condition: Expression?
    /// The event's new value.
    public let template: Expression
    /// The upcaster as written, on one line (``RuleText/oneLine(_:)``) and without surrounding
    /// spaces: what `upcast list` and `flow export` show; errors count columns in it.
    public let source: String

    /// Where each expression starts in `source` (1-based), to place an evaluation error.
    let conditionColumn: Int
    let templateColumn: Int

    /// Parses `text`, or says at which column it goes wrong and what was expected.
    public init(_ text: String) throws(RuleSyntaxError) {
        source = RuleText.oneLine(text).trimmingWhitespace
        let words = RuleWords(source)
        let head = try RuleHead(
            words, actions: ["to"], named: "`to`", afterCondition: "`to` and the new shape", verb: "rewrites", compile: Self.compile)
        (eventType, condition, conditionColumn) = (head.eventType, head.condition, head.conditionColumn)
        let start = head.action + 1
        guard start < words.words.count else {
            throw RuleSyntaxError(
                column: words.column(start),
                message: "expected the new shape after `to`, e.g. {\"type\":\"Deposited.v2\",\"cents\":$.amount * 100}, found the end of the upcaster")
        }
        templateColumn = words.column(start)
        template = try Self.compile(words.span(start, words.words.count), at: templateColumn, "template")
        try Self.checkShape(template, at: templateColumn)
    }

    /// Refuses a template that can never give an object — a literal of another kind, or an
    /// array — as it would fail on every record of the type.
    private static func checkShape(_ template: Expression, at column: Int) throws(RuleSyntaxError) {
        let kind: String
        switch template.root {
        case .array: kind = "an array"
        case .literal(let value):
            if case .object = value { return }
            kind = value.kind
        default: return
        }
        throw RuleSyntaxError(
            column: column,
            message: "the new shape must be a JSON object, as {\"type\":\"Deposited.v2\",\"cents\":$.amount * 100}, but this one is \(kind)")
    }

    public var description: String { source }

    /// Compiles one of the upcaster's expressions, refusing what would make the same record
    /// upcast differently on another read: a table's contents and another service's answers change.
    private static func compile(_ source: String, at column: Int, _ part: String) throws(RuleSyntaxError) -> Expression {
        do throws(ExpressionSyntaxError) {
            return try Expression(source, selfContained: .upcaster)
        } catch {
            throw RuleSyntaxError(column: column + error.column - 1, message: "in the \(part): \(error.message)")
        }
    }
}

extension Upcaster: TypedRule {}
