import NIOCore
import Synchronization

/// The memory all connections together may hold for requests being read and waiting to be
/// answered, as Kafka's `queued.max.request.bytes` bounds it: a frame's announced size is taken
/// from the pool before its bytes are read, and given back once it is answered. A connection
/// whose next frame does not fit is not read until another gives memory back, so sixteen clients
/// announcing 100 MB each cannot make the server hold 1.6 GB.
///
/// As Kafka's pool, it lends a frame larger than what is free when nothing is lent: a frame of
/// any allowed size is read eventually, and the most held is the limit plus one frame.
final class RequestMemoryPool: Sendable {
    /// The most lent at once (unless a single frame is larger).
    let capacity: Int
    private let state = Mutex(State())

    private struct State {
        var lent = 0
        var waiting: [@Sendable () -> Void] = []
    }

    /// A pool of `capacity` bytes.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Bytes lent now.
    var lent: Int { state.withLock { $0.lent } }

    /// Lends `size` bytes if they fit; otherwise `whenFreed` runs once after memory is given back.
    ///
    /// - Returns: whether the bytes were lent.
    func borrow(_ size: Int, whenFreed: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard state.lent == 0 || state.lent + size <= capacity else {
                state.waiting.append(whenFreed)
                return false
            }
            state.lent += size
            return true
        }
    }

    /// Gives back `size` bytes and wakes every connection waiting for memory; each tries again.
    func giveBack(_ size: Int) {
        guard size > 0 else { return }
        let woken = state.withLock { state in
            state.lent -= size
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        woken.forEach { $0() }
    }
}
