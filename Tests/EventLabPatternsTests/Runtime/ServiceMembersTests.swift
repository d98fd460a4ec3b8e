import EventLabCore
import EventLabTestSupport
import Testing
@testable import EventLabPatterns

@Suite("A service stays a member of its group, and shares its partitions")
struct ServiceMembersTests {
    let members = ServiceMembers()

    func setUp(_ backend: Backend) throws -> (Broker, Flows) {
        let (broker, _) = makeBroker(backend)
        try broker.createTopic("orders", partitions: 2)
        try broker.createTopic("payments", partitions: 1)
        var flows = Flows()
        try flows.add(Service(name: "billing", sources: ["orders"]))
        let rule = try ServiceRule(#"on OrderPlaced emit payments {"order":$.id}"#)
        try flows.change("billing") { service throws(ServiceError) in _ = try service.add(rule) }
        return (broker, flows)
    }

    /// Publishes an order with id `id` to partition `partition` of orders.
    func order(_ broker: Broker, _ id: String, partition: Int32) throws {
        _ = try broker.publish("orders", [ProducerRecord(key: nil, value: Array(#"{"type":"OrderPlaced","id":"\#(id)"}"#.utf8), partition: partition)])
    }

    func payments(_ broker: Broker) throws -> [String] {
        try broker.read("payments", partition: 0, from: 0, maxRecords: 100).map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    /// The ids of the group's members; none when the group is gone (it had no members or offsets left).
    func memberIds(_ broker: Broker) throws -> [String] {
        (try? broker.describeGroup("billing"))?.members.map(\.memberId) ?? []
    }

    @Test("the service's member is kept from drain to drain, and leaves when it is stopped or deleted", arguments: Backend.allCases)
    func kept(backend: Backend) throws {
        var (broker, flows) = try setUp(backend)
        try order(broker, "o-1", partition: 0)
        _ = flows.drain(broker, members: members, traceBudget: 0)
        let first = try memberIds(broker)
        #expect(first.count == 1 && members.names == ["billing"])
        #expect(try broker.describeGroup("billing").state == .stable)
        try order(broker, "o-2", partition: 1)
        #expect(flows.drain(broker, members: members, traceBudget: 0).recordsRead == 1)
        #expect(try memberIds(broker) == first, "no rebalance between drains")
        #expect(try broker.describeGroup("billing").generation == 1)

        try flows.setRunning("billing", false)
        members.retain(flows.readingServices)
        #expect(try memberIds(broker).isEmpty && members.names.isEmpty)
        try flows.setRunning("billing", true)
        _ = flows.drain(broker, members: members, traceBudget: 0)
        #expect(try memberIds(broker).count == 1)
        try flows.removeService("billing")
        members.retain(flows.readingServices)
        #expect(try memberIds(broker).isEmpty)
    }

    @Test("a poisoned service leaves its group, so its partitions are free for another consumer", arguments: Backend.allCases)
    func poisonLeaves(backend: Backend) throws {
        var (broker, flows) = try setUp(backend)
        _ = try broker.publish("orders", [ProducerRecord(key: nil, value: Array("not json".utf8), partition: 0)])
        let report = flows.drain(broker, members: members, traceBudget: 0)
        #expect(report.services.first?.stop?.kind == .poison)
        #expect(try memberIds(broker).isEmpty && members.names.isEmpty)
    }

    @Test("a second member joining splits the partitions: the service reads only its own, and all again once it leaves", arguments: Backend.allCases)
    func shares(backend: Backend) throws {
        var (broker, flows) = try setUp(backend)
        _ = flows.drain(broker, members: members, traceBudget: 0)
        let other = GroupMember(broker: broker, configuration: GroupMemberConfiguration(groupId: "billing", clientId: "other", topics: ["orders"]))
        other.start()
        #expect(!other.machine.isStable, "the group waits for the service to rejoin")

        // The drain rejoins the service's member, which leads and assigns.
        _ = flows.drain(broker, members: members, traceBudget: 0)
        other.poll()
        #expect(other.machine.isStable)
        #expect(other.assignment == [TopicPartition("orders", 1)])
        #expect(try broker.describeGroup("billing").members.count == 2)

        try order(broker, "o-1", partition: 0)
        try order(broker, "o-2", partition: 1)
        let shared = flows.drain(broker, members: members, traceBudget: 0)
        #expect(shared.recordsRead == 1)
        #expect(try payments(broker) == [#"{"order":"o-1"}"#])
        other.commit([TopicPartition("orders", 1): CommittedOffset(offset: 1)])

        try order(broker, "o-3", partition: 1)
        other.leave()
        let alone = flows.drain(broker, members: members, traceBudget: 0)
        #expect(alone.recordsRead == 1, "the service takes partition 1 from the other member's commit on")
        #expect(try payments(broker) == [#"{"order":"o-1"}"#, #"{"order":"o-3"}"#])
        #expect(try memberIds(broker).count == 1)
    }

    @Test("a service whose group refuses it (another protocol holds the group) stops, saying so", arguments: Backend.allCases)
    func refused(backend: Backend) throws {
        var (broker, flows) = try setUp(backend)
        broker.joinGroup(JoinGroupRequest(
            groupId: "billing", clientId: "connect", protocolType: "connect", protocols: [GroupProtocol(name: "default", metadata: [])])) { _ in }
        try order(broker, "o-1", partition: 0)
        let report = flows.drain(broker, members: members, traceBudget: 0)
        #expect(report.services.first?.stop?.reason == "joining its consumer group billing was refused with INCONSISTENT_GROUP_PROTOCOL")
    }
}
