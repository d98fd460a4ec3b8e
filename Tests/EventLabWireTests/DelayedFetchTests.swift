import EventLabCore
@testable import EventLabWire
import EventLabTestSupport
import Synchronization
import Testing

/// The answers a request got, as they came.
final class Answers: Sendable {
    private let bodies = Mutex<[[UInt8]?]>([])
    func add(_ body: ResponseBody?) { bodies.withLock { $0.append(try? body?.bytes()) } }
    var count: Int { bodies.withLock { $0.count } }
    /// The bytes of the last answer, failing the test if there is none or it was "send nothing".
    func lastBytes(sourceLocation: SourceLocation = #_sourceLocation) throws -> [UInt8] {
        try #require(bodies.withLock { $0.last ?? nil }, sourceLocation: sourceLocation)
    }
}

/// The high watermark and record bytes of the only partition in a Fetch v11 answer.
private func fetched(_ body: [UInt8]) throws -> (highWatermark: Int64, recordBytes: Int) {
    var reader = WireReader(body)
    _ = try reader.integer(Int32.self)  // throttle
    _ = try reader.integer(Int16.self)  // error
    _ = try reader.integer(Int32.self)  // session
    _ = try reader.integer(Int32.self)  // topics
    _ = try reader.string()
    _ = try reader.integer(Int32.self)  // partitions
    _ = try reader.integer(Int32.self)  // index
    _ = try reader.integer(Int16.self)  // error
    let highWatermark = try reader.integer(Int64.self)
    _ = try reader.integer(Int64.self)  // last stable offset
    _ = try reader.integer(Int64.self)  // log start
    _ = try reader.array { reader throws(WireError) in try reader.integer(Int64.self) }  // aborted transactions
    _ = try reader.integer(Int32.self)  // preferred read replica
    return (highWatermark, Int(try reader.integer(Int32.self)))
}

/// Which broker clock a test runs on: fetch waits must not care.
enum ClockKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case logical, system

    var testDescription: String { rawValue }

    func make() -> any BrokerClock {
        switch self {
        case .logical: LogicalClock()
        case .system: SystemClock()
        }
    }
}

