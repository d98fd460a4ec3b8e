import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

@Suite("Crashes around the commit, and an idempotent consumer")
struct DeliveryTests {
    /// The services' group members, kept from drain to drain as the shell keeps them.
    let members = ServiceMembers()
    /// Orders `ids` published to `orders`, one partition, with billing emitting a payment per order.
    private func setUp(_ backend: Backend, commit: CommitMode, dedupe: Bool = false) throws -> (Broker, Flows) {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 1)
        try broker.createTopic("payments", partitions: 1)
        if dedupe {
            var config = TopicConfig()
            config.cleanupPolicy = .compact
            try broker.createTopic("billing-dedupe", partitions: 1, config: config)
        }
        var billing = Service(name: "billing", sources: ["orders"], commit: commit, dedupe: dedupe ? try Expression("$.id") : nil)
        try billing.add(ServiceRule(#"on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id}"#))
        var flows = Flows()
        try flows.add(billing)
        return (broker, flows)
    }

    private func publish(_ broker: Broker, _ ids: String...) throws {
        _ = try broker.publish("orders", ids.map { ProducerRecord(key: nil, value: Array(#"{"type":"OrderPlaced","id":"\#($0)"}"#.utf8)) })
    }

    private func payments(_ broker: Broker) throws -> [String] {
        try broker.read("payments", partition: 0, from: 0, maxRecords: 100).map {
            String(decoding: $0.value ?? [], as: UTF8.self).split(separator: "\"").dropLast().last.map(String.init) ?? ""
        }
    }

    @Test("a crash before the commit, committing after, stops the service on that record alone; started again it handles it twice", arguments: Backend.allCases)
    func duplicate(backend: Backend) throws {
        let (broker, built) = try setUp(backend, commit: .after)
        var flows = built
        try publish(broker, "o-1")
        _ = flows.drain(broker, members: members, traceBudget: 0)
        try flows.arm("billing", .beforeCommit)
        try publish(broker, "o-2", "o-3")

        let crashed = flows.drain(broker, members: members, traceBudget: 10)
        #expect(crashed.services[0].recordsRead == 1)
        #expect(crashed.services[0].stop?.kind == .crashed)
        #expect(crashed.services[0].stop?.record == RecordPlace(topic: "orders", partition: 0, offset: 1))
        #expect(crashed.trace.steps.map(\.crash) == [.beforeCommit])
        #expect(try payments(broker) == ["o-1", "o-2"])
        #expect(broker.committedOffsets(groupId: "billing")[TopicPartition("orders", 0)]?.offset == 1)
        #expect(flows.services["billing"]?.crash == nil && flows.services["billing"]?.isActive == false)

        #expect(flows.drain(broker, members: members, traceBudget: 0).recordsRead == 0, "a crashed service stays down until started")
        try flows.setRunning("billing", true)
        _ = flows.drain(broker, members: members, traceBudget: 0)
        #expect(try payments(broker) == ["o-1", "o-2", "o-2", "o-3"])
    }

    @Test("a crash after the commit, committing before, stops the service before it handles the record; started again it never does", arguments: Backend.allCases)
    func loss(backend: Backend) throws {
        let (broker, built) = try setUp(backend, commit: .before)
        var flows = built
        try publish(broker, "o-1")
        _ = flows.drain(broker, members: members, traceBudget: 0)
        try flows.arm("billing", .afterCommit)
        try publish(broker, "o-2", "o-3")

        let crashed = flows.drain(broker, members: members, traceBudget: 10)
        #expect(crashed.services[0].stop?.kind == .crashed)
        #expect(crashed.trace.steps.map(\.outcome) == [.notHandled])
        #expect(broker.committedOffsets(groupId: "billing")[TopicPartition("orders", 0)]?.offset == 2)

        try flows.setRunning("billing", true)
        _ = flows.drain(broker, members: members, traceBudget: 0)
        #expect(try payments(broker) == ["o-1", "o-3"])
    }

    @Test("the other two crashes cost nothing: handled and committed, or neither", arguments: Backend.allCases)
    func harmless(backend: Backend) throws {
        for (commit, point) in [(CommitMode.after, CrashPoint.afterCommit), (.before, .beforeCommit)] {
            let (broker, built) = try setUp(backend, commit: commit)
            var flows = built
            try flows.arm("billing", point)
            try publish(broker, "o-1", "o-2")
            #expect(flows.drain(broker, members: members, traceBudget: 0).services[0].stop?.kind == .crashed)
            try flows.setRunning("billing", true)
            _ = flows.drain(broker, members: members, traceBudget: 0)
            #expect(try payments(broker) == ["o-1", "o-2"], "\(commit) \(point)")
            #expect(point.effect(under: commit) == .none)
        }
    }

    @Test("with dedupe, the record handled again after a crash before the commit is skipped: exactly once", arguments: Backend.allCases)
    func dedupe(backend: Backend) throws {
        let (broker, built) = try setUp(backend, commit: .after, dedupe: true)
        var flows = built
        try publish(broker, "o-1")
        _ = flows.drain(broker, members: members, traceBudget: 0)
        try flows.arm("billing", .beforeCommit)
        try publish(broker, "o-2", "o-3")
        _ = flows.drain(broker, members: members, traceBudget: 0)
        try flows.setRunning("billing", true)

        let restarted = flows.drain(broker, members: members, traceBudget: 10)
        #expect(restarted.services[0].duplicates == 1)
        #expect(restarted.trace.steps.first?.outcome == .duplicate(id: "o-2"))
        #expect(restarted.services[0].emitted == ["payments": 1], "the ids remembered are not counted as emitted")
        #expect(try payments(broker) == ["o-1", "o-2", "o-3"])
        let remembered = try broker.read("billing-dedupe", partition: 0, from: 0, maxRecords: 10).map { String(decoding: $0.key ?? [], as: UTF8.self) }
        #expect(remembered == ["o-1", "o-2", "o-3"])
    }

    @Test("a deduplicating service started afresh rebuilds its memory from its topic", arguments: Backend.allCases)
    func rebuilt(backend: Backend) throws {
        let (broker, built) = try setUp(backend, commit: .after, dedupe: true)
        var flows = built
        try publish(broker, "o-1", "o-2")
        _ = flows.drain(broker, members: members, traceBudget: 0)
        var reopened = Flows()
        try reopened.add(flows.services["billing"]!.service)
        try publish(broker, "o-2", "o-4")
        let report = reopened.drain(broker, members: members, traceBudget: 0)
        #expect(report.services[0].duplicates == 1)
        #expect(try payments(broker) == ["o-1", "o-2", "o-4"])
    }

    @Test("a record without the id the dedupe expression reads is poison", arguments: Backend.allCases)
    func noId(backend: Backend) throws {
        let (broker, built) = try setUp(backend, commit: .after, dedupe: true)
        var flows = built
        _ = try broker.publish("orders", [ProducerRecord(key: nil, value: Array(#"{"type":"OrderPlaced"}"#.utf8))])
        let stop = flows.drain(broker, members: members, traceBudget: 0).services[0].stop
        #expect(stop?.kind == .poison)
        #expect(stop?.reason.hasPrefix("its dedupe id $.id at column ") == true)
        #expect(try payments(broker).isEmpty)
    }

    @Test("a deduplicating service whose topic of ids is missing stops before reading, saying how to create it", arguments: Backend.allCases)
    func noMemory(backend: Backend) throws {
        let (broker, built) = try setUp(backend, commit: .after, dedupe: true)
        var flows = built
        _ = try broker.deleteTopic("billing-dedupe")
        try publish(broker, "o-1")
        let report = flows.drain(broker, members: members, traceBudget: 0)
        #expect(report.services[0].recordsRead == 0)
        #expect(report.services[0].stop?.reason.hasSuffix("create it with `topic create billing-dedupe --cleanup compact`") == true)
    }
}
