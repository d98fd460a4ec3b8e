import EventLabCore
@testable import EventLabWire
import EventLabTestSupport
import Synchronization
import Testing

/// Three brokers in one memory cluster, each answered by its own API, as a served cluster's
/// listeners answer: broker i at 127.0.0.1:9091+i. Real time passes only when the test says.
struct ServedCluster {
    let broker: Broker
    let timer = ManualTimer()
    let addresses = BrokerAddresses()
    let clients: [Int32: ClusterClient]

    init(brokers: Int = 3) throws {
        let broker = try Broker(cluster: MemoryCluster(brokers: brokers), timer: timer, waker: nil)
        var clients: [Int32: ClusterClient] = [:]
        for id in broker.brokerIds {
            addresses.set(id, BrokerAddresses.Address(host: "127.0.0.1", port: 9091 + id))
            clients[id] = ClusterClient(broker: broker, api: KafkaAPI(broker: broker, nodeId: id, addresses: addresses))
        }
        self.broker = broker
        self.clients = clients
    }

    /// The client talking to broker `id`.
    subscript(id: Int32) -> ClusterClient { clients[id]! }

    /// Broker `id` stops, and its port closes.
    func stop(_ id: Int32) throws {
        _ = try broker.stopBroker(id)
        addresses.set(id, nil)
    }

    /// Broker `id` crashes, and its port closes.
    func kill(_ id: Int32) throws {
        _ = try broker.killBroker(id)
        addresses.set(id, nil)
    }

    /// Broker `id` starts again on its port.
    func start(_ id: Int32) throws {
        _ = try broker.startBroker(id)
        addresses.set(id, BrokerAddresses.Address(host: "127.0.0.1", port: 9091 + id))
    }

    /// Who leads partition `partition` of `topic`, with the other brokers.
    func leadership(_ topic: String, _ partition: Int32 = 0) throws -> (leader: Int32, epoch: Int32, others: [Int32]) {
        let leadership = try broker.leadership(topic, partition: partition)
        let leader = try #require(leadership.leader)
        return (leader, leadership.leaderEpoch, broker.brokerIds.filter { $0 != leader })
    }
}

extension ClusterClient {
    init(broker: Broker, api: KafkaAPI) {
        self.broker = broker
        self.api = api
    }

    /// `request` sent at `version`, answered now or later.
    func post<Request: KafkaRequest>(_ request: Request, version: Int16) throws -> Posted<Request.Response> {
        let flexible = Request.apiKey.flexibleVersions.contains(version)
        let body = try request.encoded(version: version, flexible: flexible).bytes()
        let (header, decoded) = try RequestDecoder.decode(frame(key: Request.apiKey, version: version) { writer in
            if flexible { writer.noTaggedFields() }
            writer.raw(body)
        })
        let posted = Posted<Request.Response>(version: version, flexible: flexible)
        api.handle(header, decoded) { reply in posted.bytes.withLock { $0 = try? reply.body?.bytes() } }
        return posted
    }
}

/// A request's answer, once it comes.
final class Posted<Response: WireStruct>: Sendable {
    let bytes = Mutex<[UInt8]?>(nil)
    private let version: Int16
    private let flexible: Bool

    init(version: Int16, flexible: Bool) {
        self.version = version
        self.flexible = flexible
    }

    /// The answer, or nil while none came.
    func response() throws -> Response? {
        guard let bytes = bytes.withLock({ $0 }) else { return nil }
        var reader = WireReader(bytes)
        return try Response.decoded(from: &reader, version: version, flexible: flexible)
    }
}

