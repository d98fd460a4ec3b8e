import EventLabCore

/// Walks a parsed expression for one record. Fields are found with `JSONScanner` in the record's
/// bytes and only the value found is parsed, so a condition on one field costs one short scan.
/// It borrows the record, the tables and the bound value through pointers valid only while
/// ``Expression`` evaluates: storing copies would retain and release their buffers per event,
/// and copy the tables' existential through its generic witnesses.
struct Evaluator {
    let record: UnsafePointer<Record>
    let value: UnsafeBufferPointer<UInt8>?
    let partition: Int32
    /// The tables; nil when the caller has none, so no empty existential is made per event.
    let tables: UnsafePointer<(any ExpressionTables)?>?
    /// The bound name's value: a query's argument, or an aggregate's state.
    let argument: UnsafePointer<JSON>
    /// Where the record's top-level members start, shared by the expressions that read one record.
    var members: UnsafeMutablePointer<JSONMembers>? = nil

    func evaluate(_ node: Node) throws(EvaluationError) -> JSON {
        switch node {
        case .literal(let value): return value
        case .field(let path, let column): return try field(path, column: column)
        case .step(let base, let step, let column):
            let container = try evaluate(base)
            guard let inner = Self.step(container, step) else {
                throw EvaluationError(.missing, column: column, "\(container.kind) has no \(Self.describe(step))")
            }
            return inner
        case .metadata(let metadata, let column): return try self.metadata(metadata, column: column)
        case .object(let members):
            var result: [(key: String, value: JSON)] = []
            result.reserveCapacity(members.count)
            for member in members { result.append((member.key, try evaluate(member.value))) }
            return .object(result)
        case .array(let elements):
            var result: [JSON] = []
            result.reserveCapacity(elements.count)
            for element in elements { result.append(try evaluate(element)) }
            return .array(result)
        case .unary(.not, let operand, let column):
            return .bool(!(try boolean(operand, "`not`", column: column)))
        case .unary(.negate, let operand, let column):
            let value = try evaluate(operand)
            guard case .number(let number) = value else {
                throw EvaluationError(.type, column: column, "`-` needs a number, found \(value.kind)")
            }
            return .number(try arithmetic(column) { () throws(NumberError) in try ExactNumber.negating(number) })
        case .and(let left, let right, let column):
            guard try boolean(left, "`and`", column: column) else { return .bool(false) }
            return .bool(try boolean(right, "`and`", column: column))
        case .or(let left, let right, let column):
            if try boolean(left, "`or`", column: column) { return .bool(true) }
            return .bool(try boolean(right, "`or`", column: column))
        case .conditional(let condition, let whenTrue, let whenFalse, let column):
            return try evaluate(try boolean(condition, "`if`", column: column) ? whenTrue : whenFalse)
        case .binary(let op, let left, let right, let column):
            return try binary(op, try evaluate(left), try evaluate(right), column: column)
        case .call(let function, let arguments, let column):
            return try call(function, arguments, column: column)
        case .serviceCall(let service, let query, let argument, let column):
            return try serviceCall(service, query, try evaluate(argument), column: column)
        case .parameter:
            return argument.pointee
        }
    }

    // MARK: - Fields and metadata

    private func field(_ path: [JSONPathStep], column: Int) throws(EvaluationError) -> JSON {
        guard let value else {
            throw EvaluationError(.missing, column: column, "the record has no value (it is a tombstone)")
        }
        let range: Range<Int>?
        do throws(JSONError) {
            if let members {
                range = try JSONScanner.find(path, in: value, members: &members.pointee)
            } else {
                range = try JSONScanner.find(path, in: value)
            }
        } catch {
            throw EvaluationError(.invalidRecord, column: column, "the record's value is not JSON: \(error)")
        }
        guard let range else {
            throw EvaluationError(.missing, column: column, "the event has no field \(Self.show(path))")
        }
        // Parsed in place, so an error names its byte in the whole value.
        var cursor = JSONParser.Cursor(bytes: value, index: range.lowerBound)
        do throws(JSONError) {
            let result = try cursor.value(depth: 0)
            guard cursor.index == range.upperBound else {
                throw cursor.error("expected `,` or the end of an object or array, found \(cursor.found)")
            }
            return result
        } catch {
            throw EvaluationError(.invalidRecord, column: column, "the record's value is not JSON: \(error)")
        }
    }