@Suite("Delayed fetch")
struct DelayedFetchTests {
    /// An API over a broker with one topic `t`, on a manual timer, with nothing run in the background.
    func api(_ clock: ClockKind) throws -> (KafkaAPI, Broker, ManualTimer) {
        let timer = ManualTimer()
        let broker = try Broker(clock: clock.make(), timer: timer, waker: nil)
        try broker.createTopic("t", partitions: 1)
        return (KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092), broker, timer)
    }

    func send(_ api: KafkaAPI, _ bytes: [UInt8]) throws -> Answers {
        let answers = Answers()
        let (header, request) = try RequestDecoder.decode(bytes)
        api.handle(header, request) { answers.add($0.body) }
        return answers
    }

    @Test("a fetch waits past small appends until its partitions hold min_bytes", arguments: ClockKind.allCases)
    func waitsForMinBytes(clock: ClockKind) throws {
        let (api, broker, _) = try api(clock)
        let answers = try send(api, fetchFrame(maxWaitMs: 3000, minBytes: 1000))
        try broker.publishEach("t", [(nil, String(repeating: "a", count: 100))])
        try broker.publishEach("t", [(nil, String(repeating: "b", count: 100))])
        #expect(answers.count == 0)
        try broker.publishEach("t", [(nil, String(repeating: "c", count: 900))])
        #expect(answers.count == 1)
        let answer = try fetched(try answers.lastBytes())
        #expect(answer.highWatermark == 3)
        #expect(answer.recordBytes >= 1000)
        #expect(broker.scheduler.pending(.real).isEmpty)
        try broker.publishEach("t", [(nil, "later")])
        #expect(answers.count == 1)
    }

    @Test("a fetch short of min_bytes answers when max_wait passes on real time, whatever the broker clock", arguments: ClockKind.allCases)
    func answersAtMaxWait(clock: ClockKind) throws {
        let (api, broker, timer) = try api(clock)
        let answers = try send(api, fetchFrame(maxWaitMs: 3000, minBytes: 1000))
        try broker.publishEach("t", [(nil, "small")])
        timer.advance(2999)
        broker.scheduler.runDue(.real)
        #expect(answers.count == 0)
        timer.advance(1)
        broker.scheduler.runDue(.real)
        #expect(answers.count == 1)
        #expect(try fetched(try answers.lastBytes()).highWatermark == 1)
        try broker.publishEach("t", [(nil, String(repeating: "x", count: 2000))])
        #expect(answers.count == 1)
    }

    @Test("a waiting fetch answers as soon as its topic is deleted, and one that asks for no partition does not wait")
    func answersAtOnce() throws {
        let (api, broker, _) = try api(.logical)
        let answers = try send(api, fetchFrame(maxWaitMs: 3000, minBytes: 1000))
        #expect(answers.count == 0)
        try broker.deleteTopic("t")
        #expect(answers.count == 1)
        #expect(broker.scheduler.pending(.real).isEmpty)
        let nothing = frame(key: .fetch, version: 11) { writer in
            writer.integer(Int32(-1)); writer.integer(Int32(3000)); writer.integer(Int32(1)); writer.integer(Int32(1 << 20))
            writer.integer(Int8(0)); writer.integer(Int32(0)); writer.integer(Int32(-1))
            writer.array([String]()) { $0.string($1) }
            writer.array([String]()) { $0.string($1) }
            writer.string("")
        }
        #expect(try send(api, nothing).count == 1)
    }

    @Test("stopping the API cancels a parked fetch and a parked JoinGroup: nothing answers afterwards")
    func stopCancelsParkedWork() throws {
        let (api, broker, timer) = try api(.logical)
        let fetch = try send(api, fetchFrame(maxWaitMs: 3000))
        // JoinGroup v4+ first gives a new member its id with MEMBER_ID_REQUIRED (79).
        let first = try send(api, joinFrame(member: try joinedMemberId(try send(api, joinFrame(member: "")).lastBytes(), error: 79)))
        #expect(first.count == 1)
        let firstId = try joinedMemberId(try first.lastBytes())
        // The first member has not rejoined, so a second one's join waits for the rebalance.
        let second = try send(api, joinFrame(member: try joinedMemberId(try send(api, joinFrame(member: "")).lastBytes(), error: 79)))
        #expect(second.count == 0)
        api.stop()
        #expect(broker.scheduler.pending(.real).allSatisfy { $0.label != "fetch max_wait" })
        try broker.publishEach("t", [(nil, "x")])
        _ = try send(api, joinFrame(member: firstId))
        timer.advance(60_000)
        broker.scheduler.runDue(.real)
        #expect(fetch.count == 0)
        #expect(second.count == 0)
    }
}

/// A JoinGroup v5 for group `g` with a 10 s session and a 30 s rebalance timeout.
private func joinFrame(member: String) -> [UInt8] {
    frame(key: .joinGroup, version: 5) { writer in
        writer.string("g"); writer.integer(Int32(10000)); writer.integer(Int32(30000)); writer.string(member); writer.string(nil); writer.string("consumer")
        writer.array(["range"]) { writer, name in writer.string(name); writer.bytes([0, 0, 0, 0]) }
    }
}

/// The member id a JoinGroup v5 answer gives, with its error code `error`.
private func joinedMemberId(_ body: [UInt8], error: Int16 = 0) throws -> String {
    var reader = WireReader(body)
    _ = try reader.integer(Int32.self)  // throttle
    #expect(try reader.integer(Int16.self) == error)
    _ = try reader.integer(Int32.self)  // generation
    _ = try reader.string()  // protocol
    _ = try reader.string()  // leader
    return try #require(try reader.string())
}
