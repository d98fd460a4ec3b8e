import EventLabCore
import EventLabPatterns
import EventLabTestSupport
import Testing

@Suite("A key's history splits at its snapshot's offsets and counts what retention deleted")
struct AggregateHistoryTests {
    static func event(_ key: String, _ text: String) -> ProducerRecord {
        ProducerRecord(key: Array(key.utf8), value: Array(#"{"type":"E","a":"x","s":"\#(text)"}"#.utf8))
    }

    static func book() throws -> Aggregate {
        var book = try Aggregate(name: "book", source: "ledger", key: try Expression("$.a"), initial: try JSONParser.parse(#"{"log":""}"#))
        _ = try book.add(AggregateRule("on E set log = state.log + $.s"))
        return book
    }

    @Test("events below the snapshot's at are folded from the initial state, the rest from the snapshot's state")
    func split() throws {
        let test = try TestBroker(.memory)
        _ = try test.broker.createTopic("ledger", partitions: 2)
        _ = try test.broker.publish("ledger", partition: 0, [Self.event("x", "1"), Self.event("x", "2")], ifEndIs: 0)
        _ = try test.broker.publish("ledger", partition: 1, [Self.event("y", "3")], ifEndIs: 0)
        let book = try Self.book()
        let held = AggregateState(state: try JSONParser.parse(#"{"log":"31"}"#), version: 2, offset: 0, partition: 0)
        let snapshot = AggregateSnapshot(key: "x", entry: held, at: [0: 1, 1: 1], fingerprint: book.fingerprint)
        let history = try book.history(key: "x", from: snapshot, in: test.broker)
        // The event keyed y is x's too (its $.a), in p1 below the snapshot's at: inside it.
        #expect(history.before.map { "\($0.partition)@\($0.offset) v\($0.version) \($0.state)" } == [#"0@0 v1 {"log":"1"}"#, #"1@0 v2 {"log":"13"}"#])
        #expect(history.after.map { "\($0.partition)@\($0.offset) v\($0.version) \($0.state)" } == [#"0@1 v3 {"log":"312"}"#])
        #expect(history.gone == 0)
        #expect(history.logStarts.isEmpty)
    }

    @Test("without a snapshot every event is folded from the initial state")
    func whole() throws {
        let test = try TestBroker(.memory)
        _ = try test.broker.createTopic("ledger", partitions: 1)
        _ = try test.broker.publish("ledger", partition: 0, [Self.event("x", "1"), Self.event("x", "2")], ifEndIs: 0)
        let history = try Self.book().history(key: "x", in: test.broker)
        #expect(history.steps.map(\.state.description) == [#"{"log":"1"}"#, #"{"log":"12"}"#])
        #expect(history.after.isEmpty && history.snapshot == nil)
    }
}