@Suite("Each broker of a cluster answers Metadata as Kafka's MetadataCache does")
struct ClusterMetadataTests {
    @Test("every broker lists the three brokers, the controller, and each partition's leader, epoch, replicas and ISR")
    func threeBrokers() throws {
        let cluster = try ServedCluster()
        let topic = try cluster.broker.createTopic("orders", partitions: 3)
        for id in cluster.broker.brokerIds {
            for version in Int16(0)...9 {
                let response = try cluster[id].send(MetadataRequest(topics: nil), version: version)
                #expect(response.brokers.map(\.nodeId) == [1, 2, 3], "v\(version)")
                #expect(response.brokers.map(\.port) == [9092, 9093, 9094], "v\(version)")
                if version >= 1 { #expect(response.controllerId == cluster.broker.cluster().controller, "v\(version)") }
                let partitions = try #require(response.topics.first { $0.name == "orders" }).partitions
                #expect(partitions.map(\.leaderId) == topic.partitions.map { $0.leader! }, "v\(version)")
                #expect(partitions.map(\.replicaNodes) == topic.partitions.map(\.replicas), "v\(version)")
                #expect(partitions.map(\.isrNodes) == topic.partitions.map(\.isr), "v\(version)")
                #expect(partitions.allSatisfy { $0.errorCode == 0 && $0.offlineReplicas.isEmpty })
                #expect(partitions.allSatisfy { $0.leaderEpoch == (version >= 7 ? 0 : -1) }, "v\(version)")
            }
        }
    }

    @Test("after its leader's broker stops: the new leader and epoch, the stopped broker gone, its replica offline; v0 leaves it out with REPLICA_NOT_AVAILABLE")
    func leaderStops() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("t", partitions: 1)
        let (old, epoch, others) = try cluster.leadership("t")
        try cluster.stop(old)
        let (leader, newEpoch, _) = try cluster.leadership("t")
        #expect(leader != old && newEpoch > epoch)
        let response = try cluster[others[0]].send(MetadataRequest(topics: ["t"]), version: 9)
        #expect(response.brokers.map(\.nodeId) == others)
        let partition = try #require(response.topics.first?.partitions.first)
        #expect(partition.errorCode == 0 && partition.leaderId == leader && partition.leaderEpoch == newEpoch)
        #expect(partition.offlineReplicas == [old])
        #expect(partition.replicaNodes.contains(old) && !partition.isrNodes.contains(old))
        let v0 = try #require(try cluster[others[0]].send(MetadataRequest(topics: ["t"]), version: 0).topics.first?.partitions.first)
        #expect(v0.errorCode == KafkaErrorCode.replicaNotAvailable.rawValue && v0.leaderId == leader && !v0.replicaNodes.contains(old))
        try cluster.start(old)
        let back = try cluster[old].send(MetadataRequest(topics: ["t"]), version: 9)
        #expect(back.brokers.map(\.nodeId) == [1, 2, 3])
        #expect(back.topics.first?.partitions.first?.offlineReplicas == [])
    }

    @Test("a partition whose every replica is down has leader -1 and LEADER_NOT_AVAILABLE")
    func offline() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("one", partitions: 1, replicationFactor: 1)
        let (leader, _, others) = try cluster.leadership("one")
        try cluster.kill(leader)
        let partition = try #require(try cluster[others[0]].send(MetadataRequest(topics: ["one"]), version: 9).topics.first?.partitions.first)
        #expect(partition.errorCode == KafkaErrorCode.leaderNotAvailable.rawValue)
        #expect(partition.leaderId == -1 && partition.leaderEpoch == -1 && partition.offlineReplicas == [leader])
    }

    @Test("a topic created by Metadata gets the default replication factor, three here")
    func autoCreate() throws {
        let cluster = try ServedCluster()
        let response = try cluster[2].send(MetadataRequest(topics: ["new"]), version: 4)
        #expect(response.topics.first?.partitions.first?.replicaNodes.count == 3)
        #expect(try cluster.broker.describeTopic("new").partitions[0].replicas.count == 3)
    }
}

/// A Produce of one record to partition 0 of `topic`.
func produceRequest(_ topic: String, acks: Int16 = 1, timeoutMs: Int32 = 5000) -> ProduceRequest {
    let batch = RecordBatch(records: [Record(offset: 0, timestamp: 5, key: nil, value: Array("v".utf8))])
    return ProduceRequest(acks: acks, timeoutMs: timeoutMs, topics: [.init(name: topic, partitions: [.init(index: 0, records: batch.encoded()[...])])])
}

/// A Fetch of partition 0 of `topic` from offset 0, naming `epoch` as its leader's.
func fetchRequest(_ topic: String, epoch: Int32 = -1) -> FetchRequest {
    var partition = FetchRequest.Partition(index: 0, fetchOffset: 0, maxBytes: 1 << 20)
    partition.currentLeaderEpoch = epoch
    return FetchRequest(maxWaitMs: 0, minBytes: 0, maxBytes: .max, topics: [.init(name: topic, partitions: [partition])])
}