    static func show(_ path: [JSONPathStep]) -> String { "$" + path.map(\.description).joined() }

    static func describe(_ step: JSONPathStep) -> String {
        switch step {
        case .member: "field \(step.description.dropFirst())"
        case .index(let index): "element [\(index)]"
        }
    }

    static func step(_ container: JSON, _ step: JSONPathStep) -> JSON? {
        switch step {
        case .member(let name): container[name]
        case .index(let index): container[index]
        }
    }

    private func metadata(_ metadata: Node.Metadata, column: Int) throws(EvaluationError) -> JSON {
        switch metadata {
        case .offset: return .number(ExactNumber(record.pointee.offset))
        case .timestamp: return .number(ExactNumber(record.pointee.timestamp))
        case .partition: return .number(ExactNumber(Int64(partition)))
        case .key:
            guard let key = record.pointee.key else { throw EvaluationError(.missing, column: column, "the record has no key") }
            guard let text = String(validating: key, as: UTF8.self) else {
                throw EvaluationError(.type, column: column, "the record's key is not UTF-8 text")
            }
            return .string(text)
        }
    }

    // MARK: - Operators

    private func boolean(_ node: Node, _ what: String, column: Int) throws(EvaluationError) -> Bool {
        let value = try evaluate(node)
        guard case .bool(let flag) = value else {
            throw EvaluationError(.type, column: column, "\(what) needs true or false, found \(value.kind)")
        }
        return flag
    }

    private func arithmetic(_ column: Int, _ body: () throws(NumberError) -> ExactNumber) throws(EvaluationError) -> ExactNumber {
        do throws(NumberError) {
            return try body()
        } catch {
            throw EvaluationError(.number, column: column, "\(error)")
        }
    }

    private func binary(_ op: Node.BinaryOperator, _ left: JSON, _ right: JSON, column: Int) throws(EvaluationError) -> JSON {
        switch op {
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let order: Int
            switch (left, right) {
            case (.number(let a), .number(let b)): order = a < b ? -1 : a == b ? 0 : 1
            case (.string(let a), .string(let b)):
                // Byte order of UTF-8, the same on every machine.
                order = a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : a == b ? 0 : 1
            default:
                throw EvaluationError(
                    .type, column: column,
                    "`\(op.rawValue)` compares two numbers or two texts, found \(left.kind) and \(right.kind)")
            }
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .add:
            if case .string(let a) = left, case .string(let b) = right { return .string(a + b) }
            fallthrough
        case .subtract, .multiply, .divide, .remainder:
            guard case .number(let a) = left, case .number(let b) = right else {
                let hint = op == .add && (left.kind == "a string" || right.kind == "a string")
                    ? "; `+` joins two texts, so turn the other into text with string(…)" : ""
                throw EvaluationError(
                    .type, column: column,
                    "`\(op.rawValue)` needs two numbers\(op == .add ? " or two texts" : ""), found \(left.kind) and \(right.kind)\(hint)")
            }
            return .number(try arithmetic(column) { () throws(NumberError) in
                switch op {
                case .add: try ExactNumber.adding(a, b)
                case .subtract: try ExactNumber.subtracting(a, b)
                case .multiply: try ExactNumber.multiplying(a, b)
                case .divide: try ExactNumber.dividing(a, b)
                default: try ExactNumber.remainder(a, b)
                }
            })
        }
    }

    // MARK: - Functions

