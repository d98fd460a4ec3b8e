import EventLabCore

/// Reads a record's event type where a service, a projection or an aggregate was told to find
/// it: a header, or a top-level field of the JSON value read by scanning it.
struct EventTypeReader: Sendable {
    /// What reading a record's event type gave.
    enum Read {
        case type(String)
        /// No type: no such field or header, `null`, a tombstone, or JSON that is not an object.
        case none
        /// The type cannot be read: the value is not JSON, or the type is not text.
        case failed(String)
    }

    let source: EventTypeSource
    /// Reads the type when it is a field.
    private let field: Expression?

    /// A reader of the type at `source`.
    init(_ source: EventTypeSource) {
        self.source = source
        if case .field(let name) = source {
            let quoted = String(decoding: JSONPrinter.bytes(.string(name)), as: UTF8.self)
            // A member name in JSON's quotes is always a valid step.
            field = try! Expression("$.\(quoted)")
        } else {
            field = nil
        }
    }

    /// The event type of `record`.
    func read(_ record: Record) -> Read { read(record, members: nil) }

    /// The event type of `record`; a type field is looked up in `members` when given.
    func read(_ record: Record, members: UnsafeMutablePointer<JSONMembers>?) -> Read {
        switch source {
        case .header(let header):
            guard let found = record.headers.last(where: { $0.key == header }), let bytes = found.value else { return .none }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .failed("the event type header \(header) is not UTF-8 text")
            }
            return .type(text)
        case .field:
            do throws(EvaluationError) {
                // Called through the optional, as binding it would copy the expression per record.
                switch try field?.evaluate(record, partition: 0, bound: .null, members: members) {
                case .string(let text)?: return .type(text)
                case .null?, nil: return .none
                case let other?: return .failed("the event type \(source) is \(other.kind), not text")
                }
            } catch where error.kind == .missing {
                // The scanner finds no field in a value that is not an object; only here, off the
                // fast path, is the whole value parsed, to tell bad JSON (poison) from a document
                // without a type (skipped).
                guard let value = record.value else { return .none }
                do throws(JSONError) {
                    _ = try JSONParser.parse(value)
                    return .none
                } catch {
                    return .failed("the record's value is not JSON: \(error)")
                }
            } catch {
                return .failed("reading the event type \(source): \(error.message)")
            }
        }
    }
}
