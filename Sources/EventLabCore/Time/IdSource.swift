import Synchronization

/// Makes the ids that would otherwise be random, such as group member ids.
///
/// Injected so that a lesson or a test prints the same member ids every run.
public protocol IdSource: Sendable {
    /// A new id that starts with `prefix`, like Kafka's `client-id-<uuid>` member ids.
    func nextId(prefix: String) -> String
}

/// Ids from a seeded generator: the same seed gives the same ids in the same order.
public final class SeededIdSource: IdSource {
    private let random: Mutex<SeededRandom>

    /// A source whose ids follow from `seed`.
    public init(seed: UInt64 = 0) {
        random = Mutex(SeededRandom(seed: seed))
    }

    public func nextId(prefix: String) -> String {
        let value = random.withLock { $0.next() }
        let digits = String(value, radix: 16)
        let padded = String(repeating: "0", count: 16 - digits.count) + digits
        return "\(prefix)-\(padded.prefix(8))-\(padded.dropFirst(8).prefix(4))-\(padded.suffix(4))"
    }
}
