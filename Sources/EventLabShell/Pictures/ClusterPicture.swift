import EventLabCore

/// `show cluster`: each broker's condition and what it leads and hosts, the controller, and the
/// partitions that are under-replicated or offline. A pure function of the descriptions.
///
/// ```
/// cluster · 3 brokers · controller 1 (epoch 2)
/// BROKER  STATE   LEADS  HOSTS  NOTE
/// 1       up      2      3      controller
/// 2       up      1      3
/// 3       killed  0      3      crashed: its page cache kept what it wrote
/// under-replicated 2: orders p0 (isr 1,2 of 1,2,3), orders p1 (isr 2,1 of 2,3,1)
/// offline: none
/// The controller elects each partition's leader and keeps its ISR (in-sync …
/// ```
///
/// When the table with its notes is wider than the screen, the notes follow it as `broker 3: crashed: …`.
enum ClusterPicture {
    /// The most problem partitions named on a line; `topic describe` names the rest.
    static let listed = 8

    /// The picture at `width` columns; `topics` give the replicas and ISR of each partition named.
    static func render(_ cluster: ClusterDescription, topics: [TopicDescription], width: Int) -> String {
        let count = cluster.brokers.count
        let controller = cluster.controller.map { "controller \($0) (epoch \(cluster.controllerEpoch))" } ?? "no controller: no broker is up"
        var lines = flow(["cluster · \(count) broker\(count == 1 ? "" : "s") ·", controller], width: width, indent: "")
        let header = ["BROKER", "STATE", "LEADS", "HOSTS"]
        let rows = cluster.brokers.map { [String($0.id), state($0.condition), String($0.leads), String($0.replicas)] }
        let notes = cluster.brokers.map { note($0, controller: cluster.controller) }
        let inline = Table.render(header: header + ["NOTE"], rows: zip(rows, notes).map { $0 + [$1 ?? ""] })
        if notes.allSatisfy({ $0 == nil }) {
            lines.append(Table.render(header: header, rows: rows))
        } else if inline.split(separator: "\n").allSatisfy({ String($0).displayWidth <= width }) {
            lines += inline.split(separator: "\n").map { String($0).trimmedRight }
        } else {
            lines.append(Table.render(header: header, rows: rows))
            for (broker, note) in zip(cluster.brokers, notes) {
                if let note { lines += flow("broker \(broker.id): \(note)".split(separator: " ").map(String.init), width: width, indent: "  ") }
            }
        }
        let partitions = Dictionary(topics.flatMap { topic in topic.partitions.map { (TopicPartition(topic.name, $0.index), $0) } }) { first, _ in first }
        lines += problems("under-replicated", cluster.underReplicated, width: width) { partition in
            partitions[partition].map { "isr \(ids($0.isr)) of \(ids($0.replicas))" }
        }
        lines += problems("offline", cluster.offline, width: width) { partition in
            partitions[partition].map { "isr \(ids($0.isr)) of \(ids($0.replicas)): none up" }
        }
        lines += wrap(
            "The controller elects each partition's leader and keeps its ISR (in-sync replicas). In Kafka 2.5 it is one of the brokers, "
                + "elected through ZooKeeper; since Kafka 4 it is KRaft, a quorum of controllers. Under-replicated: fewer in sync than replicas. "
                + "Offline: no leader, so nobody reads or writes it.",
            width: width)
        return lines.joined(separator: "\n")
    }

    /// What a broker's condition is called here: `up` while it runs.
    static func state(_ condition: BrokerCondition) -> String {
        condition == .running ? "up" : condition.rawValue
    }

    /// What a broker's condition means, and whether it is the controller.
    private static func note(_ broker: BrokerDescription, controller: Int32?) -> String? {
        let meaning: String? = switch broker.condition {
        case .running: nil
        case .paused: "fetchers paused: it falls behind as a follower"
        case .stopped: "shut down cleanly: its leadership moved first"
        case .killed: "crashed: its page cache kept what it wrote"
        case .poweredOff: "lost power: what it had not flushed is gone"
        }
        let parts = (broker.id == controller ? ["controller"] : []) + (meaning.map { [$0] } ?? [])
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// `NAME N: topic pP (detail), …` at `width`, or `NAME: none`.
    private static func problems(_ name: String, _ partitions: [TopicPartition], width: Int, detail: (TopicPartition) -> String?) -> [String] {
        guard !partitions.isEmpty else { return ["\(name): none"] }
        var items = partitions.prefix(listed).map { partition in
            "\(partition.topic) p\(partition.partition)" + (detail(partition).map { " (\($0))" } ?? "")
        }
        if partitions.count > listed { items.append("and \(partitions.count - listed) more (`topic describe` names them)") }
        return flow(["\(name) \(partitions.count):"] + items.enumerated().map { $1 + ($0 < items.count - 1 ? "," : "") }, width: width, indent: "  ")
    }

    /// `text` broken at spaces to fit `width`, a `·` kept with the word before it.
    static func wrap(_ text: String, width: Int) -> [String] {
        var words: [String] = []
        for word in text.split(separator: " ").map(String.init) {
            if word == "·", !words.isEmpty { words[words.count - 1] += " ·" } else { words.append(word) }
        }
        return flow(words, width: width, indent: "")
    }

    /// `pieces` joined by spaces, broken between pieces to fit `width`, later lines indented
    /// (a piece wider than that gets a line of its own).
    private static func flow(_ pieces: [String], width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for piece in pieces {
            if !line.isEmpty && line.displayWidth + 1 + piece.displayWidth > width {
                lines.append(line)
                line = indent
            }
            line += (line.isEmpty || line == indent ? "" : " ") + piece
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Broker ids as Kafka's tools print them: `1,2,3`.
    static func ids(_ brokers: [Int32]) -> String {
        brokers.map(String.init).joined(separator: ",")
    }
}

extension String {
    /// Without trailing spaces.
    var trimmedRight: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
