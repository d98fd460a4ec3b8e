import EventLabCore
import EventLabPatterns
import EventLabTestSupport
import Testing

@Suite("An aggregate is rebuilt and travelled through time through the broker's API")
struct AggregateBrokerTests {
    /// Account a-1's history, with a-2's and some noise between: each event's value, its
    /// record key (nil for none), and its timestamp.
    static let story: [(value: String, key: String?, time: Int64)] = [
        (#"{"type":"Deposited","account":"a-1","amount":100}"#, "a-1", 1_000),
        (#"{"type":"Deposited","account":"a-2","amount":7}"#, "a-2", 1_500),
        (#"{"type":"Deposited","account":"a-1","amount":50}"#, "a-1", 2_000),
        (#"{"note":"no type","account":"a-1"}"#, "a-1", 2_500),
        (#"{"type":"Withdrawn","account":"a-1","amount":30}"#, "a-1", 3_000),
        (#"{"type":"Deposited","account":"a-1","amount":"x"}"#, "a-1", 3_500),
        (#"{"type":"Withdrawn","account":"a-1","amount":500}"#, "a-1", 4_000),
        (#"{"type":"Deposited","account":"a-2","amount":3}"#, "elsewhere", 4_500),
        (#"{"type":"Deposited","account":"a-1","amount":10}"#, "a-1", 5_000),
    ]

    /// a-1's balance after each of its applied events.
    static let balances = [100, 150, 120, 120, 130]

    func published(_ backend: Backend) throws -> (TestBroker, [RecordPosition]) {
        let test = try TestBroker(backend)
        try test.broker.createTopic("accounts", partitions: 3)
        let positions = try Self.story.flatMap { event in
            try test.broker.publish("accounts", [ProducerRecord(key: event.key.map { Array($0.utf8) }, value: Array(event.value.utf8), timestamp: event.time)])
        }
        return (test, positions)
    }

    func state(_ balance: Int, withdrawals: Int) throws -> JSON {
        try JSONParser.parse(withdrawals == 0 ? #"{"balance":\#(balance)}"# : #"{"balance":\#(balance),"withdrawals":\#(withdrawals)}"#)
    }

    @Test("a rebuild folds every partition from its log start and reports what it read", arguments: Backend.allCases)
    func rebuild(backend: Backend) throws {
        let (test, positions) = try published(backend)
        let (states, report) = try AggregateFoldTests.account().rebuild(from: test.broker)
        let last = positions[8]
        #expect(states["a-1"] == AggregateState(state: try state(130, withdrawals: 1), version: 5, offset: last.offset, partition: last.partition))
        #expect(states["a-2"]?.state == (try state(10, withdrawals: 0)))
        #expect(states["a-2"]?.version == 2)
        #expect(states.count == 2)
        #expect(report.eventsRead == 9)
        #expect(report.applied == 7)
        #expect(report.skippedWithoutType == 1)
        #expect(report.keyedOtherwise == 1)
        #expect(report.failures.map(\.description) == [
            "partition \(positions[5].partition) offset \(positions[5].offset): rule 1: the value of balance at column 42 (near `…e.balance + $.amount`): `+` needs two numbers or two texts, found a number and a string; `+` joins two texts, so turn the other into text with string(…)",
        ])
    }

    @Test("a rebuild after a rule is replaced replays the whole history into the new state", arguments: Backend.allCases)
    func rebuildAfterAChange(backend: Backend) throws {
        let (test, _) = try published(backend)
        var account = try AggregateFoldTests.account()
        try account.replace(2, with: AggregateRule("on Withdrawn set balance = state.balance - $.amount"))
        let (states, report) = try account.rebuild(from: test.broker)
        #expect(states["a-1"]?.state == (try state(-370, withdrawals: 0)), "100 + 50 - 30 - 500 + 10, with no overdraft check")
        #expect(report.applied == 7)
    }

    @Test("time travel gives a key's state at an offset of its partition, after its Nth event, or at a time", arguments: Backend.allCases)
    func timeTravel(backend: Backend) throws {
        let (test, positions) = try published(backend)
        let account = try AggregateFoldTests.account()
        let applied = [0, 2, 4, 6, 8]
        for (index, storyIndex) in applied.enumerated() {
            let expected = try state(Self.balances[index], withdrawals: index >= 2 ? 1 : 0)
            let position = positions[storyIndex]
            let atOffset = try account.state(key: "a-1", at: .offset(position.offset), in: test.broker)
            #expect(atOffset == AggregateState(state: expected, version: index + 1, offset: position.offset, partition: position.partition))
            #expect(try account.state(key: "a-1", at: .version(index + 1), in: test.broker) == atOffset)
            #expect(try account.state(key: "a-1", at: .time(Self.story[storyIndex].time), in: test.broker) == atOffset)
            #expect(try account.state(key: "a-1", at: .time(Self.story[storyIndex].time + 499), in: test.broker) == atOffset)
        }
        #expect(try account.state(key: "a-1", at: .version(0), in: test.broker) == AggregateState(account.initial))
        #expect(try account.state(key: "a-1", at: .time(999), in: test.broker) == AggregateState(account.initial))
        #expect(try account.state(key: "a-1", in: test.broker) == (try account.rebuild(from: test.broker)).states["a-1"])
        #expect(try account.state(key: "a-9", in: test.broker) == AggregateState(account.initial))
        #expect(try account.state(key: "a-2", in: test.broker).version == 2, "an event keyed otherwise counts for its aggregate key")
    }

    @Test("--at an offset folds the key's partition up to it, with the key's events elsewhere only where the fold reads them first", arguments: Backend.allCases)
    func offsetInTheKeysPartition(backend: Backend) throws {
        let test = try TestBroker(backend)
        try test.broker.createTopic("accounts", partitions: 2)
        let account = try AggregateFoldTests.account()
        #expect(try account.partition(ofKey: "a-1", in: test.broker) == 0)
        #expect(try account.partition(ofKey: "a-2", in: test.broker) == 1)
        func deposit(_ owner: String, _ amount: Int, key: String, into partition: Int32) throws {
            let value = #"{"type":"Deposited","account":"\#(owner)","amount":\#(amount)}"#
            let position = try test.broker.publish("accounts", [ProducerRecord(key: Array(key.utf8), value: Array(value.utf8))])[0]
            try #require(position.partition == partition, "\(key) hashes to p\(partition)")
        }
        try deposit("a-1", 1, key: "a-1", into: 0)          // p0 @0
        try deposit("a-1", 10, key: "a-1", into: 0)         // p0 @1
        try deposit("a-2", 1000, key: "a-1", into: 0)       // p0 @2: a-2's, keyed otherwise
        try deposit("a-1", 100, key: "a-1", into: 0)        // p0 @3
        try deposit("a-2", 5, key: "a-2", into: 1)          // p1 @0
        try deposit("a-1", 10_000, key: "tx-1", into: 1)    // p1 @1: a-1's, keyed otherwise
        func balance(_ value: Int) throws -> JSON { try JSONParser.parse(#"{"balance":\#(value)}"#) }

        // a-1's event in p1 has no order against p0's offsets and the fold reads p1 after p0: left out.
        #expect(try account.state(key: "a-1", at: .offset(0), in: test.broker) == AggregateState(state: try balance(1), version: 1, offset: 0, partition: 0))
        #expect(try account.state(key: "a-1", at: .offset(1), in: test.broker) == AggregateState(state: try balance(11), version: 2, offset: 1, partition: 0))
        #expect(try account.state(key: "a-1", at: .offset(2), in: test.broker) == (try account.state(key: "a-1", at: .version(2), in: test.broker)))
        #expect(try account.state(key: "a-1", at: .offset(9), in: test.broker) == AggregateState(state: try balance(111), version: 3, offset: 3, partition: 0))
        #expect(try account.state(key: "a-1", in: test.broker).state == (try balance(10_111)))
        // a-2's event in p0 is read first, so its state at any offset of p1 holds it, as --version does.
        #expect(try account.state(key: "a-2", at: .offset(0), in: test.broker) == AggregateState(state: try balance(1005), version: 2, offset: 0, partition: 1))
        #expect(try account.state(key: "a-2", at: .offset(0), in: test.broker) == (try account.state(key: "a-2", at: .version(2), in: test.broker)))
    }

    @Test("a trace lists every event applied to a key with the state after it", arguments: Backend.allCases)
    func trace(backend: Backend) throws {
        let (test, positions) = try published(backend)
        let account = try AggregateFoldTests.account()
        let steps = try account.history(key: "a-1", in: test.broker).steps
        #expect(steps.map(\.eventType) == ["Deposited", "Deposited", "Withdrawn", "Withdrawn", "Deposited"])
        #expect(steps.map(\.version) == [1, 2, 3, 4, 5])
        #expect(steps.map(\.offset) == [0, 2, 4, 6, 8].map { positions[$0].offset })
        #expect(steps.map(\.timestamp) == [1_000, 2_000, 3_000, 4_000, 5_000])
        #expect(steps.map(\.state) == (try Self.balances.enumerated().map { index, balance in try state(balance, withdrawals: index >= 2 ? 1 : 0) }))
    }

    @Test("an unknown topic is the broker's error", arguments: Backend.allCases)
    func unknownTopic(backend: Backend) throws {
        let test = try TestBroker(backend)
        #expect(brokerError { _ = try AggregateFoldTests.account().rebuild(from: test.broker) }?.code == .unknownTopicOrPartition)
    }
}
