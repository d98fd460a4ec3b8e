import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

/// A service `customers` that answers `address` while it runs.
private struct Customers: ExpressionTables {
    var running: Bool

    func lookup(table: String, key: String) -> TableLookup { .noSuchTable }

    func call(service: String, query: String, argument: JSON) -> CallAnswer {
        guard service == "customers" else { return .noSuchService }
        guard running else { return .unavailable(reason: "service customers is stopped") }
        return .answer(.string("1 Main St"))
    }
}

@Suite("Draining a service whose rule calls another")
struct BlockedCallDrainTests {
    @Test("a call to a stopped service stops the caller at that record, uncommitted; once it answers the caller goes on", arguments: Backend.allCases)
    func blockedThenResumed(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 1)
        try broker.createTopic("shipments", partitions: 1)
        _ = try broker.publish("orders", ["o-1", "o-2"].map {
            ProducerRecord(key: Array($0.utf8), value: Array(#"{"type":"OrderPlaced","id":"\#($0)","customer":"c-1"}"#.utf8))
        })
        var shipping = Service(name: "shipping", sources: ["orders"], deadLetter: "shipping-dlq")
        shipping.add(try ServiceRule(#"on OrderPlaced emit shipments {"order":$.id,"to":call customers.address($.customer)}"#))
        let runtime = FlowRuntime(services: [shipping])

        let blocked = runtime.drain(broker, tables: Customers(running: false))
        #expect(blocked.services[0].stop?.description == "orders/0/0: rule 1: call customers.address: service customers is stopped")
        #expect(blocked.services[0].emitted.isEmpty && blocked.services[0].deadLettered == 0)
        #expect(broker.committedOffsets(groupId: "shipping")[TopicPartition("orders", 0)] == nil)

        let resumed = runtime.drain(broker, tables: Customers(running: true))
        #expect(resumed.services[0].stop == nil)
        #expect(resumed.services[0].emitted == ["shipments": 2])
        #expect(broker.committedOffsets(groupId: "shipping")[TopicPartition("orders", 0)]?.offset == 2)
        let shipped = try broker.read("shipments", partition: 0, from: 0, maxRecords: 10).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(shipped == [#"{"order":"o-1","to":"1 Main St"}"#, #"{"order":"o-2","to":"1 Main St"}"#])
    }
}
