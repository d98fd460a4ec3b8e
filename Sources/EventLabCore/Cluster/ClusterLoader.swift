/// Opens a stored cluster: each broker's copies joined into replicated partitions, as the
/// controller's image describes them (or, with no image, as one broker holding everything).
enum ClusterLoader {
    struct Loaded {
        var nodes: [Int32: BrokerNode] = [:]
        var topics: [TopicName: TopicState] = [:]
        var unavailable: [TopicName: BrokerError] = [:]
        var image: ClusterImage?
    }

    static func load(_ cluster: any ClusterStorage, now: Int64) throws(BrokerError) -> Loaded {
        var loaded = Loaded()
        loaded.image = try cluster.loadImage().map { text throws(BrokerError) in try ClusterImage(parsing: text) }
        let storages = try cluster.loadBrokers()
        // Per topic: its config (from the lowest broker holding it), its partition count, and each broker's copies.
        var found: [TopicName: (config: TopicConfig, count: Int, copies: [Int32: [Int: any PartitionStorage]])] = [:]
        for id in storages.keys.sorted() {
            let storage = storages[id]!
            loaded.nodes[id] = BrokerNode(storage: storage, condition: loaded.image?.brokers[id] ?? .running)
            let stored = try storage.loadTopics()
            for (name, error) in stored.unavailable where loaded.unavailable[name] == nil { loaded.unavailable[name] = error }
            for topic in stored.topics {
                var entry = found[topic.name] ?? (topic.config, topic.partitionCount, [:])
                entry.count = max(entry.count, topic.partitionCount)
                entry.copies[id] = Dictionary(uniqueKeysWithValues: zip(topic.indexes, topic.partitions))
                found[topic.name] = entry
            }
        }
        for (name, topic) in found where loaded.unavailable[name] == nil {
            do throws(BrokerError) {
                loaded.topics[name] = try assemble(name, topic.config, count: topic.count, copies: topic.copies, image: loaded.image, now: now)
            } catch {
                loaded.unavailable[name] = error
            }
        }
        return loaded
    }

    private static func assemble(
        _ name: TopicName, _ config: TopicConfig, count: Int, copies: [Int32: [Int: any PartitionStorage]], image: ClusterImage?, now: Int64
    ) throws(BrokerError) -> TopicState {
        var partitions: [ReplicatedPartition] = []
        for index in 0..<count {
            let key = TopicPartition(name.rawValue, Int32(index))
            let saved = image?.partitions[key]
            let replicas = saved?.replicas ?? copies.keys.sorted().filter { copies[$0]?[index] != nil }
            var logs: [Int32: PartitionLog] = [:]
            for broker in replicas {
                guard let storage = copies[broker]?[index] else {
                    throw BrokerError(.kafkaStorageError, "broker \(broker) should hold a copy of \(name) p\(index) but has none")
                }
                logs[broker] = PartitionLog(storage: storage)
            }
            guard !replicas.isEmpty else { throw BrokerError(.kafkaStorageError, "no broker holds \(name) p\(index)") }
            var partition = ReplicatedPartition(key, replicas: replicas, copies: logs, now: now)
            if let saved {
                partition.leader = saved.leader
                partition.lastLeader = saved.leader ?? saved.isr.first ?? replicas[0]
                partition.leaderEpoch = saved.leaderEpoch
                partition.reassignment = saved.reassignment
                partition.isr = replicas.filter(saved.isr.contains)
                if partition.isr.isEmpty { partition.isr = [partition.lastLeader] }
                partition.highWatermark = partition.isr.compactMap { logs[$0]?.logEndOffset }.min() ?? 0
            }
            partitions.append(partition)
        }
        // The copy that leads knows its producers at once, as a broker reads them when it opens
        // a log; the others read theirs if they come to lead.
        for index in partitions.indices { _ = partitions[index].producers(of: partitions[index].leader ?? partitions[index].lastLeader) }
        return TopicState(config: config, partitions: partitions)
    }
}