@Suite("Only a partition's leader serves it, in the partition's epoch")
struct ClusterLeaderTests {
    private static let notLeader = KafkaErrorCode.notLeaderOrFollower.rawValue

    @Test("Produce, Fetch, ListOffsets and DeleteRecords to a follower get NOT_LEADER_OR_FOLLOWER; the leader serves them")
    func followersRefuse() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("t", partitions: 1)
        let (leader, epoch, others) = try cluster.leadership("t")
        for id in others {
            let produced = try cluster[id].send(produceRequest("t"), version: 8).topics[0].partitions[0]
            #expect(produced.errorCode == Self.notLeader && produced.baseOffset == -1)
            let fetched = try cluster[id].send(fetchRequest("t"), version: 11).topics[0].partitions[0]
            #expect(fetched.errorCode == Self.notLeader && fetched.highWatermark == -1)
            let listed = try cluster[id].send(ListOffsetsRequest(topics: [offsetsTopic("t", [.init(index: 0, timestamp: -1)])]), version: 5)
            #expect(listed.topics[0].partitions[0].errorCode == Self.notLeader)
            let deleted = try cluster[id].send(DeleteRecordsRequest(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, offset: -1)])]), version: 1)
            #expect(deleted.topics[0].partitions[0].errorCode == Self.notLeader)
        }
        #expect(try cluster.broker.describeTopic("t").partitions[0].logEndOffset == 0, "nothing appended through a follower")
        let produced = try cluster[leader].send(produceRequest("t"), version: 8).topics[0].partitions[0]
        #expect(produced.errorCode == 0 && produced.baseOffset == 0)
        let fetched = try cluster[leader].send(fetchRequest("t", epoch: epoch), version: 11).topics[0].partitions[0]
        #expect(fetched.errorCode == 0 && fetched.highWatermark == 1)
        let listed = try cluster[leader].send(ListOffsetsRequest(topics: [offsetsTopic("t", [.init(index: 0, timestamp: -1, currentLeaderEpoch: epoch)])]), version: 5)
        #expect(listed.topics[0].partitions[0].errorCode == 0 && listed.topics[0].partitions[0].offset == 1)
        #expect(listed.topics[0].partitions[0].leaderEpoch == epoch)
    }

    @Test("after the leader's broker is killed, the new leader serves in the new epoch: the old epoch is fenced, a newer one unknown")
    func failover() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("t", partitions: 1)
        let (old, epoch, _) = try cluster.leadership("t")
        _ = try cluster[old].send(produceRequest("t", acks: -1), version: 8)
        try cluster.kill(old)
        let (leader, newEpoch, others) = try cluster.leadership("t")
        #expect(newEpoch > epoch)
        let fenced = try cluster[leader].send(fetchRequest("t", epoch: epoch), version: 11).topics[0].partitions[0]
        #expect(fenced.errorCode == KafkaErrorCode.fencedLeaderEpoch.rawValue)
        let unknown = try cluster[leader].send(fetchRequest("t", epoch: newEpoch + 1), version: 11).topics[0].partitions[0]
        #expect(unknown.errorCode == KafkaErrorCode.unknownLeaderEpoch.rawValue)
        let fetched = try cluster[leader].send(fetchRequest("t", epoch: newEpoch), version: 11).topics[0].partitions[0]
        #expect(fetched.errorCode == 0 && fetched.highWatermark == 1)
        let listed = try cluster[leader].send(ListOffsetsRequest(topics: [offsetsTopic("t", [.init(index: 0, timestamp: -2, currentLeaderEpoch: epoch)])]), version: 5)
        #expect(listed.topics[0].partitions[0].errorCode == KafkaErrorCode.fencedLeaderEpoch.rawValue)
        let follower = try #require(others.first { $0 != old })
        let stale = try cluster[follower].send(fetchRequest("t", epoch: epoch), version: 11).topics[0].partitions[0]
        #expect(stale.errorCode == KafkaErrorCode.fencedLeaderEpoch.rawValue, "a follower checks the epoch first, as Kafka's")
        #expect(try cluster[follower].send(fetchRequest("t", epoch: newEpoch), version: 11).topics[0].partitions[0].errorCode == Self.notLeader)
    }

    @Test("ListOffsets v4+ answers the epoch the earliest offset and the offset found by time were written in, and the current one with the latest, as Kafka 2.5's Log and Partition; an empty log's earliest has none")
    func listOffsetsEpochs() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("t", partitions: 1)
        try cluster.broker.createTopic("empty", partitions: 1)
        let (old, epoch, _) = try cluster.leadership("t")
        _ = try cluster[old].send(produceRequest("t", acks: -1), version: 8)
        try cluster.kill(old)
        let (leader, newEpoch, _) = try cluster.leadership("t")
        func listed(_ topic: String, at timestamp: Int64, on broker: Int32) throws -> ListOffsetsResponse.Partition {
            try cluster[broker].send(ListOffsetsRequest(topics: [offsetsTopic(topic, [.init(index: 0, timestamp: timestamp)])]), version: 5).topics[0].partitions[0]
        }
        let earliest = try listed("t", at: -2, on: leader)
        let latest = try listed("t", at: -1, on: leader)
        let byTime = try listed("t", at: 5, on: leader)
        #expect([earliest.offset, latest.offset, byTime.offset] == [0, 1, 0])
        #expect([earliest.leaderEpoch, latest.leaderEpoch, byTime.leaderEpoch] == [epoch, newEpoch, epoch])
        let emptyLeader = try cluster.leadership("empty").leader
        #expect(try listed("empty", at: -2, on: emptyLeader).leaderEpoch == -1)
        #expect(try listed("empty", at: -1, on: emptyLeader).leaderEpoch == cluster.leadership("empty").epoch)
    }

    @Test("a partition the cluster does not know is UNKNOWN_TOPIC_OR_PARTITION on every broker")
    func unknown() throws {
        let cluster = try ServedCluster()
        for id in cluster.broker.brokerIds {
            #expect(try cluster[id].send(fetchRequest("nowhere", epoch: 3), version: 11).topics[0].partitions[0].errorCode
                == KafkaErrorCode.unknownTopicOrPartition.rawValue)
        }
    }
}

