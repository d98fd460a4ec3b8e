extension Expression {
    /// The tables the expression looks up by a literal name, as `table("customer-view", $.customer)`
    /// does; a name computed from the record is not known until it runs and is left out.
    public var tablesLookedUp: Set<String> { Self.tables(in: root) }

    private static func tables(in node: Node) -> Set<String> {
        switch node {
        case .literal, .field, .metadata, .parameter:
            return []
        case .step(let inner, _, _), .unary(_, let inner, _), .serviceCall(_, _, let inner, _):
            return tables(in: inner)
        case .object(let members):
            return members.reduce(into: []) { $0.formUnion(tables(in: $1.value)) }
        case .array(let items):
            return items.reduce(into: []) { $0.formUnion(tables(in: $1)) }
        case .binary(_, let left, let right, _), .and(let left, let right, _), .or(let left, let right, _):
            return tables(in: left).union(tables(in: right))
        case .conditional(let condition, let then, let otherwise, _):
            return tables(in: condition).union(tables(in: then)).union(tables(in: otherwise))
        case .call(let function, let arguments, _):
            var found: Set<String> = arguments.reduce(into: []) { $0.formUnion(tables(in: $1)) }
            if function == .table, case .literal(.string(let name))? = arguments.first { found.insert(name) }
            return found
        }
    }
}
