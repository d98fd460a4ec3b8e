import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

@Suite("Projections in the flows: caught up in drains and steps, inline, committed to their groups, restored")
struct FlowsProjectionTests {
    /// A projection `name` summing deposits per account and counting openings.
    static func balances(_ name: String = "balances", from sources: [String] = ["accounts"]) throws -> Projection {
        var projection = Projection(name: name, sources: sources)
        try projection.add(ProjectionRule("on Deposited sum $.amount by $.account"))
        try projection.add(ProjectionRule("on Opened count by $.account"))
        return projection
    }

    static func broker(_ backend: Backend) throws -> TestBroker {
        let test = try TestBroker(backend)
        try test.broker.createTopic("accounts", partitions: 2)
        try test.broker.createTopic("requests", partitions: 1)
        return test
    }

    static func deposit(_ broker: Broker, _ account: String, _ amount: Int) throws {
        _ = try broker.publishEach("accounts", [(account, #"{"type":"Deposited","account":"\#(account)","amount":\#(amount)}"#)])
    }

    static func committed(_ broker: Broker, _ group: String) -> [String] {
        broker.committedOffsets(groupId: group).sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value.offset)" }
    }

    @Test("a drain catches a projection up with what services emitted in it, and commits its positions to its group", arguments: Backend.allCases)
    func drain(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        var teller = Service(name: "teller", sources: ["requests"])
        try teller.add(ServiceRule(#"on DepositRequested emit accounts {"type":"Deposited","account":$.account,"amount":$.amount} key=$.account"#))
        try flows.add(teller)
        try flows.add(Self.balances())
        _ = try test.broker.publishEach("requests", [("a-1", #"{"type":"DepositRequested","account":"a-1","amount":30}"#)])
        let report = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 5)
        #expect(report.projections.steps.map(\.effect) == ["sum 30 to a-1"])
        let model = try flows.projection("balances").readModel
        #expect(model.row("a-1")?.sum == ExactNumber(30))
        #expect(try model.lag(in: test.broker).allSatisfy { $0.behind == 0 })
        #expect(Self.committed(test.broker, "balances") == model.positions.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value)" })
        #expect(try test.broker.describeGroup("balances").partitions.allSatisfy { $0.lag == 0 })
    }

    @Test("a paused projection reads nothing and its group's lag grows; a projection without rules reads nothing", arguments: Backend.allCases)
    func paused(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        try flows.add(Self.balances())
        try flows.add(Projection(name: "empty", sources: ["accounts"]))
        try Self.deposit(test.broker, "a-1", 10)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        try flows.changeProjection("balances") { $0.isRunning = false }
        try Self.deposit(test.broker, "a-1", 5)
        let report = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(report.projections.recordsRead == 0)
        let model = try flows.projection("balances").readModel
        #expect(model.row("a-1")?.sum == ExactNumber(10))
        #expect(try model.lag(in: test.broker).map(\.behind).reduce(0, +) == 1)
        #expect(try test.broker.describeGroup("balances").partitions.compactMap(\.lag).reduce(0, +) == 1)
        #expect(try flows.projection("empty").readModel.positions.isEmpty)
    }

    @Test("catchUpInline brings inline projections up to date and leaves the others to the drain", arguments: Backend.allCases)
    func inline(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        try flows.add(Self.balances("inline-view"), inline: true)
        try flows.add(Self.balances("async-view"))
        try Self.deposit(test.broker, "a-1", 10)
        let trace = flows.catchUpInline(test.broker, traceBudget: 5)
        #expect(trace.read == ["inline-view": 1])
        #expect(try flows.projection("inline-view").readModel.row("a-1")?.sum == ExactNumber(10))
        #expect(try flows.projection("async-view").readModel.count == 0)
        #expect(Self.committed(test.broker, "async-view").isEmpty)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(try flows.projection("async-view").readModel.row("a-1")?.sum == ExactNumber(10))
    }

    @Test("a step delivers to services first, then one record to the first projection by name", arguments: Backend.allCases)
    func step(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        flows.mode = .manual
        try flows.add(Self.balances("b-view"))
        try flows.add(Self.balances("a-view"))
        try Self.deposit(test.broker, "a-1", 10)
        try Self.deposit(test.broker, "a-1", 5)
        var lines: [String] = []
        while let report = flows.step(test.broker, members: ServiceMembers()) {
            #expect(report.projections.steps.count == 1)
            lines += report.projections.steps.map { "\($0.projection) \($0.source) \($0.eventType ?? "-") \($0.effect)" }
        }
        let partition = try #require(test.broker.describeTopic("accounts").partitions.first { $0.logEndOffset > 0 }).index
        #expect(lines == [
            "a-view accounts/\(partition)/0 Deposited sum 10 to a-1", "a-view accounts/\(partition)/1 Deposited sum 5 to a-1",
            "b-view accounts/\(partition)/0 Deposited sum 10 to a-1", "b-view accounts/\(partition)/1 Deposited sum 5 to a-1",
        ])
        #expect(Self.committed(test.broker, "b-view").contains("accounts/\(partition)@2"))
    }

    @Test("at open a read model is replayed up to its group's committed offsets, so a paused one stays behind", arguments: Backend.allCases)
    func restore(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        try flows.add(Self.balances())
        try Self.deposit(test.broker, "a-1", 10)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        try Self.deposit(test.broker, "a-1", 5)
        var reopened = Flows()
        try reopened.add(Self.balances())
        reopened.restoreProjections(test.broker)
        let model = try reopened.projection("balances").readModel
        #expect(model.row("a-1")?.sum == ExactNumber(10))
        #expect(try model.lag(in: test.broker).map(\.behind).reduce(0, +) == 1)
        _ = reopened.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(try reopened.projection("balances").readModel.row("a-1")?.sum == ExactNumber(15))
    }

    @Test("a rule change keeps the old rows; a rebuild replays the log under the new rules", arguments: Backend.allCases)
    func rebuild(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        try flows.add(Self.balances())
        try Self.deposit(test.broker, "a-1", 10)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        let doubled = try ProjectionRule("on Deposited sum $.amount * 2 by $.account")
        try flows.changeProjection("balances") { slot throws(ProjectionError) in try slot.projection.replace(1, with: doubled) }
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(try flows.projection("balances").readModel.row("a-1")?.sum == ExactNumber(10))
        let (old, read) = try flows.rebuildProjection("balances", from: test.broker)
        #expect(read == 1 && old.row("a-1")?.sum == ExactNumber(10))
        #expect(try flows.projection("balances").readModel.row("a-1")?.sum == ExactNumber(20))
    }

    @Test("a group moved by a reset makes its projection replay up to the new offsets before reading on", arguments: Backend.allCases)
    func followReset(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        try flows.add(Self.balances())
        try Self.deposit(test.broker, "a-1", 10)
        try Self.deposit(test.broker, "a-1", 5)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        let moved = try flows.projection("balances").readModel.positions.mapValues { _ in Int64(0) }
        _ = test.broker.commitOffsets(groupId: "balances", offsets: Dictionary(uniqueKeysWithValues: moved.map {
            (TopicPartition($0.key.topic, $0.key.partition), CommittedOffset(offset: $0.value))
        }))
        let report = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(report.projections.followed == ["balances"])
        #expect(report.projections.recordsRead == 2)
        #expect(try flows.projection("balances").readModel.row("a-1")?.sum == ExactNumber(15))
        let again = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(again.projections.followed.isEmpty && again.projections.recordsRead == 0)
    }

    @Test("a source deleted and created again makes the projection rebuild from the new topic's start", arguments: Backend.allCases)
    func recreated(backend: Backend) throws {
        let test = try Self.broker(backend)
        var flows = Flows()
        try flows.add(Self.balances())
        try Self.deposit(test.broker, "a-1", 10)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        _ = try test.broker.deleteTopic("accounts")
        try test.broker.createTopic("accounts", partitions: 2)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(try flows.projection("balances").problem?.contains("deleted and created again") == true)
        #expect(try flows.projection("balances").readModel.count == 0)
        try Self.deposit(test.broker, "a-2", 4)
        _ = flows.drain(test.broker, members: ServiceMembers(), traceBudget: 0)
        #expect(try flows.projection("balances").readModel.entries.map(\.key) == ["a-2"])
        #expect(try flows.projection("balances").problem == nil)
    }

    @Test("the flow script holds each projection's definition, rules, numbering and pause")
    func script() throws {
        var flows = Flows()
        var projection = Projection(name: "balances", sources: ["accounts", "requests"], typeSource: .header("ce_type"))
        try projection.add(ProjectionRule("on A put $.id = $"))
        try projection.add(ProjectionRule("on B delete $.id"))
        try projection.add(ProjectionRule("on C count by $.id"))
        try projection.remove(3)
        try flows.add(projection, inline: true)
        try flows.changeProjection("balances") { $0.isRunning = false }
        #expect(FlowScript.lines(flows) == [
            "projection create balances --from accounts,requests --type-header ce_type --inline --next-rule 4",
            "projection balances rule 1 on A put $.id = $", "projection balances rule 2 on B delete $.id",
            "projection pause balances",
        ])
    }
}
