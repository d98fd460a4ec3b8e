extension Expression {
    /// A query of another service that an expression calls: `call customers.address(…)`.
    public struct CallTarget: Hashable, Sendable, Comparable, CustomStringConvertible {
        public let service: String
        public let query: String

        /// As a rule writes it: `customers.address`, `"customer-svc".address`.
        public var description: String { Evaluator.callName(service, query) }

        public static func < (a: Self, b: Self) -> Bool { (a.service, a.query) < (b.service, b.query) }
    }

    /// The tables the expression looks up by a literal name, as `table("customer-view", $.customer)`
    /// does; a name computed from the record is not known until it runs and is left out.
    public var tablesLookedUp: Set<String> {
        var found: Set<String> = []
        Self.visit(root) { node in
            if case .call(.table, let arguments, _) = node, case .literal(.string(let name))? = arguments.first { found.insert(name) }
        }
        return found
    }

    /// The services' queries the expression calls; a call's names are always written out.
    public var callsMade: Set<CallTarget> {
        var found: Set<CallTarget> = []
        Self.visit(root) { node in
            if case .serviceCall(let service, let query, _, _) = node { found.insert(CallTarget(service: service, query: query)) }
        }
        return found
    }

    /// Calls `body` on `node` and every node inside it.
    private static func visit(_ node: Node, _ body: (Node) -> Void) {
        body(node)
        switch node {
        case .literal, .field, .metadata, .parameter:
            break
        case .step(let inner, _, _), .unary(_, let inner, _), .serviceCall(_, _, let inner, _):
            visit(inner, body)
        case .object(let members):
            for member in members { visit(member.value, body) }
        case .array(let items):
            for item in items { visit(item, body) }
        case .binary(_, let left, let right, _), .and(let left, let right, _), .or(let left, let right, _):
            visit(left, body)
            visit(right, body)
        case .conditional(let condition, let then, let otherwise, _):
            visit(condition, body)
            visit(then, body)
            visit(otherwise, body)
        case .call(_, let arguments, _):
            for argument in arguments { visit(argument, body) }
        }
    }
}
