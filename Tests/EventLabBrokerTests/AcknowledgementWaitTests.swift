import EventLabCore
import EventLabTestSupport
import Synchronization
import Testing

/// What a waiting acks=all write was answered, in order: a test checks it is answered once.
private final class Answers: Sendable {
    private let results = Mutex<[Result<Void, BrokerError>]>([])

    func append(_ result: Result<Void, BrokerError>) { results.withLock { $0.append(result) } }

    /// Each answer: "ok", or the error's name.
    var names: [String] {
        results.withLock { $0.map { result in
            switch result {
            case .success: "ok"
            case .failure(let error): error.code.name
            }
        } }
    }

    var messages: [String] {
        results.withLock { $0.compactMap { if case .failure(let error) = $0 { error.message } else { nil } } }
    }
}

@Suite("A network producer's acks=all write waits for its in-sync replicas (Kafka's DelayedProduce)")
struct AcknowledgementWaitTests {
    /// A stepped cluster of three with topic `t`, one partition on all three; the leader appends
    /// one record with acks=all.
    private func written(_ backend: Backend, minInsync: Int = 2) throws -> (TestCluster, AppendedBatch) {
        let cluster = try TestCluster(backend, pace: .stepped)
        try cluster.createTopic("t", partitions: 1, factor: 3, minInsync: minInsync, unclean: false)
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: 1, key: nil, value: bytes("a"))])
        let appended = try cluster.broker.appendBatch(batch, topic: "t", partition: 0, acks: .all)
        return (cluster, appended)
    }

    /// Waits on `appended`, answering into `answers`; each answer also asks the broker who leads,
    /// which would deadlock were it called under the broker's lock.
    @discardableResult
    private func wait(_ cluster: TestCluster, _ appended: AppendedBatch, timeoutMs: Int64 = 30_000, into answers: Answers) -> @Sendable () -> Void {
        let broker = cluster.broker
        return broker.whenAcknowledged("t", partition: 0, through: appended.lastOffset, leaderEpoch: appended.leaderEpoch, timeoutMs: timeoutMs) { result in
            _ = try? broker.leadership("t", partition: 0)
            answers.append(result)
        }
    }

    @Test("answered once the followers fetch it, not before, and once only; at once when it already is", arguments: Backend.allCases)
    func acknowledged(backend: Backend) throws {
        let (cluster, appended) = try written(backend)
        let answers = Answers()
        wait(cluster, appended, into: answers)
        #expect(answers.names == [])
        _ = cluster.broker.settleReplication()
        #expect(answers.names == ["ok"])
        try cluster.advance(60_000)
        cluster.timer.advance(60_000)
        cluster.broker.scheduler.runDue(.real)
        #expect(answers.names == ["ok"], "its timeout was cancelled")
        let again = Answers()
        wait(cluster, appended, into: again)
        #expect(again.names == ["ok"])
    }

    @Test("with fewer in-sync replicas than min.insync.replicas once the high watermark passes it: NOT_ENOUGH_REPLICAS_AFTER_APPEND", arguments: Backend.allCases)
    func tooFewInSync(backend: Backend) throws {
        let (cluster, appended) = try written(backend)
        let answers = Answers()
        wait(cluster, appended, into: answers)
        let followers = try cluster.broker.leadership("t", partition: 0).replicas.dropFirst()
        _ = try cluster.broker.stopBroker(followers.first!)
        #expect(answers.names == [])
        _ = try cluster.broker.stopBroker(followers.last!)
        #expect(answers.names == ["NOT_ENOUGH_REPLICAS_AFTER_APPEND"])
        #expect(answers.messages[0].contains("fewer than its min.insync.replicas 2"))
    }

    @Test("a leader that changes fails it with NOT_LEADER_OR_FOLLOWER, saying who leads now", arguments: Backend.allCases)
    func leaderChanged(backend: Backend) throws {
        let (cluster, appended) = try written(backend)
        let answers = Answers()
        wait(cluster, appended, into: answers)
        let replicas = try cluster.broker.leadership("t", partition: 0).replicas
        _ = try cluster.broker.killBroker(replicas[0])
        #expect(answers.names == ["NOT_LEADER_OR_FOLLOWER"])
        #expect(answers.messages[0].contains("broker \(replicas[1]) leads it in epoch \(appended.leaderEpoch + 1)"))
        _ = cluster.broker.settleReplication()
        #expect(answers.names == ["NOT_LEADER_OR_FOLLOWER"])
        let late = Answers()
        wait(cluster, appended, into: late)
        #expect(late.names == ["NOT_LEADER_OR_FOLLOWER"], "a wait that starts after the change fails at once")
    }

    @Test("after its timeout of real time: REQUEST_TIMED_OUT, and nothing more when the followers fetch later", arguments: Backend.allCases)
    func timedOut(backend: Backend) throws {
        let (cluster, appended) = try written(backend)
        let answers = Answers()
        wait(cluster, appended, timeoutMs: 500, into: answers)
        try cluster.broker.scheduler.advanceClock(by: 10_000)
        #expect(answers.names == [], "the broker clock is not the request's")
        cluster.timer.advance(499)
        cluster.broker.scheduler.runDue(.real)
        #expect(answers.names == [])
        cluster.timer.advance(1)
        cluster.broker.scheduler.runDue(.real)
        #expect(answers.names == ["REQUEST_TIMED_OUT"])
        #expect(answers.messages[0].contains("within the request's timeout of 500 ms"))
        _ = cluster.broker.settleReplication()
        #expect(answers.names == ["REQUEST_TIMED_OUT"])
    }

    @Test("a cancelled wait is never answered; a deleted topic's is answered UNKNOWN_TOPIC_OR_PARTITION", arguments: Backend.allCases)
    func cancelledAndDeleted(backend: Backend) throws {
        let (cluster, appended) = try written(backend)
        let cancelled = Answers()
        let cancel = wait(cluster, appended, timeoutMs: 500, into: cancelled)
        let deleted = Answers()
        wait(cluster, appended, into: deleted)
        cancel()
        try cluster.broker.deleteTopic("t")
        cluster.timer.advance(60_000)
        cluster.broker.scheduler.runDue(.real)
        #expect(cancelled.names == [])
        #expect(deleted.names == ["UNKNOWN_TOPIC_OR_PARTITION"])
    }
}
