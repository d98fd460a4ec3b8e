import Synchronization

/// The broker's only source of wall-clock time, in milliseconds since the Unix epoch.
///
/// Record timestamps, retention and compaction read it. Lessons, transcripts and tests inject a
/// ``LogicalClock`` so the same commands always give the same output.
public protocol BrokerClock: Sendable {
    /// The current time in milliseconds since 1970-01-01T00:00:00Z.
    func now() -> Int64
}

/// A clock that starts at 2024-01-01T00:00:00Z and moves only when told to.
public final class LogicalClock: BrokerClock {
    /// 2024-01-01T00:00:00Z in milliseconds since the epoch.
    public static let start: Int64 = 1_704_067_200_000
    /// The earliest time the clock reads: 1970-01-01T00:00:00Z. Kafka reads a negative
    /// timestamp as "none" (−1), so records stamped before it would lose their time.
    public static let earliest: Int64 = 0
    /// The latest time the clock reads: 9999-12-31T23:59:59.999Z, the last moment ISO 8601
    /// writes with four digits. Far enough for any lesson, and far from `Int64.max`, so
    /// `now + interval` always fits.
    public static let latest: Int64 = 253_402_300_799_999

    private let current: Mutex<Int64>

    /// A clock reading `start`.
    public init(start: Int64 = LogicalClock.start) {
        current = Mutex(start)
    }

    public func now() -> Int64 { current.withLock { $0 } }

    /// Moves the clock forward by `milliseconds`. Broker work waiting on the clock does not run:
    /// ``Scheduler/advanceClock(by:)`` moves the clock and runs it.
    ///
    /// - Throws: `INVALID_REQUEST` for a negative amount (time never runs backwards) or one that
    ///   would pass `latest`, naming the most it can move now.
    public func advance(by milliseconds: Int64) throws(BrokerError) {
        move(to: try target(after: milliseconds))
    }

    /// The time `milliseconds` from now, if the clock may move that far.
    ///
    /// - Throws: `INVALID_REQUEST` for a negative amount or one that would pass `latest`.
    func target(after milliseconds: Int64) throws(BrokerError) -> Int64 {
        guard milliseconds >= 0 else {
            throw BrokerError(.invalidRequest, "the clock only moves forward: \(milliseconds) ms is negative")
        }
        let now = now()
        let room = Self.latest.subtractingSaturating(now)
        guard milliseconds <= room else {
            throw BrokerError(
                .invalidRequest,
                "the clock can move at most \(room) ms more (to 9999-12-31T23:59:59.999Z, the latest time it reads), not \(milliseconds) ms")
        }
        return now + milliseconds
    }

    /// Moves the clock to `time`, never backwards.
    func move(to time: Int64) {
        current.withLock { $0 = max($0, min(time, Self.latest)) }
    }
}
