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
    private let state: Mutex<UInt64>

    /// A source whose ids follow from `seed`.
    public init(seed: UInt64 = 0) {
        state = Mutex(seed)
    }

    public func nextId(prefix: String) -> String {
        let value = state.withLock { state -> UInt64 in
            // SplitMix64: small, fast and well mixed.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let digits = String(value, radix: 16)
        let padded = String(repeating: "0", count: 16 - digits.count) + digits
        return "\(prefix)-\(padded.prefix(8))-\(padded.dropFirst(8).prefix(4))-\(padded.suffix(4))"
    }
}
