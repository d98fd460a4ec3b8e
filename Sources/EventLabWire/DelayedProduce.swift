import EventLabCore
import Synchronization

/// An acks=all Produce waiting, as in Kafka's purgatory (DelayedProduce), until every partition
/// it appended to is acknowledged by the in-sync replicas, or cannot be.
///
/// Each partition's wait ends on its own — acknowledged, NOT_ENOUGH_REPLICAS_AFTER_APPEND,
/// NOT_LEADER_OR_FOLLOWER or REQUEST_TIMED_OUT — and its error replaces the partition's in the
/// answer, which keeps where the batch was appended. It answers once, when the last ends, or
/// never once cancelled.
final class DelayedProduce: Sendable {
    /// One appended batch to wait for: where its last record lies, in which leader epoch.
    struct Pending: Sendable {
        var topic: String
        var partition: Int32
        var lastOffset: Int64
        var leaderEpoch: Int32
    }

    private struct State {
        var response: ProduceResponse
        var waiting: Int
        var cancels: [@Sendable () -> Void] = []
        var isDone = false
    }

    private let broker: Broker
    private let pending: [Pending]
    private let timeoutMs: Int64
    private let answer: @Sendable (ProduceResponse) -> Void
    private let state: Mutex<State>

    /// A wait for each of `pending` on `broker` before answering `response` through `answer`.
    init(
        broker: Broker, response: ProduceResponse, pending: [Pending], timeoutMs: Int64,
        answer: @escaping @Sendable (ProduceResponse) -> Void
    ) {
        self.broker = broker
        self.pending = pending
        self.timeoutMs = timeoutMs
        self.answer = answer
        state = Mutex(State(response: response, waiting: pending.count))
    }

    /// Starts every partition's wait; those already acknowledged end at once.
    func start() {
        for write in pending {
            let cancel = broker.whenAcknowledged(
                write.topic, partition: write.partition, through: write.lastOffset, leaderEpoch: write.leaderEpoch, timeoutMs: timeoutMs
            ) { [self] result in ended(write, result) }
            let late = state.withLock { state in
                if !state.isDone { state.cancels.append(cancel) }
                return state.isDone
            }
            if late { cancel() }
        }
    }

    /// Forgets the wait without answering: the server is stopping.
    func cancel() {
        let cancels = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.isDone else { return [] }
            state.isDone = true
            defer { state.cancels = [] }
            return state.cancels
        }
        cancels.forEach { $0() }
    }

    /// One partition's wait ended with `result`; the last one answers.
    private func ended(_ write: Pending, _ result: Result<Void, BrokerError>) {
        let response = state.withLock { state -> ProduceResponse? in
            guard !state.isDone else { return nil }
            if case .failure(let error) = result {
                state.response.setError(error.code.rawValue, topic: write.topic, partition: write.partition)
            }
            state.waiting -= 1
            guard state.waiting == 0 else { return nil }
            state.isDone = true
            state.cancels = []
            return state.response
        }
        if let response { answer(response) }
    }
}

extension ProduceResponse {
    /// Gives the answer for partition `partition` of `topic` the error `code`.
    mutating func setError(_ code: Int16, topic: String, partition: Int32) {
        for t in topics.indices where topics[t].name == topic {
            for p in topics[t].partitions.indices where topics[t].partitions[p].index == partition {
                topics[t].partitions[p].errorCode = code
            }
        }
    }
}