@Suite("An acks=all Produce is answered once its partitions are acknowledged, as Kafka's DelayedProduce")
struct ClusterAcksTests {
    @Test("acks=all to a three-replica partition is answered with its offset once every in-sync replica has it")
    func acknowledged() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("t", partitions: 1)
        let (leader, _, _) = try cluster.leadership("t")
        let produced = try cluster[leader].send(produceRequest("t", acks: -1), version: 8).topics[0].partitions[0]
        #expect(produced.errorCode == 0 && produced.baseOffset == 0)
        #expect(try cluster.broker.describeTopic("t").partitions[0].highWatermark == 1, "answered once the high watermark passed it")
    }

    @Test("with followers that fetch only when told, acks=all is answered once they have the record, not before; acks=1 at once")
    func waitsForFollowers() throws {
        let cluster = try ServedCluster()
        cluster.broker.replicationPace = .stepped
        try cluster.broker.createTopic("t", partitions: 1)
        let (leader, _, _) = try cluster.leadership("t")
        let posted = try cluster[leader].post(produceRequest("t", acks: -1), version: 8)
        #expect(try posted.response() == nil, "no answer while the followers lack the record")
        #expect(try cluster[leader].send(produceRequest("t", acks: 1), version: 8).topics[0].partitions[0].baseOffset == 1)
        _ = cluster.broker.settleReplication()
        let answer = try #require(try posted.response()).topics[0].partitions[0]
        #expect(answer.errorCode == 0 && answer.baseOffset == 0)
    }

    @Test("a waiting acks=all gets REQUEST_TIMED_OUT after its timeout of real time; stopping the API cancels one still waiting")
    func timeoutAndStop() throws {
        let cluster = try ServedCluster()
        cluster.broker.replicationPace = .stepped
        try cluster.broker.createTopic("t", partitions: 1)
        let (leader, _, _) = try cluster.leadership("t")
        let short = try cluster[leader].post(produceRequest("t", acks: -1, timeoutMs: 100), version: 8)
        let long = try cluster[leader].post(produceRequest("t", acks: -1, timeoutMs: 60_000), version: 8)
        cluster.timer.advance(100)
        cluster.broker.scheduler.runDue(.real)
        let timedOut = try #require(try short.response()).topics[0].partitions[0]
        #expect(timedOut.errorCode == KafkaErrorCode.requestTimedOut.rawValue && timedOut.baseOffset == 0)
        #expect(try long.response() == nil)
        cluster[leader].api.stop()
        _ = cluster.broker.settleReplication()
        #expect(try long.response() == nil, "a stopped API answers nothing")
    }

    @Test("below min.insync.replicas acks=all gets NOT_ENOUGH_REPLICAS and nothing is appended; acks=1 still appends")
    func notEnoughReplicas() throws {
        let cluster = try ServedCluster()
        var config = TopicConfig()
        config.minInsyncReplicas = 2
        try cluster.broker.createTopic("t", partitions: 1, config: config)
        let (leader, _, others) = try cluster.leadership("t")
        for id in others { try cluster.kill(id) }
        let refused = try cluster[leader].send(produceRequest("t", acks: -1), version: 8).topics[0].partitions[0]
        #expect(refused.errorCode == KafkaErrorCode.notEnoughReplicas.rawValue)
        #expect(try cluster.broker.describeTopic("t").partitions[0].logEndOffset == 0)
        #expect(try cluster[leader].send(produceRequest("t", acks: 1), version: 8).topics[0].partitions[0].errorCode == 0)
    }

    @Test("each partition of one request gets its own answer: acknowledged on the leader, NOT_LEADER_OR_FOLLOWER elsewhere")
    func perPartition() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("a", partitions: 1)
        try cluster.broker.createTopic("b", partitions: 1)
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: 5, key: nil, value: Array("v".utf8))]).encoded()[...]
        let request = ProduceRequest(acks: -1, timeoutMs: 5000, topics: ["a", "b"].map { .init(name: $0, partitions: [.init(index: 0, records: batch)]) })
        let leaders = [try cluster.leadership("a").leader, try cluster.leadership("b").leader]
        for id in cluster.broker.brokerIds {
            let answer = try cluster[id].send(request, version: 8)
            #expect(answer.topics.map { $0.partitions[0].errorCode } == leaders.map { $0 == id ? 0 : KafkaErrorCode.notLeaderOrFollower.rawValue })
        }
        #expect(try ["a", "b"].map { try cluster.broker.describeTopic($0).partitions[0].logEndOffset } == [1, 1])
    }
}

