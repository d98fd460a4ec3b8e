/// A named query a service answers for other services' calls, written after
/// `service NAME answers`:
///
///     QUERY(PARAMETER) = EXPRESSION
///
/// e.g. `address(id) = table("customer-view", id).address`. The answer is an expression of the
/// language in which the parameter is read by its bare name; it may look values up in tables,
/// but there is no event, so `$`, `header`, record metadata and calls of other services are
/// refused when it is defined.
public struct ServiceQuery: Sendable, CustomStringConvertible {
    /// The query's name, a plain word: what a caller writes after the service's name.
    public let name: String
    /// The parameter's name, a plain word that is not one of the language's own names.
    public let parameter: String
    /// The answer, computed from the parameter.
    public let answer: Expression
    /// The definition as written, without surrounding spaces; errors count columns in it.
    public let source: String
    /// Where the answer starts in `source` (1-based), to place an evaluation error.
    let answerColumn: Int

    /// Parses `text`, or says at which column it goes wrong and what was expected.
    public init(_ text: String) throws(ExpressionSyntaxError) {
        source = text.trimmingWhitespace
        let scalars = Array(source.unicodeScalars)
        var index = 0
        func fail(_ message: String) -> ExpressionSyntaxError { ExpressionSyntaxError(column: index + 1, message: message) }
        func found() -> String {
            guard index < scalars.count else { return "the end of the definition" }
            let scalar = scalars[index]
            return "`\(scalar.properties.isWhitespace || scalar.value < 0x20 ? scalar.escaped(asASCII: false) : String(scalar))`"
        }
        func skipSpaces() { while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 } }
        func word() -> String? {
            let start = index
            while index < scalars.count, scalars[index].isASCII, Lexer.isNameByte(UInt8(scalars[index].value)) { index += 1 }
            let word = RuleWords.text(scalars[start..<index])
            guard Lexer.isPlainWord(word) else {
                index = start
                return nil
            }
            return word
        }

        guard let name = word() else {
            throw fail("expected the query's name, a plain word such as `address`, found \(found())")
        }
        skipSpaces()
        guard index < scalars.count, scalars[index] == "(" else {
            throw fail("expected `(` and the parameter after the query's name, e.g. \(name)(id) = …, found \(found())")
        }
        index += 1
        skipSpaces()
        let parameterColumn = index + 1
        guard let parameter = word() else {
            throw fail("expected the parameter's name after `(`, a plain word such as `id`, found \(found())")
        }
        guard !ExpressionParser.isLanguageName(parameter) else {
            throw ExpressionSyntaxError(
                column: parameterColumn,
                message: "`\(parameter)` has a meaning of its own in the language: call the parameter something else, e.g. `id`")
        }
        skipSpaces()
        guard index < scalars.count, scalars[index] == ")" else {
            throw fail("expected `)` after the parameter `\(parameter)` (a query takes one), found \(found())")
        }
        index += 1
        skipSpaces()
        guard index < scalars.count, scalars[index] == "=", index + 1 == scalars.count || scalars[index + 1] != "=" else {
            throw fail("expected `=` and the answer after `\(name)(\(parameter))`, found \(found())")
        }
        index += 1
        skipSpaces()
        guard index < scalars.count else {
            throw fail("expected the answer after `=`, e.g. \(name)(\(parameter)) = table(\"customer-view\", \(parameter))")
        }
        answerColumn = index + 1
        do throws(ExpressionSyntaxError) {
            answer = try Expression(RuleWords.text(scalars[index...]), parameter: parameter)
        } catch {
            throw ExpressionSyntaxError(column: answerColumn + error.column - 1, message: "in the answer: \(error.message)")
        }
        self.name = name
        self.parameter = parameter
    }

    public var description: String { source }

    /// The answer for `argument`, or why it failed, with the column in ``source``.
    func evaluate(_ argument: JSON, tables: (any ExpressionTables)?) throws(EvaluationError) -> JSON {
        do throws(EvaluationError) {
            return try answer.answer(argument, tables: tables)
        } catch {
            throw EvaluationError(error.kind, column: answerColumn + error.column - 1, error.message)
        }
    }
}
