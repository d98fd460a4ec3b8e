/// A seeded random number generator (SplitMix64): the same seed gives the same numbers in the
/// same order, so a partitioner's "random" choices print the same output on every run.
public struct SeededRandom: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    /// A generator whose numbers follow from `seed`.
    public init(seed: UInt64 = 0) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A partition among `count`, as Java's `Utils.toPositive(random.nextInt()) % count`.
    public mutating func partition(count: Int32) -> Int32 {
        (Int32(truncatingIfNeeded: next()) & 0x7fff_ffff) % count
    }
}