@Suite("FindCoordinator names the group's coordinator; other brokers answer its calls NOT_COORDINATOR, as Kafka's GroupCoordinator")
struct ClusterCoordinatorTests {
    private static let notCoordinator: Int16 = 16

    @Test("every broker names the coordinator and its address, at every version; after it stops, the next one; with none listening, COORDINATOR_NOT_AVAILABLE")
    func findCoordinator() throws {
        let cluster = try ServedCluster()
        let coordinator = try #require(cluster.broker.coordinator(forGroup: "g"))
        for id in cluster.broker.brokerIds {
            for version in Int16(0)...3 {
                let found = try cluster[id].send(FindCoordinatorRequest(key: "g"), version: version)
                #expect(found.errorCode == 0 && found.nodeId == coordinator && found.port == 9091 + coordinator, "v\(version)")
            }
        }
        try cluster.stop(coordinator)
        let next = try #require(cluster.broker.coordinator(forGroup: "g"))
        #expect(next != coordinator)
        let asker = try #require(cluster.broker.brokerIds.first { $0 != coordinator })
        let found = try cluster[asker].send(FindCoordinatorRequest(key: "g"), version: 2)
        #expect(found.errorCode == 0 && found.nodeId == next && found.port == 9091 + next)
        cluster.addresses.set(next, nil)
        let none = try cluster[asker].send(FindCoordinatorRequest(key: "g"), version: 2)
        #expect(none.errorCode == 15 && none.nodeId == -1 && none.host == "" && none.port == -1)
        #expect(none.errorMessage == "The coordinator is not available.")
    }

