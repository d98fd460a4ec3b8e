import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

@Suite("Draining a service whose rule calls another")
struct BlockedCallDrainTests {
    /// The services' group members, kept from drain to drain as the shell keeps them.
    let members = ServiceMembers()
    @Test("a call to a stopped service stops the caller at that record, uncommitted; once it answers the caller goes on", arguments: Backend.allCases)
    func blockedThenResumed(backend: Backend) throws {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 1)
        try broker.createTopic("shipments", partitions: 1)
        _ = try broker.publish("orders", ["o-1", "o-2"].map {
            ProducerRecord(key: Array($0.utf8), value: Array(#"{"type":"OrderPlaced","id":"\#($0)","customer":"c-1"}"#.utf8))
        })
        var shipping = Service(name: "shipping", sources: ["orders"], deadLetter: "shipping-dlq")
        try shipping.add(ServiceRule(#"on OrderPlaced emit shipments {"order":$.id,"to":call customers.address($.customer)}"#))
        var customers = Service(name: "customers", sources: ["customers"])
        try customers.add(ServiceQuery(#"address(id) = "1 Main St""#))
        var runtime = FlowRuntime(services: [shipping], stopped: [customers])

        let blocked = runtime.drain(broker, members: members)
        #expect(blocked.services[0].stop?.description == "orders/0/0: rule 1: call customers.address: service customers is stopped")
        #expect(blocked.services[0].emitted.isEmpty && blocked.services[0].deadLettered == 0)
        #expect(blocked.services[0].recordsRead == 0)
        #expect(runtime.drain(broker, members: members).services[0].recordsRead == 0)
        #expect(broker.committedOffsets(groupId: "shipping")[TopicPartition("orders", 0)] == nil)

        #expect(blocked.calls == [CallEdge(caller: "shipping", callee: "customers"): CallCount(calls: 1, failed: 1)])

        runtime = FlowRuntime(services: [shipping, customers])
        let resumed = runtime.drain(broker, members: members)
        #expect(resumed.services.allSatisfy { $0.stop == nil })
        #expect(resumed.services.first { $0.name == "shipping" }?.emitted == ["shipments": 2])
        #expect(resumed.calls == [CallEdge(caller: "shipping", callee: "customers"): CallCount(calls: 2, failed: 0)])
        #expect(resumed.services.first { $0.name == "shipping" }?.recordsRead == 2)
        #expect(broker.committedOffsets(groupId: "shipping")[TopicPartition("orders", 0)]?.offset == 2)
        let shipped = try broker.read("shipments", partition: 0, from: 0, maxRecords: 10).map { String(decoding: $0.value ?? [], as: UTF8.self) }
        #expect(shipped == [#"{"order":"o-1","to":"1 Main St"}"#, #"{"order":"o-2","to":"1 Main St"}"#])
    }
}
