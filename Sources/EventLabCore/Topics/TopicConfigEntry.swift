/// One topic config: its name, type, default, rule, documentation, and how it reads and writes
/// a `TopicConfig`.
///
/// Every path that sets a topic config — CreateTopics and AlterConfigs, the topic's config file,
/// the shell — sets it through its entry, so all of them accept and refuse the same values.
public struct TopicConfigEntry: Sendable {
    /// Kafka's config types, with the codes DescribeConfigs answers with.
    public enum ValueType: Int8, Sendable {
        /// `true` or `false`.
        case boolean = 1
        /// One word from a fixed set.
        case string = 2
        /// A whole number that fits Kafka's 32-bit int.
        case int = 3
        /// A whole number that fits Kafka's 64-bit long.
        case long = 5
        /// A number with a fraction, such as `0.5`.
        case double = 6
        /// Words separated by commas, spaces around them ignored.
        case list = 7

        /// Kafka's word for the type, as `kafka-configs --describe` prints it.
        public var name: String {
            switch self {
            case .boolean: "boolean"
            case .string: "string"
            case .int: "int"
            case .long: "long"
            case .double: "double"
            case .list: "list"
            }
        }
    }

    /// Kafka's name, such as `retention.ms`.
    public let name: String
    /// How Kafka types the value: DescribeConfigs reports it, and it bounds the value.
    public let type: ValueType
    /// One line for a person: what the config does and which values mean what.
    public let documentation: String
    /// Whether EventLab added this config (Kafka has no such topic config): real clients can set
    /// it, but a real Kafka cluster would refuse it.
    public let isEventLabOwn: Bool
    let read: @Sendable (TopicConfig) -> String
    let write: @Sendable (inout TopicConfig, String) throws(BrokerError) -> Void

    /// The value a new topic has, in Kafka's spelling.
    public var defaultValue: String { read(TopicConfig()) }

    /// This config's value in `config`, in Kafka's spelling (`-1` for no limit).
    public func value(in config: TopicConfig) -> String { read(config) }

    /// Sets this config in `config` from `text`, Kafka's spelling; surrounding spaces are ignored.
    ///
    /// - Throws: `INVALID_CONFIG` saying what the value is and what would be right;
    ///   `config` is unchanged then.
    public func set(_ text: String, in config: inout TopicConfig) throws(BrokerError) {
        var changed = config
        try write(&changed, text.trimmingSpaces)
        config = changed
    }
}

extension TopicConfigEntry {
    /// A whole-number config stored as `Int64` that must be at least `minimum`.
    static func long(
        _ name: String, _ keyPath: WritableKeyPath<TopicConfig, Int64> & Sendable, atLeast minimum: Int64, _ documentation: String
    ) -> TopicConfigEntry {
        TopicConfigEntry(
            name: name, type: .long, documentation: documentation, isEventLabOwn: false,
            read: { String($0[keyPath: keyPath]) },
            write: { config, text throws(BrokerError) in
                config[keyPath: keyPath] = try whole(name, text, in: Int64.min...Int64.max, atLeast: minimum, "")
            })
    }

    /// A whole-number config stored as `Int` within Kafka's int range.
    static func int(
        _ name: String, _ keyPath: WritableKeyPath<TopicConfig, Int> & Sendable, atLeast minimum: Int64, _ documentation: String
    ) -> TopicConfigEntry {
        TopicConfigEntry(
            name: name, type: .int, documentation: documentation, isEventLabOwn: false,
            read: { String($0[keyPath: keyPath]) },
            write: { config, text throws(BrokerError) in
                config[keyPath: keyPath] = Int(try whole(name, text, in: Int64(Int32.min)...Int64(Int32.max), atLeast: minimum, ""))
            })
    }

    /// A limit where `-1` means none, stored as nil; other values must be at least `minimum`.
    static func limit<Value: FixedWidthInteger & Sendable>(
        _ name: String, _ type: ValueType, _ keyPath: WritableKeyPath<TopicConfig, Value?> & Sendable, atLeast minimum: Int64,
        none: String, own: Bool = false, _ documentation: String
    ) -> TopicConfigEntry {
        let range = type == .int ? Int64(Int32.min)...Int64(Int32.max) : Int64.min...Int64.max
        return TopicConfigEntry(
            name: name, type: type, documentation: documentation, isEventLabOwn: own,
            read: { $0[keyPath: keyPath].map { String($0) } ?? "-1" },
            write: { config, text throws(BrokerError) in
                let value = try whole(name, text, in: range, atLeast: -1, "(-1 \(none))")
                guard value == -1 || value >= minimum else {
                    throw BrokerError(.invalidConfig, "\(name) is \(value): it must be at least \(minimum), or -1 \(none)")
                }
                config[keyPath: keyPath] = value == -1 ? nil : Value(value)
            })
    }

    /// Parses `text` as a whole number in `range`, at least `minimum`; `meaning` follows the
    /// rule in an error, such as "(-1 keeps records forever)".
    private static func whole(
        _ name: String, _ text: String, in range: ClosedRange<Int64>, atLeast minimum: Int64, _ meaning: String
    ) throws(BrokerError) -> Int64 {
        let after = meaning.isEmpty ? "" : " " + meaning
        let allowed = range.upperBound == Int64.max ? "of at least \(minimum)" : "from \(minimum) to \(range.upperBound)"
        guard let value = Int64(text) else {
            let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
            let problem = !digits.isEmpty && digits.allSatisfy({ ("0"..."9").contains($0) }) ? "is out of range" : "is not a whole number"
            throw BrokerError(.invalidConfig, "\(name)=\(text) \(problem): give a whole number \(allowed)\(after)")
        }
        guard range.contains(value) else {
            throw BrokerError(.invalidConfig, "\(name) is \(value): it must be \(allowed) (Kafka keeps it in an int)")
        }
        guard value >= minimum else { throw BrokerError(.invalidConfig, "\(name) is \(value): it must be at least \(minimum)\(after)") }
        return value
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs, as Kafka trims a config's value.
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
