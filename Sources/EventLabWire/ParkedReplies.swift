import Synchronization

/// The answers the API owes later — delayed fetches and parked group calls — with a way to
/// cancel each, so that stopping the server cancels what it parked and no answer goes out after.
final class ParkedReplies: Sendable {
    private struct State {
        var isStopped = false
        var nextKey: UInt64 = 0
        /// Per parked answer, how to cancel it (nil until known).
        var cancels: [UInt64: (@Sendable () -> Void)?] = [:]
    }

    private let state = Mutex(State())

    /// Reserves a place for an answer that may come later; nil once stopped: park nothing then.
    func reserve() -> UInt64? {
        state.withLock { state in
            guard !state.isStopped else { return nil }
            state.nextKey += 1
            state.cancels[state.nextKey] = .some(nil)
            return state.nextKey
        }
    }

    /// Says how to cancel the answer reserved as `key`, unless it was already sent.
    func attach(_ key: UInt64, cancel: @escaping @Sendable () -> Void) {
        state.withLock { state in
            if state.cancels[key] != nil { state.cancels[key] = cancel }
        }
    }

    /// Sends the answer reserved as `key` through `send`, unless the server stopped. The lock is
    /// held while sending, so once ``stop()`` returns no answer is on its way to a closed event loop.
    func deliver(_ key: UInt64, _ send: () -> Void) {
        state.withLock { state in
            guard !state.isStopped, state.cancels.removeValue(forKey: key) != nil else { return }
            send()
        }
    }

    /// Cancels every parked answer; none is sent afterwards.
    func stop() {
        let cancels = state.withLock { state in
            state.isStopped = true
            defer { state.cancels = [:] }
            return state.cancels.values.compactMap { $0 }
        }
        cancels.forEach { $0() }
    }
}
