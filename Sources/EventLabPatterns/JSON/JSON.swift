/// A JSON value with exact numbers.
///
/// Objects keep their members in order: the order a record wrote them, or the order a template
/// lists them. Printing in that order keeps an emitted event reading the way its author wrote it
/// (`{"type":…}` first), and is as deterministic as sorting, because a template's order is fixed.
/// Equality ignores member order, as JSON does.
public enum JSON: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(ExactNumber)
    case string(String)
    case array([JSON])
    case object([(key: String, value: JSON)])

    /// The compact canonical text (see `JSONPrinter`).
    public var description: String { String(decoding: JSONPrinter.bytes(self), as: UTF8.self) }

    /// The value as text, as a record key or `string(…)` wants it: text as itself, anything
    /// else as its compact JSON (`o-1`, `12.5`, `{"a":1}`).
    public var text: String {
        if case .string(let text) = self { return text }
        return description
    }

    /// The member named `key` of an object, or nil.
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The element at `index` of an array, or nil.
    public subscript(index: Int) -> JSON? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// What kind of value this is, in the words errors use ("a string", "a number").
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public static func == (a: JSON, b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            return x.allSatisfy { member in y.contains { $0.key == member.key && $0.value == member.value } }
        default: return false
        }
    }
}
