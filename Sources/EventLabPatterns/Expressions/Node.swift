/// A parsed expression: what to compute and the column errors point at.
indirect enum Node: Sendable {
    /// A literal value (numbers, text, booleans, null).
    case literal(JSON)
    /// A path into the record's value (`$`, `$.order.id`, `$.items[0]`), read with the scanner.
    case field([JSONPathStep], column: Int)
    /// A step into a computed value (`table(…).address`).
    case step(Node, JSONPathStep, column: Int)
    /// Record metadata: `key`, `offset`, `partition`, `timestamp`.
    case metadata(Metadata, column: Int)
    case object([(key: String, value: Node)])
    case array([Node])
    case unary(UnaryOperator, Node, column: Int)
    case binary(BinaryOperator, Node, Node, column: Int)
    case and(Node, Node, column: Int)
    case or(Node, Node, column: Int)
    case conditional(Node, then: Node, else: Node, column: Int)
    case call(Function, [Node], column: Int)
    /// A synchronous call of another service's named query: `call customers.address($.customer)`.
    case serviceCall(service: String, query: String, argument: Node, column: Int)
    /// A query's parameter, read by its name in the query's answer.
    case parameter

    enum Metadata: String, Sendable, CaseIterable {
        case key, offset, partition, timestamp
    }

    enum UnaryOperator: Sendable {
        case negate, not
    }

    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }

    /// The functions, with how many arguments each takes.
    enum Function: String, Sendable, CaseIterable {
        case length, lower, upper, `default`, number, string, header, table

        var arity: Int {
            switch self {
            case .default, .table: 2
            default: 1
            }
        }

        var signature: String {
            switch self {
            case .default: "default(value, fallback)"
            case .table: "table(\"name\", key)"
            case .header: "header(\"name\")"
            default: "\(rawValue)(value)"
            }
        }
    }
}
