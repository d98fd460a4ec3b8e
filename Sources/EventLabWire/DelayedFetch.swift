import EventLabCore
import Synchronization

/// A Fetch waiting, as in Kafka's purgatory, until its partitions hold `fetch.min.bytes` or
/// `max_wait_ms` passes.
///
/// Each time one of its partitions grows, it looks again, and waits on the new log ends if that
/// is still too little; `max_wait_ms` runs on the scheduler's real time, so a client never
/// waits for someone to type `clock advance`. It answers once, or never once cancelled.
final class DelayedFetch: Sendable {
    private struct State {
        var isDone = false
        var waiters: [WaiterID] = []
        var timeout: TaskID?
    }

    private let broker: Broker
    private let request: FetchRequest
    private let look: @Sendable () -> (FetchResponse, Int)
    private let answer: @Sendable (FetchResponse) -> Void
    private let state = Mutex(State())

    /// A fetch of `request` that reads with `look` (the response and its record bytes) and
    /// answers through `answer`.
    init(
        broker: Broker, request: FetchRequest, look: @escaping @Sendable () -> (FetchResponse, Int),
        answer: @escaping @Sendable (FetchResponse) -> Void
    ) {
        self.broker = broker
        self.request = request
        self.look = look
        self.answer = answer
    }

    /// Whether `response` answers the request at once, as Kafka decides: no wait asked for, no
    /// partition asked for, enough bytes, or a partition that cannot be read.
    static func answersAtOnce(_ request: FetchRequest, _ response: FetchResponse, bytes: Int) -> Bool {
        request.maxWaitMs <= 0 || request.topics.allSatisfy { $0.partitions.isEmpty } || bytes >= Int(request.minBytes)
            || response.topics.contains { $0.partitions.contains { $0.errorCode != 0 } }
    }

    /// Starts waiting, after `first` was too little.
    func start(after first: FetchResponse) {
        let timeout = broker.scheduler.schedule("fetch max_wait", in: .real, after: Int64(request.maxWaitMs)) { [self] in
            finish(answering: true)
        }
        let late = state.withLock { state in
            state.timeout = timeout
            return state.isDone
        }
        if late { broker.scheduler.cancel(timeout) }
        wait(after: first)
    }

    /// Forgets the fetch without answering: the server is stopping.
    func cancel() {
        finish(answering: false)
    }

    /// Looks again after a partition grew: answers if there is enough now, else waits on.
    private func recheck() {
        let previous = state.withLock { state -> [WaiterID]? in
            guard !state.isDone else { return nil }
            defer { state.waiters = [] }
            return state.waiters
        }
        guard let previous else { return }
        previous.forEach { broker.cancelWaiter($0) }
        let (response, bytes) = look()
        if Self.answersAtOnce(request, response, bytes: bytes) { return finish(answering: true, with: response) }
        wait(after: response)
    }

    /// Waits for any partition to grow past what `response` saw: past its log end, or past the
    /// fetch offset when that is further.
    private func wait(after response: FetchResponse) {
        var ends: [String: [Int32: Int64]] = [:]
        for topic in response.topics {
            for partition in topic.partitions { ends[topic.name, default: [:]][partition.index] = partition.highWatermark }
        }
        var registered: [WaiterID] = []
        for topic in request.topics {
            for partition in topic.partitions {
                let beyond = max(partition.fetchOffset, ends[topic.name]?[partition.index] ?? -1)
                if let id = try? broker.whenData(topic.name, partition: partition.index, beyond: beyond, { [self] in recheck() }) {
                    registered.append(id)
                }
            }
        }
        let stale = state.withLock { state -> [WaiterID] in
            guard !state.isDone else { return registered }
            state.waiters += registered
            return []
        }
        stale.forEach { broker.cancelWaiter($0) }
    }

    /// Ends the wait once: cancels its waiters and timeout, then answers (with `response`, or
    /// what the partitions hold now) if asked to.
    private func finish(answering: Bool, with response: FetchResponse? = nil) {
        let ended = state.withLock { state -> (waiters: [WaiterID], timeout: TaskID?)? in
            guard !state.isDone else { return nil }
            state.isDone = true
            defer { state.waiters = [] }
            return (state.waiters, state.timeout)
        }
        guard let ended else { return }
        ended.waiters.forEach { broker.cancelWaiter($0) }
        if let timeout = ended.timeout { broker.scheduler.cancel(timeout) }
        if answering { answer(response ?? look().0) }
    }
}