    @Test("join, sync, heartbeat, leave, commits, fetches, describe, delete and offset deletion at another broker get NOT_COORDINATOR")
    func notCoordinator() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("t", partitions: 1)
        let coordinator = try #require(cluster.broker.coordinator(forGroup: "g"))
        let other = cluster[try #require(cluster.broker.brokerIds.first { $0 != coordinator })]
        let code = Self.notCoordinator

        var join = JoinGroupWireRequest()
        join.groupId = "g"
        join.memberId = "m"
        join.protocolType = "consumer"
        join.protocols = [.init(name: "range", metadata: [])]
        let joined = try other.send(join, version: 7)
        #expect(joined.errorCode == code && joined.memberId == "m" && joined.generationId == -1 && joined.protocolName == nil)
        #expect(try other.send(join, version: 5).protocolName == "")
        var sync = SyncGroupWireRequest()
        sync.groupId = "g"
        sync.memberId = "m"
        #expect(try other.send(sync, version: 3).errorCode == code)
        var heartbeat = HeartbeatRequest()
        heartbeat.groupId = "g"
        #expect(try other.send(heartbeat, version: 3).errorCode == code)
        var leave = LeaveGroupRequest()
        leave.groupId = "g"
        leave.members = [.init(memberId: "m")]
        let left = try other.send(leave, version: 3)
        #expect(left.errorCode == code && left.members.isEmpty)

        var commit = OffsetCommitRequest()
        commit.groupId = "g"
        commit.topics = [.init(name: "t", partitions: [.init(index: 0, offset: 1)])]
        #expect(try other.send(commit, version: 2).topics[0].partitions[0].errorCode == code)
        var unknown = commit
        unknown.topics = [.init(name: "nowhere", partitions: [.init(index: 0, offset: 1)])]
        #expect(try other.send(unknown, version: 2).topics[0].partitions[0].errorCode == KafkaErrorCode.unknownTopicOrPartition.rawValue)
        #expect(cluster.broker.committedOffsets(groupId: "g").isEmpty)
        #expect(try other.send(commit, version: 0).topics[0].partitions[0].errorCode == 0, "v0 commits went to ZooKeeper through any broker")
        var fetch = OffsetFetchRequest()
        fetch.groupId = "g"
        fetch.topics = [.init(name: "t", partitions: [0])]
        let v1 = try other.send(fetch, version: 1).topics[0].partitions[0]
        #expect(v1.errorCode == code && v1.offset == -1)
        let v5 = try other.send(fetch, version: 5)
        #expect(v5.errorCode == code && v5.topics.isEmpty)
        #expect(try other.send(fetch, version: 0).topics[0].partitions[0].offset == 1)

        var describe = DescribeGroupsRequest()
        describe.groups = ["g"]
        let described = try other.send(describe, version: 4).groups[0]
        #expect(described.errorCode == code && described.state == "" && described.members.isEmpty)
        #expect(try other.send(DeleteGroupsRequest(groupsNames: ["g"]), version: 1).results[0].errorCode == code)
        #expect(try other.send(OffsetDeleteRequest(groupId: "g", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0)])]), version: 0).errorCode == code)

        let coordinating = cluster[coordinator]
        #expect(try coordinating.send(commit, version: 2).topics[0].partitions[0].errorCode == 0)
        #expect(try coordinating.send(fetch, version: 5).topics[0].partitions[0].offset == 1)
        #expect(try coordinating.send(describe, version: 4).groups[0].state == "Empty")
    }

    @Test("ListGroups on a broker lists the groups it coordinates")
    func listGroups() throws {
        let cluster = try ServedCluster()
        try cluster.broker.createTopic("t", partitions: 1)
        let coordinator = try #require(cluster.broker.coordinator(forGroup: "g"))
        var commit = OffsetCommitRequest()
        commit.groupId = "g"
        commit.topics = [.init(name: "t", partitions: [.init(index: 0, offset: 1)])]
        _ = try cluster[coordinator].send(commit, version: 2)
        for id in cluster.broker.brokerIds {
            let listed = try cluster[id].send(ListGroupsRequest(), version: 3).groups.map(\.groupId)
            #expect(listed == (id == coordinator ? ["g"] : []), "broker \(id)")
        }
    }
}

