import Dispatch

/// One operation at a time per key, for work the broker does outside its lock (a sync, an
/// offsets file write): a caller that finds the key taken is given a semaphore to wait on
/// outside the lock, and then tries again from the start.
struct Turns<Key: Hashable> {
    private var queued: [Key: [DispatchSemaphore]] = [:]

    /// What to wait on before trying again if `key` is taken now, else nil.
    mutating func wait(for key: Key) -> DispatchSemaphore? {
        // Most of the time nothing is taken: skip hashing the key.
        guard !queued.isEmpty, queued[key] != nil else { return nil }
        let semaphore = DispatchSemaphore(value: 0)
        queued[key]!.append(semaphore)
        return semaphore
    }

    /// What to wait on before trying again if any key that `matches` is taken now, else nil.
    mutating func waitForAny(where matches: (Key) -> Bool = { _ in true }) -> DispatchSemaphore? {
        guard let key = queued.keys.first(where: matches) else { return nil }
        return wait(for: key)
    }

    /// Takes the turn for `key`, which must be free.
    mutating func take(_ key: Key) {
        precondition(queued[key] == nil, "a turn is taken only when it is free")
        queued[key] = []
    }

    /// Gives the turn for `key` back, returning the callers to wake once the lock is released.
    mutating func give(_ key: Key) -> [DispatchSemaphore] {
        queued.removeValue(forKey: key) ?? []
    }
}

extension Broker {
    /// Runs `body` under the lock once `busy` finds no turn it must wait for (it returns what to
    /// wait on outside the lock, or nil): for calls that change what a sync or an offsets write
    /// under way outside the lock is about to finish.
    func waitingForTurns<T>(
        _ busy: (inout BrokerState) -> DispatchSemaphore?, _ body: (inout BrokerState) throws(BrokerError) -> sending T
    ) throws(BrokerError) -> T {
        while true {
            let outcome = try state.withLock { state throws(BrokerError) -> Waited<T> in
                if let turn = busy(&state) { return .wait(turn) }
                return .done(try body(&state))
            }
            switch outcome {
            case .wait(let turn): turn.wait()
            case .done(let value): return value
            }
        }
    }
}

/// What a call waiting for its turn got: a semaphore to wait on, or its answer.
private enum Waited<T> {
    case wait(DispatchSemaphore)
    case done(T)
}
