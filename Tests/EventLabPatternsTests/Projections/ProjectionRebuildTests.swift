import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

@Suite("A projection is rebuilt from its topics and caught up through the broker's API")
struct ProjectionRebuildTests {
    static func projection() throws -> Projection {
        var projection = Projection(name: "p", sources: ["orders", "refunds"])
        try projection.add(ProjectionRule("on Placed count by $.customer"))
        try projection.add(ProjectionRule("on Placed sum $.total by $.customer"))
        try projection.add(ProjectionRule("on Refunded sum -$.total by $.customer"))
        try projection.add(ProjectionRule(#"on Placed when $.total > 50 put "big-" + $.customer = $.id"#))
        try projection.add(ProjectionRule(#"on Cancelled delete "big-" + $.customer"#))
        return projection
    }

    static func broker(_ backend: Backend) throws -> TestBroker {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.segmentRecords = 3
        try test.broker.createTopic("orders", partitions: 3, config: config)
        try test.broker.createTopic("refunds", partitions: 1, config: config)
        return test
    }

    /// A random event of the story, on a random source topic, sometimes one that fails.
    static func event(_ index: Int, using generator: inout SeededGenerator) -> (topic: String, record: ProducerRecord) {
        let customer = "c-\(Int.random(in: 0..<4, using: &generator))"
        let total = "\(Int.random(in: 0..<100, using: &generator)).\(Int.random(in: 0..<10, using: &generator))"
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return ("refunds", ProducerRecord(key: customer, value: #"{"type":"Refunded","customer":"\#(customer)","total":\#(total)}"#))
        case 1: return ("orders", ProducerRecord(key: customer, value: #"{"type":"Cancelled","customer":"\#(customer)"}"#))
        case 2: return ("orders", ProducerRecord(key: customer, value: #"{"type":"Placed","customer":"\#(customer)","total":"x"}"#))
        case 3: return ("orders", ProducerRecord(key: customer, value: nil))
        default:
            return ("orders", ProducerRecord(key: customer, value: #"{"type":"Placed","id":"o-\#(index)","customer":"\#(customer)","total":\#(total)}"#))
        }
    }

    static func rows(_ model: ReadModel) -> [String] {
        model.entries.map { "\($0.key)=\($0.row.value?.description ?? "-")/\($0.row.count)/\($0.row.sum?.description ?? "-")" }
    }

    @Test("a rebuild reads every source partition from its log start, and its lag is then zero", arguments: Backend.allCases)
    func rebuild(backend: Backend) throws {
        let test = try Self.broker(backend)
        try test.broker.publishEach("orders", [
            ("c-1", #"{"type":"Placed","id":"o-1","customer":"c-1","total":60}"#),
            ("c-1", #"{"type":"Placed","id":"o-2","customer":"c-1","total":10.5}"#),
            ("c-2", #"{"type":"Placed","id":"o-3","customer":"c-2","total":70}"#),
            ("c-2", #"{"type":"Cancelled","customer":"c-2"}"#),
            ("c-2", nil),
        ])
        try test.broker.publishEach("refunds", [("c-1", #"{"type":"Refunded","customer":"c-1","total":0.5}"#)])
        let model = try Self.projection().rebuild(from: test.broker)
        #expect(Self.rows(model) == [#"big-c-1="o-1"/0/-"#, "c-1=-/2/70", "c-2=-/1/70"])
        #expect(model.applied == 5 && model.skipped == [.noType: 1] && model.failed == 0)
        #expect(try model.lag(in: test.broker).allSatisfy { $0.behind == 0 })
    }

    @Test("lag counts per partition the records written since the read model's position", arguments: Backend.allCases)
    func lag(backend: Backend) throws {
        let test = try Self.broker(backend)
        let event = #"{"type":"Placed","id":"o-1","customer":"c-1","total":1}"#
        _ = try test.broker.publish("orders", [ProducerRecord(key: nil, value: event)], unkeyed: .roundRobin)
        var model = try Self.projection().rebuild(from: test.broker)
        _ = try test.broker.publish("orders", Array(repeating: ProducerRecord(key: "c-1", value: event), count: 4))
        try test.broker.publishEach("refunds", [(nil, #"{"type":"Refunded","customer":"c-1","total":1}"#)])
        let lags = try model.lag(in: test.broker)
        #expect(lags.map(\.source.description) == ["orders/0", "orders/1", "orders/2", "refunds/0"])
        #expect(lags.map(\.behind).reduce(0, +) == 5 && lags.last?.description == "refunds/0 at 0 of 1 (1 behind)")
        #expect(model.row("c-1")?.count == 1)
        #expect(try model.catchUp(from: test.broker) == 5)
        #expect(model.row("c-1") == ReadModel.Row(count: 5, sum: ExactNumber(4)))
        #expect(try model.lag(in: test.broker).allSatisfy { $0.behind == 0 })
    }

    @Test("catching up in random steps gives the same read model as one rebuild, for random histories", arguments: Backend.allCases)
    func incrementalEqualsRebuild(backend: Backend) throws {
        var generator = SeededGenerator(seed: 16)
        for round in 0..<(backend == .memory ? 20 : 5) {
            let test = try Self.broker(backend)
            let projection = try Self.projection()
            var model = ReadModel(projection)
            for index in 0..<Int.random(in: 1...40, using: &generator) {
                let (topic, record) = Self.event(index, using: &generator)
                _ = try test.broker.publish(topic, [record])
                if Int.random(in: 0..<5, using: &generator) == 0 { try model.catchUp(from: test.broker) }
            }
            try model.catchUp(from: test.broker)
            let rebuilt = try projection.rebuild(from: test.broker)
            #expect(Self.rows(model) == Self.rows(rebuilt), "round \(round)")
            #expect(model.positions == rebuilt.positions && model.applied == rebuilt.applied, "round \(round)")
            #expect(model.skipped == rebuilt.skipped && model.failed == rebuilt.failed, "round \(round)")
            #expect(try model.catchUp(from: test.broker) == 0)
        }
    }

    @Test("a read model whose position retention has deleted goes on from the partition's new log start", arguments: Backend.allCases)
    func retentionOvertakes(backend: Backend) throws {
        let test = try TestBroker(backend)
        var config = TopicConfig()
        config.segmentRecords = 2
        config.retentionMs = 60_000
        try test.broker.createTopic("orders", partitions: 1, config: config)
        try test.broker.createTopic("refunds", partitions: 1)
        let event = #"{"type":"Placed","id":"o-1","customer":"c-1","total":1}"#
        try test.broker.publishEach("orders", [("c-1", event), ("c-1", event)])
        var model = try Self.projection().rebuild(from: test.broker)
        try test.broker.publishEach("orders", Array(repeating: ("c-1", event), count: 4))
        try test.clock.advance(by: 120_000)
        try test.broker.publishEach("orders", [("c-1", event), ("c-1", event)])
        _ = try test.broker.runRetention(topic: "orders")
        #expect(try test.broker.offsets("orders", partition: 0).logStartOffset == 6)
        // Behind by the 2 records still held, not the 6 past its position: retention deleted 4.
        #expect(try model.lag(in: test.broker).first?.behind == 2)
        #expect(try model.catchUp(from: test.broker) == 2)
        #expect(model.row("c-1")?.count == 4)
        #expect(model.positions[SourcePartition(topic: "orders", partition: 0)] == 8)
    }

    @Test("a read model past a partition's end says the topic was created again", arguments: Backend.allCases)
    func recreated(backend: Backend) throws {
        let test = try Self.broker(backend)
        try test.broker.publishEach("refunds", [(nil, #"{"type":"Refunded","customer":"c-1","total":1}"#)])
        var model = try Self.projection().rebuild(from: test.broker)
        try test.broker.deleteTopic("refunds")
        try test.broker.createTopic("refunds", partitions: 1)
        let error = brokerError { try model.catchUp(from: test.broker) }
        #expect(error?.code == .offsetOutOfRange)
        #expect(error?.message.contains("rebuild the projection") == true)
    }
}