@Suite("Topic and config administration on a cluster: replication factors up to the live brokers, placements EventLab makes")
struct ClusterAdminTests {
    private func create(_ cluster: ServedCluster, _ topic: CreateTopicsRequest.Topic) throws -> CreateTopicsResponse.Topic {
        try cluster[1].send(CreateTopicsRequest(topics: [topic]), version: 5).topics[0]
    }

    @Test("CreateTopics: -1 is the default factor (three), up to the live brokers, answered with the real factor; more is Kafka's INVALID_REPLICATION_FACTOR")
    func replicationFactor() throws {
        let cluster = try ServedCluster()
        let defaulted = try create(cluster, .init(name: "a", numPartitions: 2, replicationFactor: -1))
        #expect(defaulted.errorCode == 0 && defaulted.replicationFactor == 3)
        #expect(try cluster.broker.describeTopic("a").partitions.allSatisfy { $0.replicas.count == 3 })
        let two = try create(cluster, .init(name: "b", numPartitions: 1, replicationFactor: 2))
        #expect(two.errorCode == 0 && two.replicationFactor == 2)
        let four = try create(cluster, .init(name: "c", numPartitions: 1, replicationFactor: 4))
        #expect(four.errorCode == 38 && four.errorMessage == "Replication factor: 4 larger than available brokers: 3.")
        try cluster.kill(3)
        let three = try create(cluster, .init(name: "d", numPartitions: 1, replicationFactor: 3))
        #expect(three.errorCode == 38 && three.errorMessage == "Replication factor: 3 larger than available brokers: 2.")
        #expect(try create(cluster, .init(name: "e", numPartitions: 1, replicationFactor: 0)).errorCode == 38)
        #expect(cluster.broker.topics().map(\.name) == ["a", "b"])
    }

    @Test("CreateTopics takes assignments that are EventLab's own placement; another is INVALID_REPLICA_ASSIGNMENT naming the one that works")
    func assignments() throws {
        let cluster = try ServedCluster()
        let (start, shift) = ReplicaAssignment.seeds(for: "placed", brokers: 3)
        let placement = ReplicaAssignment.assign(partitions: 3, replicationFactor: 2, brokers: [1, 2, 3], start: start, shift: shift)
        func topic(_ name: String, _ replicas: [[Int32]]) -> CreateTopicsRequest.Topic {
            .init(name: name, numPartitions: -1, replicationFactor: -1,
                  assignments: replicas.enumerated().map { .init(partitionIndex: Int32($0.offset), brokerIds: $0.element) })
        }
        let placed = try create(cluster, topic("placed", placement))
        #expect(placed.errorCode == 0 && placed.numPartitions == 3 && placed.replicationFactor == 2)
        #expect(try cluster.broker.describeTopic("placed").partitions.map(\.replicas) == placement)
        let (otherStart, otherShift) = ReplicaAssignment.seeds(for: "mine", brokers: 3)
        let wanted = ReplicaAssignment.assign(partitions: 3, replicationFactor: 2, brokers: [1, 2, 3], start: otherStart + 1, shift: otherShift)
        let refused = try create(cluster, topic("mine", wanted))
        #expect(refused.errorCode == 39)
        let offered = ReplicaAssignment.assign(partitions: 3, replicationFactor: 2, brokers: [1, 2, 3], start: otherStart, shift: otherShift)
        #expect(refused.errorMessage?.contains("give \(KafkaAPI.listed(offered))") == true)
        #expect(try create(cluster, topic("twice", [[1, 1]])).errorCode == 39)
        #expect(try create(cluster, topic("unknown", [[7]])).errorMessage == "Unknown broker 7 in the assignment: the brokers are 1, 2, 3.")
    }

