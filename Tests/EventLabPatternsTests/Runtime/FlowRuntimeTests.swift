import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

@Suite("Draining services")
struct FlowRuntimeTests {
    /// The services' group members, kept from drain to drain as the shell keeps them.
    let members = ServiceMembers()
    func service(
        _ name: String, reads source: String, commit: CommitMode = .after, deadLetter: String? = nil, _ rules: String...
    ) throws -> Service {
        var service = Service(name: name, sources: [source], commit: commit, deadLetter: deadLetter)
        for rule in rules { try service.add(ServiceRule(rule)) }
        return service
    }

    func broker(_ backend: Backend, topics: String...) throws -> Broker {
        let (broker, _) = makeBroker(backend)
        for topic in topics { try broker.createTopic(topic, partitions: 1) }
        return broker
    }

    func publish(_ broker: Broker, _ topic: String, _ values: String...) throws {
        _ = try broker.publish(topic, values.map { ProducerRecord(key: Array("k".utf8), value: Array($0.utf8)) })
    }

    func values(_ broker: Broker, _ topic: String) throws -> [String] {
        try broker.read(topic, partition: 0, from: 0, maxRecords: 10_000).map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    func committed(_ broker: Broker, _ group: String, _ topic: String) -> Int64? {
        broker.committedOffsets(groupId: group)[TopicPartition(topic, 0)]?.offset
    }

    let placed = #"{"type":"OrderPlaced","id":"o-1","total":150}"#
    let small = #"{"type":"OrderPlaced","id":"o-2","total":5}"#

    @Test("a service emits into a topic another reads, and one drain runs the chain to its end", arguments: Backend.allCases)
    func chain(backend: Backend) throws {
        let broker = try broker(backend, topics: "orders", "payments", "receipts")
        try publish(broker, "orders", placed, small, #"{"id":"no-type"}"#)
        var runtime = FlowRuntime(services: [
            try service("receipting", reads: "payments", #"on PaymentRequested emit receipts {"type":"Receipt","order":$.order}"#),
            try service("billing", reads: "orders", #"on OrderPlaced when $.total > 100 emit payments {"type":"PaymentRequested","order":$.id}"#),
        ])
        let report = runtime.drain(broker, members: members)
        #expect(report.services.map(\.name) == ["billing", "receipting"])
        #expect(report.services[0] == {
            var billing = ServiceDrain(name: "billing")
            (billing.recordsRead, billing.emitted, billing.skipped) = (3, ["payments": 1], 1)
            return billing
        }())
        #expect(report.services[1].recordsRead == 1 && report.services[1].emitted == ["receipts": 1])
        #expect(report.warning == nil)
        #expect(try values(broker, "receipts") == [#"{"type":"Receipt","order":"o-1"}"#])
        #expect(committed(broker, "billing", "orders") == 3 && committed(broker, "receipting", "payments") == 1)
        #expect(try broker.describeGroup("billing").state == .stable, "the service stays a member between drains")

        let again = runtime.drain(broker, members: members)
        #expect(again.recordsRead == 0 && again.rounds == 0)
        #expect(try values(broker, "receipts").count == 1)
    }

    @Test("a poison record stops an at-least-once service on it, so its lag shows; the next drain stops there again", arguments: Backend.allCases)
    func poisonStops(backend: Backend) throws {
        let broker = try broker(backend, topics: "orders", "payments")
        try publish(broker, "orders", placed, #"{"type":"OrderPlaced","id":"o-3"}"#, small)
        var runtime = FlowRuntime(services: [try service("billing", reads: "orders", #"on OrderPlaced when $.total > 1 emit payments {"order":$.id}"#)])
        let report = runtime.drain(broker, members: members)
        let stop = try #require(report.services[0].stop)
        #expect(stop.description == "orders/0/1: rule 1: the condition at column 21 (near `…aced when $.total > 1…`): the event has no field $.total")
        #expect(report.services[0].emitted == ["payments": 1])
        #expect(committed(broker, "billing", "orders") == 1)
        #expect(try broker.describeGroup("billing").totalLag == 2)
        #expect(runtime.drain(broker, members: members).services[0].stop == stop)
        #expect(try values(broker, "payments") == [#"{"order":"o-1"}"#])
    }

    @Test("an at-most-once service commits a record before reacting, so the poison it stops at is committed past", arguments: Backend.allCases)
    func commitBefore(backend: Backend) throws {
        let broker = try broker(backend, topics: "orders", "payments")
        try publish(broker, "orders", placed, #"{"type":"OrderPlaced","id":"o-3"}"#, small)
        var runtime = FlowRuntime(services: [
            try service("billing", reads: "orders", commit: .before, #"on OrderPlaced when $.total > 1 emit payments {"order":$.id}"#)
        ])
        #expect(runtime.drain(broker, members: members).services[0].stop?.record?.offset == 1)
        #expect(committed(broker, "billing", "orders") == 2)
        let next = runtime.drain(broker, members: members)
        #expect(next.services[0].stop == nil && next.services[0].recordsRead == 1)
        #expect(try values(broker, "payments") == [#"{"order":"o-1"}"#, #"{"order":"o-2"}"#])
    }

    @Test("with a dead-letter topic a poison record is sent there and the service goes on", arguments: Backend.allCases)
    func deadLetter(backend: Backend) throws {
        let broker = try broker(backend, topics: "orders", "payments", "billing-dlq")
        try publish(broker, "orders", placed, #"{"type":"OrderPlaced","id":"o-3"}"#, small)
        var runtime = FlowRuntime(services: [
            try service("billing", reads: "orders", deadLetter: "billing-dlq", #"on OrderPlaced when $.total > 1 emit payments {"order":$.id}"#)
        ])
        let report = runtime.drain(broker, members: members).services[0]
        #expect(report.stop == nil && report.deadLettered == 1 && report.emitted == ["payments": 2])
        #expect(committed(broker, "billing", "orders") == 3)
        let dead = try #require(try broker.read("billing-dlq", partition: 0, from: 0).first)
        #expect(dead.value.map(Array.init) == Array(#"{"type":"OrderPlaced","id":"o-3"}"#.utf8))
        #expect(dead.headers.first { $0.key == "dlq.offset" }?.value.map(Array.init) == Array("1".utf8))
    }

    @Test("emitting into a topic that does not exist stops the service before it commits the records", arguments: Backend.allCases)
    func missingTopic(backend: Backend) throws {
        let broker = try broker(backend, topics: "orders")
        try publish(broker, "orders", placed)
        var runtime = FlowRuntime(services: [try service("billing", reads: "orders", "on OrderPlaced emit payments $")])
        let stop = try #require(runtime.drain(broker, members: members).services[0].stop)
        #expect(stop.record?.offset == 0 && stop.reason.hasPrefix("producing its emissions failed: "))
        #expect(committed(broker, "billing", "orders") == nil)
    }

    @Test("a service joining a group another member holds reads nothing while the group waits for that member, and does not stop")
    func busyGroup() throws {
        let broker = try broker(.memory, topics: "orders", "payments")
        try publish(broker, "orders", placed)
        let other = try GroupMember.joined(broker, group: "billing", topics: ["orders"])
        var runtime = FlowRuntime(services: [try service("billing", reads: "orders", "on OrderPlaced emit payments $")])
        let report = runtime.drain(broker, members: members)
        #expect(report.services.allSatisfy { $0.recordsRead == 0 && $0.stop == nil })
        other.leave()
        #expect(runtime.drain(broker, members: members).recordsRead == 1, "alone in the group, it reads at its next drain")
    }

    @Test("services that feed each other are cut at the round limit with a warning")
    func cycle() throws {
        let broker = try broker(.memory, topics: "ping", "pong")
        try publish(broker, "ping", #"{"type":"Ball"}"#)
        var runtime = FlowRuntime(
            services: [try service("a", reads: "ping", "on Ball emit pong $"), try service("b", reads: "pong", "on Ball emit ping $")],
            roundLimit: 5)
        let report = runtime.drain(broker, members: members)
        #expect(report.rounds == 5)
        #expect(report.warning == "the drain stopped after 5 rounds with records still unread by a: services that emit into each other's topics never run out; `service stop` one of them, or `flow manual` to step through the loop")
        #expect(report.services.map(\.recordsRead) == [5, 5])
    }

    @Test("Ctrl-C ends a drain after the round it is asked in, with a warning, and the next drain goes on from there")
    func interrupted() throws {
        let broker = try broker(.memory, topics: "ping", "pong")
        try publish(broker, "ping", #"{"type":"Ball"}"#)
        var runtime = FlowRuntime(
            services: [try service("a", reads: "ping", "on Ball emit pong $"), try service("b", reads: "pong", "on Ball emit ping $")],
            roundLimit: 100)
        var asked = 0
        let report = runtime.drain(broker, members: members) { asked += 1; return asked == 3 }
        #expect(report.rounds == 3)
        #expect(report.warning == "the drain stopped at Ctrl-C after 3 rounds with records still unread by a; they go on after the next command, or `service stop` one of them")
        #expect(runtime.drain(broker, members: members) { true }.services.map(\.recordsRead) == [1, 1])
    }

    @Test("the same script drains to the same report and the same bytes")
    func deterministic() throws {
        func run() throws -> (DrainReport, [[Record]]) {
            let broker = try broker(.memory, topics: "orders", "payments", "billing-dlq")
            try publish(broker, "orders", placed, #"{"type":"OrderPlaced","id":"o-3"}"#, small, "not json")
            var runtime = FlowRuntime(services: [
                try service("billing", reads: "orders", deadLetter: "billing-dlq", #"on OrderPlaced when $.total > 1 emit payments {"order":$.id}"#)
            ])
            let report = runtime.drain(broker, members: members)
            return (report, try ["payments", "billing-dlq"].map { try broker.read($0, partition: 0, from: 0) })
        }
        let (first, second) = (try run(), try run())
        #expect(first.0 == second.0 && first.1 == second.1)
        #expect(first.0.services[0].deadLettered == 2)
    }
}
