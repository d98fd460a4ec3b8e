/// A record header: a string key and optional bytes, as Kafka headers are.
public struct RecordHeader: Hashable, Sendable {
    /// The header's name.
    public var key: String
    /// The header's value; nil is allowed by Kafka.
    public var value: [UInt8]?

    /// A header named `key` holding `value`.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
