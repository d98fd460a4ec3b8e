/// One rule of an aggregate, written after `aggregate NAME`:
///
///     on TYPE [when CONDITION] set FIELD = EXPR [, FIELD = EXPR]...
///
/// Expressions read the event as `$` and the aggregate's current state as `state`. `CONDITION`
/// runs to the word `set`; each assignment runs to the next comma outside double quotes and
/// brackets. Every expression of a rule sees the state as it was before the rule (the fields are
/// set together); the next rule sees the state this one left. `FIELD` is a top-level field of
/// the state: a plain word, or any name in double quotes.
public struct AggregateRule: Sendable, CustomStringConvertible {
    /// One `FIELD = EXPR`.
    public struct Assignment: Sendable {
        public let field: String
        public let value: Expression
        /// Where the expression starts in the rule's source (1-based).
        let column: Int
    }

    /// The name the state is read by in a rule's expressions.
    public static let stateName = "state"

    /// The event type the rule folds.
    public let eventType: String
    /// The condition an event must meet, if any.
    public let condition: Expression?
    /// The fields set, in the order written.
    public let assignments: [Assignment]
    /// The rule as written, without surrounding spaces; errors count columns in it.
    public let source: String
    /// Where the condition starts in `source` (1-based).
    let conditionColumn: Int

    /// Parses `text`, or says at which column it goes wrong and what was expected.
    public init(_ text: String) throws(RuleSyntaxError) {
        source = text.trimmingWhitespace
        let words = RuleWords(source)
        func fail(_ index: Int, _ message: String) -> RuleSyntaxError {
            RuleSyntaxError(column: words.column(index), message: message)
        }

        let head = try RuleHead(
            words, actions: ["set"], named: "`set`", afterCondition: "`set` and the fields to set", verb: "folds", compile: Self.compile)
        (eventType, condition, conditionColumn) = (head.eventType, head.condition, head.conditionColumn)
        let index = head.action
        guard index + 1 < words.words.count else {
            throw fail(index + 1, "expected FIELD = EXPRESSION after `set`, e.g. set balance = state.balance + $.amount")
        }
        assignments = try Self.assignments(words.scalars, from: words.words[index + 1].start)
    }

    public var description: String { source }

    /// Every expression of the rule: its condition, then the values it sets.
    public var expressions: [Expression] { [condition].compactMap { $0 } + assignments.map(\.value) }

    /// The assignments in `scalars` from `start`, split at top-level commas.
    private static func assignments(_ scalars: [Unicode.Scalar], from start: Int) throws(RuleSyntaxError) -> [Assignment] {
        var parts: [Range<Int>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var begun = start
        for index in start..<scalars.count {
            let scalar = scalars[index]
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            switch scalar {
            case "\"": inString = true
            case "{", "[", "(": depth += 1
            case "}", "]", ")": depth = max(0, depth - 1)
            case "," where depth == 0:
                parts.append(begun..<index)
                begun = index + 1
            default: break
            }
        }
        parts.append(begun..<scalars.count)
        var assignments: [Assignment] = []
        for part in parts {
            let assignment = try Self.assignment(scalars, part)
            guard !assignments.contains(where: { $0.field == assignment.field }) else {
                throw RuleSyntaxError(
                    column: part.lowerBound + 1 + Self.leadingSpaces(scalars, part),
                    message: "the rule already sets `\(assignment.field)`: set each field once")
            }
            assignments.append(assignment)
        }
        return assignments
    }

    private static func leadingSpaces(_ scalars: [Unicode.Scalar], _ part: Range<Int>) -> Int {
        scalars[part].prefix(while: { $0.properties.isWhitespace }).count
    }

    /// `FIELD = EXPR` in `part` of `scalars`.
    private static func assignment(_ scalars: [Unicode.Scalar], _ part: Range<Int>) throws(RuleSyntaxError) -> Assignment {
        var index = part.lowerBound + leadingSpaces(scalars, part)
        func fail(_ message: String) -> RuleSyntaxError { RuleSyntaxError(column: index + 1, message: message) }
        func found() -> String {
            guard index < part.upperBound else { return part.upperBound < scalars.count ? "`,`" : "the end of the rule" }
            let scalar = scalars[index]
            return "`\(scalar.properties.isWhitespace || scalar.value < 0x20 ? scalar.escaped(asASCII: false) : String(scalar))`"
        }
        let field: String
        if index < part.upperBound, scalars[index] == "\"" {
            guard let (name, written) = quotedName(scalars, from: index, to: part.upperBound) else {
                throw fail("expected a field name in double quotes that end, e.g. \"opened-at\"")
            }
            field = name
            index += written
        } else {
            let start = index
            while index < part.upperBound, scalars[index].isASCII, Lexer.isNameByte(UInt8(scalars[index].value)) { index += 1 }
            let name = RuleWords.text(scalars[start..<index])
            guard Lexer.isPlainWord(name) else {
                index = start
                throw fail("expected a field of the state to set (a plain word, or a name in double quotes), found \(found())")
            }
            field = name
        }
        while index < part.upperBound, scalars[index].properties.isWhitespace { index += 1 }
        guard index < part.upperBound, scalars[index] == "=", index + 1 == part.upperBound || scalars[index + 1] != "=" else {
            throw fail("expected `=` and the value after the field `\(field)`, found \(found())")
        }
        index += 1
        while index < part.upperBound, scalars[index].properties.isWhitespace { index += 1 }
        guard index < part.upperBound else {
            throw fail("expected the value of `\(field)` after `=`, e.g. \(field) = state.\(field) + $.amount, found \(found())")
        }
        let column = index + 1
        let text = RuleWords.text(scalars[index..<part.upperBound]).trimmingWhitespace
        return Assignment(field: field, value: try compile(text, at: column, "value of \(field)"), column: column)
    }

    /// The name in double quotes at `start` and how many scalars it is written in.
    private static func quotedName(_ scalars: [Unicode.Scalar], from start: Int, to end: Int) -> (String, Int)? {
        var escaped = false
        for index in (start + 1)..<end {
            if escaped { escaped = false } else if scalars[index] == "\\" { escaped = true } else if scalars[index] == "\"" {
                guard case .string(let name)? = try? JSONParser.parse(RuleWords.text(scalars[start...index])) else { return nil }
                return (name, index - start + 1)
            }
        }
        return nil
    }

    private static func compile(_ source: String, at column: Int, _ part: String) throws(RuleSyntaxError) -> Expression {
        do throws(ExpressionSyntaxError) {
            return try Expression(source, parameter: stateName, hasEvent: true, selfContained: .fold)
        } catch {
            throw RuleSyntaxError(column: column + error.column - 1, message: "in the \(part): \(error.message)")
        }
    }
}

extension AggregateRule: TypedRule {}
