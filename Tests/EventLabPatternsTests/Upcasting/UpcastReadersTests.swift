import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

@Suite("Services, aggregates and projections read events through the flows' upcasters")
struct UpcastReadersTests {
    /// Old deposits were `MoneyDeposited` with `amount` in whole units; new ones are `Deposited` with `cents`.
    static let upcaster = #"on MoneyDeposited to {"type":"Deposited","account":$.account,"cents":$.amount * 100}"#
    static let history = [
        #"{"type":"MoneyDeposited","account":"a-1","amount":2}"#,
        #"{"type":"Deposited","account":"a-1","cents":50}"#,
        #"{"type":"MoneyDeposited","account":"a-2","amount":"lots"}"#,
    ]

    func broker(_ backend: Backend) throws -> Broker {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("accounts", partitions: 1)
        try broker.createTopic("cents", partitions: 1)
        _ = try broker.publish("accounts", Self.history.map { ProducerRecord(key: Array("k".utf8), value: Array($0.utf8)) })
        return broker
    }

    func flows(upcasting: Bool) throws -> Flows {
        var flows = Flows()
        var service = Service(name: "mirror", sources: ["accounts"], deadLetter: "cents")
        try service.add(ServiceRule(#"on Deposited emit cents {"cents":$.cents}"#))
        try flows.add(service)
        var account = try Aggregate(name: "account", source: "accounts", key: Expression("$.account"), initial: JSONParser.parse(#"{"cents":0}"#))
        try account.add(AggregateRule("on Deposited set cents = state.cents + $.cents"))
        var projection = Projection(name: "totals", sources: ["accounts"])
        try projection.add(ProjectionRule("on Deposited sum $.cents by $.account"))
        let upcaster = try Upcaster(Self.upcaster)
        if upcasting { try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.add(upcaster) } }
        // Added after the upcasters, which the flows put in force in them as they come.
        try flows.add(account)
        try flows.add(projection)
        return flows
    }

    @Test("every reader carries the upcasters in force, whether added before or after them")
    func inForce() throws {
        var flows = try flows(upcasting: false)
        #expect(flows.services["mirror"]?.service.upcasters.isEmpty == true)
        let upcaster = try Upcaster(Self.upcaster)
        try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.add(upcaster) }
        let lines = ["1. " + Self.upcaster]
        #expect(flows.upcasters.lines == lines)
        #expect(flows.services["mirror"]?.service.upcasters.lines == lines)
        #expect(flows.aggregates["account"]?.aggregate.upcasters.lines == lines)
        #expect(flows.projections["totals"]?.projection.upcasters.lines == lines)
        // A change that fails changes nothing.
        #expect(throws: FlowError(message: "there is no upcaster 7: the upcasters are 1")) {
            try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.remove(7) }
        }
        #expect(flows.upcasters.lines == lines)
    }

    @Test("a service reacts to upcast events, and an upcaster's failure is poison naming it", arguments: Backend.allCases)
    func service(backend: Backend) throws {
        let broker = try broker(backend)
        var flows = try flows(upcasting: true)
        let report = flows.drain(broker, members: ServiceMembers(), traceBudget: 0)
        #expect(report.services.first?.deadLettered == 1)
        let emitted = try broker.read("cents", partition: 0, from: 0, maxRecords: 10)
        #expect(emitted.prefix(2).map { String(decoding: $0.value ?? [], as: UTF8.self) } == [#"{"cents":200}"#, #"{"cents":50}"#])
        let reason = emitted[2].headers.first { $0.key == "dlq.error" }.map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(reason == "upcaster 1: the template at column 79 (near `…:$.amount * 100}`): `*` needs two numbers, found a string and a number")
        // The dead letter is the record as the log holds it.
        #expect(emitted[2].value.map { String(decoding: $0, as: UTF8.self) } == Self.history[2])
    }

    @Test("an aggregate folds upcast events in rebuilds, time travel and traces; a failing upcaster fails the fold", arguments: Backend.allCases)
    func aggregate(backend: Backend) throws {
        let broker = try broker(backend)
        let account = try flows(upcasting: true).aggregates["account"]!.aggregate
        let (states, report) = try account.rebuild(from: broker)
        #expect(states["a-1"]?.state == (try JSONParser.parse(#"{"cents":250}"#)))
        #expect(report.failures.map(\.failure.description) == ["upcaster 1: the template at column 79 (near `…:$.amount * 100}`): `*` needs two numbers, found a string and a number"])
        #expect(try account.state(key: "a-1", at: .version(1), in: broker).state == (try JSONParser.parse(#"{"cents":200}"#)))
        #expect(try account.history(key: "a-1", in: broker).steps.map(\.state) == [
            try JSONParser.parse(#"{"cents":200}"#), try JSONParser.parse(#"{"cents":250}"#),
        ])
        // Without the upcaster no rule folds the old events.
        let plain = try flows(upcasting: false).aggregates["account"]!.aggregate
        #expect(try plain.rebuild(from: broker).states["a-1"]?.state == (try JSONParser.parse(#"{"cents":50}"#)))
    }

    @Test("an aggregate's fingerprint changes with the upcasters, so a snapshot folded under others is not reused", arguments: Backend.allCases)
    func snapshots(backend: Backend) throws {
        let broker = try broker(backend)
        try broker.createTopic("account-snapshots", partitions: 1)
        let plain = try flows(upcasting: false).aggregates["account"]!.aggregate
        let upcasting = try flows(upcasting: true).aggregates["account"]!.aggregate
        #expect(plain.fingerprint != upcasting.fingerprint)
        let (states, report) = try plain.rebuild(from: broker)
        _ = try broker.publish("account-snapshots", plain.snapshotRecords(states, at: report.readTo))
        let fromScratch = try upcasting.rebuild(from: broker, snapshots: "account-snapshots")
        #expect(fromScratch.report.snapshots?.ignored[Aggregate.otherRules] == 2)
        #expect(fromScratch.states["a-1"]?.state == (try JSONParser.parse(#"{"cents":250}"#)))
    }

    @Test("a projection applies upcast events; a failing upcaster is its failure, naming the upcaster")
    func projection() throws {
        var model = try flows(upcasting: true).projections["totals"]!.readModel
        for (offset, value) in Self.history.enumerated() {
            model.apply(Record(offset: Int64(offset), timestamp: 0, key: nil, value: Array(value.utf8)), topic: "accounts", partition: 0)
        }
        #expect(model.row("a-1")?.sum == ExactNumber(250))
        #expect(model.failed == 1)
        #expect(model.lastFailure?.rule == nil)
        #expect(model.lastFailure?.reason == "upcaster 1: the template at column 79 (near `…:$.amount * 100}`): `*` needs two numbers, found a string and a number")
    }
}