    @Test("CreatePartitions places new partitions as kafka-topics --alter; assignments must be that placement")
    func createPartitions() throws {
        let cluster = try ServedCluster()
        let topic = try cluster.broker.createTopic("t", partitions: 1, replicationFactor: 2)
        let start = Int(topic.partitions[0].replicas[0]) - 1
        let next = ReplicaAssignment.assign(partitions: 1, from: 1, replicationFactor: 2, brokers: [1, 2, 3], start: start, shift: start)
        func grow(_ count: Int32, _ assignments: [[Int32]]?) throws -> CreatePartitionsResponse.Result {
            let request = CreatePartitionsRequest(topics: [.init(name: "t", count: count, assignments: assignments?.map(CreatePartitionsRequest.Assignment.init))])
            return try cluster[try #require(cluster.broker.cluster().controller)].send(request, version: 2).results[0]
        }
        let wrong = try grow(2, [next[0].reversed()])
        #expect(wrong.errorCode == 39 && wrong.errorMessage?.contains("give \(KafkaAPI.listed(next))") == true)
        #expect(try grow(2, [[9, 1]]).errorMessage == "there is no broker 9: the brokers are 1, 2, 3")
        #expect(try grow(2, next).errorCode == 0)
        #expect(try grow(3, nil).errorCode == 0)
        #expect(try cluster.broker.describeTopic("t").partitions.map(\.replicas).prefix(2) == [topic.partitions[0].replicas, next[0]])
    }

    @Test("CreateTopics, DeleteTopics and CreatePartitions to a broker that is not the controller get NOT_CONTROLLER per topic at every version, as Kafka's KafkaApis; after the controller stops, Metadata names the next, which answers")
    func notController() throws {
        let cluster = try ServedCluster()
        _ = try cluster.broker.createTopic("t", partitions: 1, replicationFactor: 3)
        let controller = try #require(cluster.broker.cluster().controller)
        let others = cluster.broker.brokerIds.filter { $0 != controller }
        let create = CreateTopicsRequest(topics: [.init(name: "a", numPartitions: 1, replicationFactor: 1), .init(name: "b", numPartitions: 1, replicationFactor: 1)])
        let grow = CreatePartitionsRequest(topics: [.init(name: "t", count: 2), .init(name: "t", count: 3)])
        for id in others {
            for version in Int16(0)...5 {
                let topics = try cluster[id].send(create, version: version).topics
                #expect(topics.map(\.name) == ["a", "b"] && topics.allSatisfy { $0.errorCode == 41 && $0.errorMessage == nil }, "v\(version)")
            }
            for version in Int16(0)...4 {
                let results = try cluster[id].send(DeleteTopicsRequest(topicNames: ["t", "t"]), version: version).responses
                #expect(results.map(\.name) == ["t", "t"] && results.allSatisfy { $0.errorCode == 41 }, "v\(version)")
            }
            for version in Int16(0)...2 {
                let results = try cluster[id].send(grow, version: version).results
                #expect(results.map(\.name) == ["t"] && results[0].errorCode == 41 && results[0].errorMessage == nil, "v\(version)")
            }
        }
        #expect(cluster.broker.topics().map(\.name) == ["t"])
        #expect(try cluster.broker.describeTopic("t").partitions.count == 1)
        try cluster.stop(controller)
        let next = try #require(cluster.broker.cluster().controller)
        #expect(next != controller)
        for id in others {
            #expect(try cluster[id].send(MetadataRequest(topics: nil), version: 1).controllerId == next)
        }
        #expect(try cluster[others.first { $0 != next }!].send(create, version: 5).topics.allSatisfy { $0.errorCode == 41 })
        #expect(try cluster[next].send(create, version: 5).topics.allSatisfy { $0.errorCode == 0 })
        #expect(try cluster[next].send(DeleteTopicsRequest(topicNames: ["a"]), version: 4).responses[0].errorCode == 0)
    }

    @Test("DescribeConfigs of a broker is answered by that broker alone, as Kafka's AdminManager; one that does not exist is named")
    func brokerConfigs() throws {
        let cluster = try ServedCluster()
        let type = ConfigResourceType.broker.rawValue
        let request = DescribeConfigsRequest(resources: ["1", "2", "3", "4"].map { .init(resourceType: type, resourceName: $0) })
        let results = try cluster[2].send(request, version: 1).results
        #expect(results.map(\.errorCode) == [42, 0, 42, 42])
        #expect(results[1].configs.map(\.name) == BrokerConfig.names)
        #expect(results[0].errorMessage == "Unexpected broker id, expected 2 or empty string, but received 1: ask broker 1 itself, at its own address")
        #expect(results[3].errorMessage == "there is no broker '4': the brokers are 1, 2, 3 (or the empty name for cluster-wide defaults)")
    }
}
