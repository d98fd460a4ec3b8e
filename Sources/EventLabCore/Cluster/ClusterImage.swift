/// The controller's image of the cluster, as the workspace's `cluster` file keeps it (what
/// ZooKeeper kept for Kafka 2.5): each broker's condition, each partition's replicas, leader,
/// leader epoch and in-sync set, and the brokers `__consumer_offsets` was placed over (an
/// optional line: files written before it was kept read as they did). High watermarks are not
/// kept: on opening, every copy is at hand, so each partition's is what its in-sync replicas
/// all have.
struct ClusterImage: Equatable {
    /// One partition's line.
    struct Partition: Equatable {
        var replicas: [Int32]
        var leader: Int32?
        var leaderEpoch: Int32
        var isr: [Int32]
        /// Where a reassignment moves it, if one is under way.
        var reassignment: Reassignment?
    }

    var controllerEpoch: Int32 = 1
    /// The broker that elects leaders, or nil while none is alive.
    var controller: Int32?
    var brokers: [Int32: BrokerCondition] = [:]
    /// The brokers `__consumer_offsets` was placed over (``OffsetsTopic``), ascending, or nil in
    /// a file written before they were kept.
    var offsetsTopicBrokers: [Int32]?
    var partitions: [TopicPartition: Partition] = [:]

    init() {}

    /// The image in `text`.
    ///
    /// - Throws: `KAFKA_STORAGE_ERROR` naming the line that cannot be read.
    init(parsing text: String) throws(BrokerError) {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(separator: " ").map(String.init)
            func bad() -> BrokerError {
                BrokerError(.kafkaStorageError, "the cluster file's line \(number + 1) cannot be read: '\(line.prefix(80))'; restore it from a backup, or delete it to reopen the workspace as one broker holding its partitions")
            }
            func ids(_ text: String) throws(BrokerError) -> [Int32] {
                if text == "-" { return [] }
                var result: [Int32] = []
                for part in text.split(separator: ",") {
                    guard let id = Int32(part), id > 0 else { throw bad() }
                    result.append(id)
                }
                return result
            }
            switch words.first {
            case nil, "#"?: continue
            case "version"?: guard words == ["version", "1"] else { throw bad() }
            case "controller-epoch"?:
                guard words.count == 2, let epoch = Int32(words[1]) else { throw bad() }
                controllerEpoch = epoch
            case "controller"?:
                guard words.count == 2, words[1] == "-" || Int32(words[1]) != nil else { throw bad() }
                controller = Int32(words[1])
            case "offsets-topic-brokers"?:
                guard words.count == 2 else { throw bad() }
                let brokers = try ids(words[1])
                guard !brokers.isEmpty, zip(brokers, brokers.dropFirst()).allSatisfy({ $0 < $1 }) else { throw bad() }
                offsetsTopicBrokers = brokers
            case "broker"?:
                guard words.count == 3, let id = Int32(words[1]), id > 0,
                      let condition = BrokerCondition(rawValue: words[2].split(separator: "-").joined(separator: " "))
                else { throw bad() }
                brokers[id] = condition
            case "partition"?:
                // partition NAME INDEX replicas 1,2,3 leader 1|- epoch N isr 1,2 [target 1,2,4 adding 4]
                guard words.count == 11 || (words.count == 15 && words[11] == "target" && words[13] == "adding"), words[3] == "replicas", words[5] == "leader", words[7] == "epoch", words[9] == "isr",
                      let index = Int32(words[2]), index >= 0, let epoch = Int32(words[8])
                else { throw bad() }
                let leader: Int32? = words[6] == "-" ? nil : Int32(words[6])
                if words[6] != "-" && leader == nil { throw bad() }
                let replicas = try ids(words[4])
                guard !replicas.isEmpty else { throw bad() }
                let reassignment = words.count == 15 ? Reassignment(target: try ids(words[12]), adding: try ids(words[14])) : nil
                partitions[TopicPartition(words[1], index)] = Partition(
                    replicas: replicas, leader: leader, leaderEpoch: epoch, isr: try ids(words[10]), reassignment: reassignment)
            default: throw bad()
            }
        }
    }

    /// The image as the `cluster` file holds it: one line per broker and per partition, sorted.
    var text: String {
        func list(_ ids: [Int32]) -> String { ids.isEmpty ? "-" : ids.map(String.init).joined(separator: ",") }
        var lines = [
            "# EventLab's cluster: what the controller knows (Kafka 2.5 kept this in ZooKeeper)", "version 1",
            "controller \(controller.map(String.init) ?? "-")", "controller-epoch \(controllerEpoch)",
        ]
        if let offsetsTopicBrokers { lines.append("offsets-topic-brokers \(list(offsetsTopicBrokers))") }
        lines += brokers.keys.sorted().map { "broker \($0) \(brokers[$0]!.rawValue.split(separator: " ").joined(separator: "-"))" }
        lines += partitions.keys.sorted().map { key in
            let partition = partitions[key]!
            let moving = partition.reassignment.map { " target \(list($0.target)) adding \(list($0.adding))" } ?? ""
            return "partition \(key.topic) \(key.partition) replicas \(list(partition.replicas)) leader \(partition.leader.map(String.init) ?? "-") epoch \(partition.leaderEpoch) isr \(list(partition.isr))" + moving
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