    private func call(_ function: Node.Function, _ arguments: [Node], column: Int) throws(EvaluationError) -> JSON {
        let wrongKind = { (expected: String, argument: JSON) in
            EvaluationError(.type, column: column, "`\(function.rawValue)` needs \(expected), found \(argument.kind)")
        }
        switch function {
        case .default:
            do throws(EvaluationError) {
                let value = try evaluate(arguments[0])
                return value == .null ? try evaluate(arguments[1]) : value
            } catch where error.kind == .missing {
                return try evaluate(arguments[1])
            }
        case .length:
            switch try evaluate(arguments[0]) {
            case .string(let text): return .number(ExactNumber(Int64(text.count)))
            case .array(let elements): return .number(ExactNumber(Int64(elements.count)))
            case .object(let members): return .number(ExactNumber(Int64(members.count)))
            case let argument: throw wrongKind("a text, an array or an object", argument)
            }
        case .lower, .upper:
            let argument = try evaluate(arguments[0])
            guard case .string(let text) = argument else { throw wrongKind("a text", argument) }
            return .string(function == .lower ? text.lowercased() : text.uppercased())
        case .number:
            switch try evaluate(arguments[0]) {
            case .number(let number): return .number(number)
            case .string(let text):
                guard case .number(let number)? = try? JSONParser.parse(text) else {
                    throw EvaluationError(.type, column: column, "`number` cannot read \(JSON.string(text)) as a number")
                }
                return .number(number)
            case let argument: throw wrongKind("a text or a number", argument)
            }
        case .string:
            return .string(try evaluate(arguments[0]).text)
        case .header:
            let argument = try evaluate(arguments[0])
            guard case .string(let name) = argument else { throw wrongKind("a header name in double quotes", argument) }
            guard let header = record.pointee.headers.last(where: { $0.key == name }) else {
                throw EvaluationError(.missing, column: column, "the record has no header \(JSON.string(name))")
            }
            guard let bytes = header.value else { return .null }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw EvaluationError(.type, column: column, "the header \(JSON.string(name)) is not UTF-8 text")
            }
            return .string(text)
        case .table:
            let argument = try evaluate(arguments[0])
            guard case .string(let name) = argument else { throw wrongKind("a table name in double quotes", argument) }
            let keyText = try evaluate(arguments[1]).text
            guard let tables = tables?.pointee else {
                throw EvaluationError(.table, column: column, "there is no table \(JSON.string(name)) (no tables here)")
            }
            switch tables.lookup(table: name, key: keyText) {
            case .found(let value): return value
            case .missing:
                throw EvaluationError(.missing, column: column, "the table \(JSON.string(name)) has no key \(JSON.string(keyText))")
            case .noSuchTable:
                throw EvaluationError(.table, column: column, "there is no table \(JSON.string(name))")
            }
        }
    }

    // MARK: - Calls

    private func serviceCall(_ service: String, _ query: String, _ argument: JSON, column: Int) throws(EvaluationError) -> JSON {
        let shown = Self.callName(service, query)
        guard let tables = tables?.pointee else {
            throw EvaluationError(.call, column: column, "there is no service \(JSON.string(service)) to call (no services here)")
        }
        switch tables.call(service: service, query: query, argument: argument) {
        case .answer(let value):
            return value
        case .unavailable(let reason):
            throw EvaluationError(
                .unavailable(service: service, query: query, reason: reason), column: column,
                "`\(shown)` cannot answer now: \(reason)")
        case .noSuchService:
            throw EvaluationError(.call, column: column, "there is no service \(JSON.string(service)) to call")
        case .noSuchQuery(let known):
            let answers = known.isEmpty
                ? "it answers no queries yet" : "it answers \(known.map { "`\($0)`" }.joined(separator: ", "))"
            throw EvaluationError(.call, column: column, "the service \(JSON.string(service)) has no query \(JSON.string(query)): \(answers)")
        case .failed(let error):
            throw EvaluationError(error.kind, column: column, "the answer of `\(shown)` failed \(error)")
        }
    }

    /// `customers.address`, with a name that is not a plain word in double quotes, as it is written.
    static func callName(_ service: String, _ query: String) -> String { written(service) + "." + written(query) }

    /// A name as the language writes it: a plain word as it is, anything else in double quotes.
    static func written(_ name: String) -> String { Lexer.isPlainWord(name) ? name : JSON.string(name).description }
}
