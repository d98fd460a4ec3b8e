import EventLabCore

/// What an expression may consult beyond its record: tables to look values up in, and services
/// to call. The engine that owns the tables and services provides them.
public protocol ExpressionTables {
    /// The value stored under `key` in table `table`.
    func lookup(table: String, key: String) -> TableLookup

    /// Service `service`'s answer to its query `query` for `argument`: a synchronous call, which
    /// only an engine that runs services can answer. By default there is no such service.
    func call(service: String, query: String, argument: JSON) -> CallAnswer
}

extension ExpressionTables {
    public func call(service: String, query: String, argument: JSON) -> CallAnswer { .noSuchService }
}

/// What a table lookup found.
public enum TableLookup: Sendable, Equatable {
    /// The key's current value.
    case found(JSON)
    /// The table has no such key (or the key was deleted by a tombstone).
    case missing
    /// There is no table by that name.
    case noSuchTable
}

/// A compiled expression of the language described in patterns/EXPRESSIONS.md: parsed once,
/// evaluated against many records.
public struct Expression: Sendable, CustomStringConvertible {
    /// The text the expression was compiled from.
    public let source: String
    let root: Node

    /// Compiles `source`, or says at which column it goes wrong and what was expected.
    public init(_ source: String) throws(ExpressionSyntaxError) {
        try self.init(source, parameter: nil)
    }

    /// Compiles `source` as a query's answer when `parameter` is given: the parameter is read by
    /// its name, and there is no event, so `$`, `header`, record metadata and calls are refused.
    /// With `hasEvent` the parameter is bound beside the event (an aggregate's `state`).
    /// `selfContained`, when given, refuses table lookups and service calls, saying why.
    init(
        _ source: String, parameter: String? = nil, hasEvent: Bool = false, selfContained: SelfContained? = nil
    ) throws(ExpressionSyntaxError) {
        var parser = try ExpressionParser(source, parameter: parameter, hasEvent: hasEvent, selfContained: selfContained)
        root = try parser.parse()
        self.source = source
    }

    public var description: String { source }

    /// The expression's value for `record` read from `partition`, looking tables up in `tables`.
    public func evaluate(
        _ record: Record, partition: Int32 = 0, tables: (any ExpressionTables)? = nil
    ) throws(EvaluationError) -> JSON {
        try evaluate(record, partition: partition, tables: tables, bound: .null)
    }

    /// The expression's value for `record` with its parameter bound to `bound`, as an
    /// aggregate's rule reads `state` beside the event; fields are looked up in `members` when
    /// given, which must describe this record's value or none.
    func evaluate(
        _ record: Record, partition: Int32, tables: (any ExpressionTables)?, bound: JSON,
        members: UnsafeMutablePointer<JSONMembers>? = nil
    ) throws(EvaluationError) -> JSON {
        try withUnsafePointer(to: tables) { (tables) throws(EvaluationError) -> JSON in
            try evaluate(record, partition: partition, tablesAt: tables, bound: bound, members: members)
        }
    }

    /// `evaluate(_:partition:tables:bound:members:)` without tables, as an aggregate folds.
    func evaluate(
        _ record: Record, partition: Int32, bound: JSON, members: UnsafeMutablePointer<JSONMembers>?
    ) throws(EvaluationError) -> JSON {
        try evaluate(record, partition: partition, tablesAt: nil, bound: bound, members: members)
    }

    private func evaluate(
        _ record: Record, partition: Int32, tablesAt tables: UnsafePointer<(any ExpressionTables)?>?, bound: JSON,
        members: UnsafeMutablePointer<JSONMembers>?
    ) throws(EvaluationError) -> JSON {
        try withUnsafePointer(to: record) { (borrowed) throws(EvaluationError) -> JSON in
            try withUnsafePointer(to: bound) { (bound) throws(EvaluationError) -> JSON in
                // The value is read in place through the record's pointer: binding the optional
                // slice would copy it, through its generic witnesses, per evaluation.
                let answer = try borrowed.pointee.value?.withUnsafeBufferPointer { (buffer) throws(EvaluationError) -> JSON in
                    try Evaluator(
                        record: borrowed, value: buffer, partition: partition, tables: tables, argument: bound, members: members
                    ).evaluate(root)
                }
                if let answer { return answer }
                return try Evaluator(record: borrowed, value: nil, partition: partition, tables: tables, argument: bound).evaluate(root)
            }
        }
    }

    /// A query's answer for `argument`, compiled with ``init(_:parameter:)``.
    func answer(_ argument: JSON, tables: (any ExpressionTables)?) throws(EvaluationError) -> JSON {
        try withUnsafePointer(to: Self.noEvent) { (record) throws(EvaluationError) -> JSON in
            try withUnsafePointer(to: argument) { (argument) throws(EvaluationError) -> JSON in
                try withUnsafePointer(to: tables) { (tables) throws(EvaluationError) -> JSON in
                    try Evaluator(record: record, value: nil, partition: 0, tables: tables, argument: argument).evaluate(root)
                }
            }
        }
    }

    /// The record an answer is evaluated with: never read, as its expression cannot name one.
    private static let noEvent = Record(offset: 0, timestamp: 0, key: [UInt8]?.none, value: [UInt8]?.none)

    /// Evaluates a condition: its value must be a boolean.
    public func test(
        _ record: Record, partition: Int32 = 0, tables: (any ExpressionTables)? = nil
    ) throws(EvaluationError) -> Bool {
        let value = try evaluate(record, partition: partition, tables: tables)
        guard case .bool(let flag) = value else {
            throw EvaluationError(.type, column: 1, "a condition must be true or false, but this one is \(value.kind)")
        }
        return flag
    }

    /// Evaluates a template and prints it as compact canonical JSON bytes.
    public func render(
        _ record: Record, partition: Int32 = 0, tables: (any ExpressionTables)? = nil
    ) throws(EvaluationError) -> [UInt8] {
        JSONPrinter.bytes(try evaluate(record, partition: partition, tables: tables))
    }
}
