import Synchronization

/// Lets exactly one of several racing callbacks through.
final class Latch: Sendable {
    private let claimed = Atomic(false)

    /// True for the first caller only.
    func claim() -> Bool {
        claimed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
