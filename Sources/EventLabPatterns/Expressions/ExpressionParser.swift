/// Recursive descent over the tokens, lowest precedence first:
/// `if…then…else`, `or`, `and`, `not`, comparisons (not chained), `+ -`, `* / %`, unary `-`,
/// steps (`.name`, `."name"`, `[N]`), then values.
struct ExpressionParser {
    /// The deepest nesting of parentheses, templates and operators accepted.
    static let maxDepth = 64

    private let lexer: Lexer
    private let tokens: [Token]
    /// The name bound besides the event: a query's parameter, or an aggregate's state.
    private let parameter: String?
    /// False for a query's answer, which has no event; an aggregate's rule has one.
    private let hasEvent: Bool
    private var position = 0
    private var depth = 0

    /// Why tables and services are refused, when the expression reads only its own input.
    private let selfContained: SelfContained?

    init(_ source: String, parameter: String? = nil, hasEvent: Bool = false, selfContained: SelfContained? = nil) throws(ExpressionSyntaxError) {
        self.selfContained = selfContained
        lexer = Lexer(source: Array(source.utf8))
        tokens = try lexer.tokens()
        self.parameter = parameter
        self.hasEvent = parameter == nil || hasEvent
    }

    /// The parameter's name when the expression has no event to read.
    private var eventless: String? { hasEvent ? nil : parameter }

    /// Parses the whole source as one expression.
    mutating func parse() throws(ExpressionSyntaxError) -> Node {
        let node = try expression()
        guard case .end = current.kind else {
            throw error("expected an operator or the end of the expression after \(previous.shown), found \(current.shown)")
        }
        return node
    }

    // MARK: - Tokens

    private var current: Token { tokens[position] }
    private var previous: Token { tokens[max(0, position - 1)] }
    private var column: Int { lexer.column(of: current.offset) }

    private func error(_ message: String) -> ExpressionSyntaxError {
        ExpressionSyntaxError(column: column, message: message)
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    private func isName(_ name: String) -> Bool { current.kind == .name(name) }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    /// Steps over `symbol`, or says what it is for and what was found, with `hint`'s advice on it.
    private mutating func expect(_ symbol: String, _ purpose: String, hint: (Token) -> String = { _ in "" }) throws(ExpressionSyntaxError) {
        guard isSymbol(symbol) else { throw error("expected `\(symbol)` \(purpose), found \(current.shown)" + hint(current)) }
        advance()
    }

    private mutating func nested<T>(_ body: (inout ExpressionParser) throws(ExpressionSyntaxError) -> T) throws(ExpressionSyntaxError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw error("the expression nests deeper than \(Self.maxDepth) levels") }
        return try body(&self)
    }

