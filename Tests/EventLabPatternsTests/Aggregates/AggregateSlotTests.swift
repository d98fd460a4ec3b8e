import EventLabCore
import EventLabPatterns
import EventLabTestSupport
import Testing

@Suite("A live aggregate folds its topic as it grows")
struct AggregateSlotTests {
    @Test("caught up in random steps with snapshots every N, it equals a rebuild from scratch, and so does a new one starting from its snapshots", arguments: Backend.allCases)
    func liveEqualsRebuild(backend: Backend) throws {
        var generator = SeededGenerator(seed: backend == .memory ? 1701 : 1702)
        for round in 0..<(backend == .memory ? 30 : 8) {
            let test = try TestBroker(backend)
            let broker = test.broker
            try broker.createTopic("accounts", partitions: Int.random(in: 1...3, using: &generator))
            var live = Flows.AggregateSlot(try AggregateFoldTests.account())
            live.snapshotEvery = Int.random(in: 1...7, using: &generator)
            var published = 0
            for _ in 0..<Int.random(in: 0...50, using: &generator) {
                let account = "a-\(Int.random(in: 0..<5, using: &generator))"
                let record = switch Int.random(in: 0..<10, using: &generator) {
                case 0: AggregateSnapshotTests.deposit(account, #""x""#)
                case 1...3: AggregateSnapshotTests.withdrawal(account, Int.random(in: 1...30, using: &generator))
                default: AggregateSnapshotTests.deposit(account, "\(Int.random(in: 1...30, using: &generator))")
                }
                _ = try broker.publish("accounts", [record])
                if Int.random(in: 0..<4, using: &generator) == 0 { published += live.catchUp(from: broker).snapshotRecords }
            }
            published += live.catchUp(from: broker).snapshotRecords
            let scratch = try live.aggregate.rebuild(from: broker)
            #expect(live.states == scratch.states, "round \(round)")
            #expect(live.positions == scratch.report.readTo, "round \(round)")
            var reopened = Flows.AggregateSlot(live.aggregate)
            let start = reopened.catchUp(from: broker)
            #expect(reopened.states == scratch.states, "round \(round)")
            #expect((start.fromSnapshots != nil) == (published > 0), "round \(round)")
        }
    }

    @Test("it says once when retention deletes events it folded or had not read, and reads on from the log start", arguments: Backend.allCases)
    func retention(backend: Backend) throws {
        let test = try TestBroker(backend)
        let broker = test.broker
        var config = TopicConfig()
        config.segmentRecords = 2
        config.retentionRecords = 2
        try broker.createTopic("accounts", partitions: 1, config: config)
        var live = Flows.AggregateSlot(try AggregateFoldTests.account())
        for amount in 1...3 { _ = try broker.publish("accounts", [AggregateSnapshotTests.deposit("a-1", "\(amount)")]) }
        #expect(live.catchUp(from: broker).deletedFolded == 0)
        for amount in 4...5 { _ = try broker.publish("accounts", [AggregateSnapshotTests.deposit("a-1", "\(amount)")]) }
        _ = try broker.runRetention()
        let start = try broker.offsets("accounts", partition: 0).logStartOffset
        #expect(start > 0)
        let found = live.catchUp(from: broker)
        #expect(found.deletedFolded == min(start, 3))
        #expect(found.deletedUnread == max(0, start - 3))
        #expect(live.states["a-1"]?.version == 5)
        #expect(live.catchUp(from: broker) == AggregateCatchUp())
    }

    @Test("an aggregate without rules reads nothing, and a rule changed once it holds state marks its states as mixing rules", arguments: Backend.allCases)
    func mixing(backend: Backend) throws {
        let test = try TestBroker(backend)
        try test.broker.createTopic("accounts", partitions: 1)
        _ = try test.broker.publish("accounts", [AggregateSnapshotTests.deposit("a-1", "5")])
        var flows = Flows()
        try flows.add(try Aggregate(name: "account", source: "accounts", key: try Expression("$.account"), initial: try JSONParser.parse(#"{"balance":0}"#)))
        let deposit = try AggregateRule("on Deposited set balance = state.balance + $.amount")
        let doubled = try AggregateRule("on Deposited set balance = state.balance + $.amount * 2")
        try flows.changeAggregate("account") { slot throws(AggregateError) in
            #expect(slot.catchUp(from: test.broker) == AggregateCatchUp())
            #expect(!slot.hasRead)
            try slot.aggregate.add(deposit)
        }
        #expect(try !flows.aggregate("account").mixesRules)
        try flows.changeAggregate("account") { slot in _ = slot.catchUp(from: test.broker) }
        #expect(try flows.aggregate("account").states["a-1"]?.state == JSONParser.parse(#"{"balance":5}"#))
        try flows.changeAggregate("account") { slot throws(AggregateError) in try slot.aggregate.replace(1, with: doubled) }
        #expect(try flows.aggregate("account").mixesRules)
    }

    @Test("an upcaster added once an aggregate holds state marks its states as mixing readings, as a rule change does", arguments: Backend.allCases)
    func mixingUpcasters(backend: Backend) throws {
        let test = try TestBroker(backend)
        try test.broker.createTopic("accounts", partitions: 1)
        _ = try test.broker.publish("accounts", [AggregateSnapshotTests.deposit("a-1", "5")])
        var flows = Flows()
        var account = try Aggregate(name: "account", source: "accounts", key: try Expression("$.account"), initial: try JSONParser.parse(#"{"balance":0}"#))
        try account.add(AggregateRule("on Deposited set balance = state.balance + $.amount"))
        try flows.add(account)
        let upcaster = try Upcaster(#"on Deposited to {"type":"Deposited","account":$.account,"amount":$.amount * 2}"#)
        // Before any event is folded, upcasters change nothing that was folded.
        try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.add(upcaster) }
        #expect(try !flows.aggregate("account").mixesRules)
        try flows.changeAggregate("account") { slot in _ = slot.catchUp(from: test.broker) }
        #expect(try flows.aggregate("account").states["a-1"]?.state == JSONParser.parse(#"{"balance":10}"#))
        try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.remove(1) }
        #expect(try flows.aggregate("account").mixesRules)
    }
}
