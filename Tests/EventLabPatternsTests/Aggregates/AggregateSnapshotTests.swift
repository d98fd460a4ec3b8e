import EventLabCore
import EventLabPatterns
import EventLabTestSupport
import Testing

@Suite("An aggregate snapshots its states and rebuilds from them")
struct AggregateSnapshotTests {
    static func deposit(_ account: String, _ amount: String) -> ProducerRecord {
        ProducerRecord(key: Array(account.utf8), value: Array(#"{"type":"Deposited","account":"\#(account)","amount":\#(amount)}"#.utf8))
    }

    static func withdrawal(_ account: String, _ amount: Int) -> ProducerRecord {
        ProducerRecord(key: Array(account.utf8), value: Array(#"{"type":"Withdrawn","account":"\#(account)","amount":\#(amount)}"#.utf8))
    }

    /// The account aggregate with its deposits doubled: other rules, so another fingerprint.
    static func doubling() throws -> Aggregate {
        var account = try AggregateFoldTests.account()
        try account.replace(1, with: AggregateRule("on Deposited set balance = state.balance + $.amount * 2"))
        return account
    }

    @Test("a snapshot record is the key and compact JSON of its fields, and reads back as it was")
    func format() throws {
        let entry = AggregateState(state: try JSONParser.parse(#"{"balance":130}"#), version: 5, offset: 41, partition: 0)
        let snapshot = AggregateSnapshot(key: "a-1", entry: entry, at: [1: 17, 0: 42], fingerprint: "00000000000000ab")
        let record = snapshot.record(aggregate: "account")
        #expect(record.key == Array("a-1".utf8))
        #expect(String(decoding: record.value ?? [], as: UTF8.self)
            == #"{"aggregate":"account","fingerprint":"00000000000000ab","version":5,"partition":0,"offset":41,"at":{"0":42,"1":17},"state":{"balance":130}}"#)
        let read = Record(offset: 0, timestamp: 0, key: record.key, value: record.value)
        #expect(AggregateSnapshot.read(read, aggregate: "account") == .success(snapshot))
        #expect(AggregateSnapshot.read(read, aggregate: "other") == .failure(AggregateSnapshotError("it is not aggregate other's")))
    }

    @Test("a rebuild from snapshots replays only the events after them, reports it, and ignores bad records with a reason", arguments: Backend.allCases)
    func rebuildFromSnapshots(backend: Backend) throws {
        let test = try TestBroker(backend)
        let broker = test.broker
        try broker.createTopic("accounts", partitions: 2)
        try broker.createTopic("account-snapshots", partitions: 1)
        let account = try AggregateFoldTests.account()
        for index in 0..<20 { _ = try broker.publish("accounts", [Self.deposit("a-\(index % 3)", "\(index)")]) }
        let (states, report) = try account.rebuild(from: broker)
        _ = try broker.publish("account-snapshots", account.snapshotRecords(states, at: report.readTo))
        _ = try broker.publish("accounts", [Self.withdrawal("a-0", 5), Self.deposit("a-3", "1")])

        let (fromSnapshots, used) = try account.rebuild(from: broker, snapshots: "account-snapshots")
        #expect(fromSnapshots == (try account.rebuild(from: broker)).states)
        #expect(used.eventsRead == 2)
        #expect(used.snapshots?.recordsInTopic == 22)
        #expect(used.snapshots?.keysFromSnapshot == 3)
        #expect(used.snapshots?.ignored == [:])

        // A bad record, newest for its key, is ignored with its reason and the key replayed whole.
        _ = try broker.publish("account-snapshots", [
            ProducerRecord(key: Array("a-1".utf8), value: Array("not json".utf8)),
            ProducerRecord(key: nil, value: Array("{}".utf8)),
        ])
        let (afterBad, bad) = try account.rebuild(from: broker, snapshots: "account-snapshots")
        #expect(afterBad == (try account.rebuild(from: broker)).states)
        #expect(bad.snapshots?.ignored == ["its value is not a JSON object": 1, "it has no key": 1])
        #expect(bad.snapshots?.keysFromSnapshot == 2)
        #expect(bad.eventsRead == 22 - 13)

        // Under other rules every snapshot is ignored and the whole topic replayed.
        let doubling = try Self.doubling()
        let (other, ignored) = try doubling.rebuild(from: broker, snapshots: "account-snapshots")
        #expect(other == (try doubling.rebuild(from: broker)).states)
        #expect(ignored.snapshots?.ignored[Aggregate.otherRules] == 2)
        #expect(ignored.snapshots?.keysFromSnapshot == 0)
        #expect(ignored.eventsRead == 22)
    }

    @Test("a rebuild from snapshots equals one from the start over random histories, snapshot points and rule changes", arguments: Backend.allCases)
    func sameAsFromScratch(backend: Backend) throws {
        var generator = SeededGenerator(seed: backend == .memory ? 1601 : 1602)
        let rules = [try AggregateFoldTests.account(), try Self.doubling()]
        for round in 0..<(backend == .memory ? 40 : 12) {
            let test = try TestBroker(backend)
            let broker = test.broker
            try broker.createTopic("accounts", partitions: Int.random(in: 1...3, using: &generator))
            try broker.createTopic("account-snapshots", partitions: Int.random(in: 1...2, using: &generator))
            let count = Int.random(in: 0...60, using: &generator)
            let points = Set((0..<Int.random(in: 0...3, using: &generator)).map { _ in Int.random(in: 0...count, using: &generator) })
            var snapshotRules: Aggregate?
            var snapshotKeys = 0
            var replayedAfter = 0
            for index in 0...count {
                if points.contains(index) {
                    let aggregate = rules.randomElement(using: &generator)!
                    let (states, report) = try aggregate.rebuild(from: broker)
                    _ = try broker.publish("account-snapshots", aggregate.snapshotRecords(states, at: report.readTo))
                    snapshotRules = aggregate
                    snapshotKeys = states.count
                    replayedAfter = 0
                }
                guard index < count else { break }
                let account = "a-\(Int.random(in: 0..<5, using: &generator))"
                let record = switch Int.random(in: 0..<10, using: &generator) {
                case 0: Self.deposit(account, #""x""#)
                case 1: ProducerRecord(key: Array(account.utf8), value: Array(#"{"note":"no type"}"#.utf8))
                case 2...4: Self.withdrawal(account, Int.random(in: 1...30, using: &generator))
                default: Self.deposit(account, "\(Int.random(in: 1...30, using: &generator))")
                }
                _ = try broker.publish("accounts", [record])
                replayedAfter += 1
            }
            let now = rules.randomElement(using: &generator)!
            let (fromSnapshots, report) = try now.rebuild(from: broker, snapshots: "account-snapshots")
            #expect(fromSnapshots == (try now.rebuild(from: broker)).states, "round \(round)")
            if let snapshotRules, snapshotRules.fingerprint == now.fingerprint {
                #expect(report.snapshots?.keysFromSnapshot == snapshotKeys, "round \(round)")
                // With no key to snapshot, nothing was published and the whole topic is read.
                #expect(report.eventsRead == (snapshotKeys == 0 ? count : replayedAfter), "round \(round)")
            } else if snapshotRules != nil {
                #expect(report.snapshots?.ignored[Aggregate.otherRules, default: 0] == snapshotKeys, "round \(round)")
                #expect(report.eventsRead == count, "round \(round)")
            }
        }
    }
}
