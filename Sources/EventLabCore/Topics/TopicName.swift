/// A legal Kafka topic name: 1–249 characters of `[a-zA-Z0-9._-]`, and not `.` or `..`.
///
/// Names become directory names on disk, so this check is also what keeps a name from
/// reaching outside the workspace.
public struct TopicName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name itself.
    public let rawValue: String

    /// The longest legal name.
    public static let maxLength = 249

    /// Checks `name` against Kafka's rule.
    ///
    /// - Throws: `INVALID_TOPIC_EXCEPTION` saying which rule the name breaks.
    public init(_ name: String) throws(BrokerError) {
        let shown = name.count > 40 ? "\(name.prefix(40))…" : name
        if name.isEmpty {
            throw BrokerError(.invalidTopic, "a topic name cannot be empty: use 1 to 249 of a-z A-Z 0-9 . _ -")
        }
        if name == "." || name == ".." {
            throw BrokerError(.invalidTopic, "'\(name)' is not a legal topic name: '.' and '..' are reserved")
        }
        if name.utf8.count > Self.maxLength {
            throw BrokerError(
                .invalidTopic,
                "topic name '\(shown)' is \(name.utf8.count) characters long: the limit is \(Self.maxLength)")
        }
        if let bad = name.unicodeScalars.first(where: { !Self.isLegal($0) }) {
            throw BrokerError(
                .invalidTopic,
                "topic name '\(shown)' contains '\(bad.escaped(asASCII: false))': only a-z A-Z 0-9 . _ - are allowed")
        }
        rawValue = name
    }

    private static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    /// The name with every `.` made `_`: Kafka refuses a topic whose collision key equals an
    /// existing topic's, because its metric names cannot tell `.` from `_`.
    public var collisionKey: String { String(rawValue.map { $0 == "." ? "_" : $0 }) }

    public var description: String { rawValue }

    public static func < (lhs: TopicName, rhs: TopicName) -> Bool { lhs.rawValue < rhs.rawValue }
}