    /// Counts one more link of an operator chain (`a + b + c` nests like parentheses when evaluated).
    private mutating func deepen() throws(ExpressionSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("the expression nests deeper than \(Self.maxDepth) levels") }
    }

    // MARK: - Grammar

    private mutating func expression() throws(ExpressionSyntaxError) -> Node {
        try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.or() }
    }

    private mutating func or() throws(ExpressionSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try and()
        while isName("or") {
            try deepen()
            let column = self.column
            advance()
            left = .or(left, try and(), column: column)
        }
        return left
    }

    private mutating func and() throws(ExpressionSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try not()
        while isName("and") {
            try deepen()
            let column = self.column
            advance()
            left = .and(left, try not(), column: column)
        }
        return left
    }

    private mutating func not() throws(ExpressionSyntaxError) -> Node {
        guard isName("not") else { return try comparison() }
        let column = self.column
        advance()
        let operand = try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.not() }
        return .unary(.not, operand, column: column)
    }

    private static let comparisons: [String: Node.BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private mutating func comparison() throws(ExpressionSyntaxError) -> Node {
        let left = try additive()
        guard case .symbol(let symbol) = current.kind, let op = Self.comparisons[symbol] else { return left }
        let column = self.column
        advance()
        let node = Node.binary(op, left, try additive(), column: column)
        if case .symbol(let next) = current.kind, Self.comparisons[next] != nil {
            throw error("comparisons do not chain: join two comparisons with `and`, found \(current.shown)")
        }
        return node
    }

    private mutating func additive() throws(ExpressionSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try multiplicative()
        while isSymbol("+") || isSymbol("-") {
            try deepen()
            let op: Node.BinaryOperator = isSymbol("+") ? .add : .subtract
            let column = self.column
            advance()
            left = .binary(op, left, try multiplicative(), column: column)
        }
        return left
    }

    private mutating func multiplicative() throws(ExpressionSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        var left = try unary()
        while isSymbol("*") || isSymbol("/") || isSymbol("%") {
            try deepen()
            let op: Node.BinaryOperator = isSymbol("*") ? .multiply : isSymbol("/") ? .divide : .remainder
            let column = self.column
            advance()
            left = .binary(op, left, try unary(), column: column)
        }
        return left
    }

    private mutating func unary() throws(ExpressionSyntaxError) -> Node {
        guard isSymbol("-") else { return try postfix() }
        let column = self.column
        advance()
        let operand = try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.unary() }
        if case .literal(.number(let number)) = operand, let negated = try? ExactNumber.negating(number) {
            return .literal(.number(negated))
        }
        return .unary(.negate, operand, column: column)
    }

    private mutating func postfix() throws(ExpressionSyntaxError) -> Node {
        let saved = depth
        defer { depth = saved }
        let start = current.offset
        var node = try primary()
        while true {
            let column = self.column
            let step: JSONPathStep
            if isSymbol(".") {
                advance()
                switch current.kind {
                case .name(let name):
                    step = .member(name)
                    if let message = Self.dashedField(name, at: position, in: tokens, pathStart: start, lexer, parameter: parameter) { throw error(message) }
                case .string(let name): step = .member(name)
                default:
                    throw error("expected a field name after `.` (in double quotes if it is not a plain word), found \(current.shown)")
                }
                advance()
            } else if isSymbol("[") {
                advance()
                guard case .number(let number) = current.kind, number.isInteger, let index = Int(exactly: number.mantissa) else {
                    throw error("expected a whole number of 0 or more after `[`, found \(current.shown)")
                }
                advance()
                try expect("]", "after an index")
                step = .index(index)
            } else {
                return node
            }
            if case .field(let path, let fieldColumn) = node {
                node = .field(path + [step], column: fieldColumn)
            } else {
                try deepen()
                node = .step(node, step, column: column)
            }
        }
    }

    private static let reserved: Set<String> = ["and", "or", "not", "if", "then", "else"]

    /// Whether `name` means something of its own in the language, so it cannot name a parameter.
    static func isLanguageName(_ name: String) -> Bool {
        reserved.contains(name) || ["true", "false", "null", "call"].contains(name)
            || Node.Metadata(rawValue: name) != nil || Node.Function(rawValue: name) != nil
    }

    private mutating func primary() throws(ExpressionSyntaxError) -> Node {
        let token = current
        let column = self.column
        switch token.kind {
        case .number(let number):
            advance()
            return .literal(.number(number))
        case .string(let text):
            advance()
            return .literal(.string(text))
        case .symbol("$"):
            if let parameter = eventless { throw error(Self.noEvent("`$`", parameter)) }
            advance()
            return .field([], column: column)
        case .symbol("("):
            advance()
            let inner = try expression()
            try expect(")", "to close the `(` at column \(column)")
            return inner
        case .symbol("{"):
            return try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.object() }
        case .symbol("["):
            return try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.array() }
        case .name("true"):
            advance()
            return .literal(.bool(true))
        case .name("false"):
            advance()
            return .literal(.bool(false))
        case .name("null"):
            advance()
            return .literal(.null)
        case .name("if"):
            return try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.conditional() }
        case .name(let name) where name == parameter:
            advance()
            return .parameter
        case .name("call"):
            return try nested { (parser: inout ExpressionParser) throws(ExpressionSyntaxError) in try parser.serviceCall() }
        case .name(let name):
            if let metadata = Node.Metadata(rawValue: name) {
                if let parameter = eventless { throw error(Self.noEvent("`\(name)`", parameter)) }
                advance()
                return .metadata(metadata, column: column)
            }
            if let function = Node.Function(rawValue: name) {
                if let parameter = eventless, function == .header { throw error(Self.noEvent("`header`", parameter)) }
                advance()
                return try call(function, column: column)
            }
            if Self.reserved.contains(name) {
                throw error(valueExpected(found: token.shown))
            }
            advance()
            if let message = Self.dashedName(name, before: current, lexer, at: token.offset) {
                throw ExpressionSyntaxError(column: column, message: message)
            }
            if isSymbol("(") {
                let known = Node.Function.allCases.map(\.rawValue).joined(separator: ", ")
                throw ExpressionSyntaxError(column: column, message: "unknown function `\(name)`; the functions are \(known)")
            }
            if let parameter = eventless {
                throw ExpressionSyntaxError(
                    column: column,
                    message: "unknown name `\(name)`: the answer's parameter is `\(parameter)`, text is written in double quotes")
            }
            if let parameter {
                throw ExpressionSyntaxError(
                    column: column,
                    message: "unknown name `\(name)`: a field of the event is written `$.\(name)`, of the state `\(parameter).\(name)`, text in double quotes")
            }
            throw ExpressionSyntaxError(
                column: column,
                message: "unknown name `\(name)`: a field of the event is written `$.\(name)`, text is written in double quotes")
        default:
            throw error(valueExpected(found: token.shown))
        }
    }

    /// Refuses what reads the event in a query's answer.
    private static func noEvent(_ what: String, _ parameter: String) -> String {
        "an answer has no event, so \(what) cannot be used in it: its input is the parameter `\(parameter)`"
    }

    /// `call SERVICE.QUERY(EXPR)`, each name a plain word or in double quotes.
    private mutating func serviceCall() throws(ExpressionSyntaxError) -> Node {
        let column = self.column
        if let selfContained { throw error(selfContained.refusal("call a service")) }
        if let parameter = eventless {
            throw error("an answer cannot call a service: it answers from tables and its parameter `\(parameter)`")
        }
        advance()
        let serviceToken = current
        let service = try callName(
            "expected the service to call after `call` (in double quotes if it is not a plain word), e.g. call customers.address($.customer), found \(current.shown)")
        let lexer = self.lexer
        try expect(".", "and the query's name after `call \(Evaluator.written(service))`") { Self.quotedCallHint(found: $0, service: serviceToken, query: nil, lexer) }
        let queryToken = current
        let query = try callName("expected the query's name after `.` (in double quotes if it is not a plain word), found \(current.shown)")
        let shown = Evaluator.callName(service, query)
        try expect("(", "and the argument after `call \(shown)`, e.g. call \(shown)($.id)") { Self.quotedCallHint(found: $0, service: serviceToken, query: queryToken, lexer) }
        let argument = try expression()
        if isSymbol(",") { throw error("a query takes one argument: call \(shown)(EXPRESSION), found `,`") }
        try expect(")", "to close the argument of `call \(shown)`")
        return .serviceCall(service: service, query: query, argument: argument, column: column)
    }

    private mutating func callName(_ message: String) throws(ExpressionSyntaxError) -> String {
        switch current.kind {
        case .name(let name), .string(let name):
            advance()
            return name
        default:
            throw error(message)
        }
    }

    private func valueExpected(found: String) -> String {
        position == 0 ? "expected a value, found \(found)" : "expected a value after \(previous.shown), found \(found)"
    }

    private mutating func call(_ function: Node.Function, column: Int) throws(ExpressionSyntaxError) -> Node {
        if function == .table, let selfContained {
            throw ExpressionSyntaxError(column: column, message: selfContained.refusal("look up a table"))
        }
        try expect("(", "after `\(function.rawValue)`")
        var arguments: [Node] = []
        if !isSymbol(")") {
            while true {
                arguments.append(try expression())
                guard isSymbol(",") else { break }
                advance()
            }
        }
        guard arguments.count == function.arity else {
            if arguments.count < function.arity, !isSymbol(")") {
                throw error("expected `,` or `)` in the arguments of `\(function.rawValue)`, found \(current.shown)")
            }
            throw ExpressionSyntaxError(
                column: column,
                message: "`\(function.rawValue)` takes \(function.arity == 1 ? "one argument" : "two arguments"): \(function.signature)")
        }
        try expect(")", "to close the arguments of `\(function.rawValue)`")
        return .call(function, arguments, column: column)
    }

    private mutating func conditional() throws(ExpressionSyntaxError) -> Node {
        let column = self.column
        advance()
        let condition = try expression()
        guard isName("then") else { throw error("expected `then` after the condition of `if`, found \(current.shown)") }
        advance()
        let whenTrue = try expression()
        guard isName("else") else { throw error("expected `else` after the `then` branch, found \(current.shown)") }
        advance()
        return .conditional(condition, then: whenTrue, else: try expression(), column: column)
    }

    private mutating func object() throws(ExpressionSyntaxError) -> Node {
        advance()
        var members: [(key: String, value: Node)] = []
        if isSymbol("}") {
            advance()
            return .object(members)
        }
        while true {
            guard case .string(let key) = current.kind else {
                throw error("expected a member name in double quotes, found \(current.shown)")
            }
            if members.contains(where: { $0.key == key }) {
                throw error("the member name \(current.shown) appears twice")
            }
            advance()
            try expect(":", "after a member name")
            members.append((key, try expression()))
            if isSymbol(",") {
                advance()
                continue
            }
            try expect("}", "or `,` after a member's value")
            return .object(members)
        }
    }

    private mutating func array() throws(ExpressionSyntaxError) -> Node {
        advance()
        var elements: [Node] = []
        if isSymbol("]") {
            advance()
            return .array(elements)
        }
        while true {
            elements.append(try expression())
            if isSymbol(",") {
                advance()
                continue
            }
            try expect("]", "or `,` after an element")
            return .array(elements)
        }
    }
}
