import EventLabCore

/// What a `publish` on a cluster was told about its records: which replicas had them when they
/// were acknowledged, or whom it still waits for, with what will end the wait.
///
/// On one broker it says nothing, so single-broker output stays as it was.
struct PublishAcknowledgement {
    private let shell: Shell
    private let topic: String
    private let acks: Acks
    private var states: [Int32: Acknowledgement] = [:]
    private var leaders: [Int32: Int32] = [:]

    /// The acknowledgement of `topic`'s partitions written up to `through`'s last offsets; under
    /// `flow auto` the followers fetched as the leader appended, as real ones do.
    init(shell: Shell, topic: String, acks: Acks, through: [Int32: Int64]) {
        self.shell = shell
        self.topic = topic
        self.acks = acks
        guard shell.isCluster else { return }
        let description = try? shell.broker.describeTopic(topic)
        for (partition, last) in through {
            leaders[partition] = description?.partitions.first { $0.index == partition }?.leader
            if acks == .all { states[partition] = shell.broker.acknowledgement(topic, partition: partition, through: last) }
        }
    }

    /// What ends the line of `partition`: `  acks=all: on 1, 2, 3`, `  waiting for replicas 2, 3
    /// (acks=all)…`; nothing on one broker.
    func suffix(_ partition: Int32) -> String {
        guard shell.isCluster else { return "" }
        switch acks {
        case .none:
            return "  acks=0: nobody waited to hear that it was written"
        case .leader:
            return "  acks=1: on \(leaders[partition].map { String($0) } ?? "its leader") (followers fetch next)"
        case .all:
            switch states[partition] {
            case .acknowledged(let replicas)?: return "  acks=all: on \(ClusterEventText.ids(replicas))"
            case .waiting(let replicas)?: return "  waiting for replica\(replicas.count == 1 ? "" : "s") \(ClusterEventText.ids(replicas)) (acks=all)…"
            case .failed(let error)?: return "  not acknowledged [\(error.code.name)]"
            case nil: return ""
            }
        }
    }

    /// The lines after the records' lines: what ends each wait, and why a write failed.
    func sayAfter() {
        for (partition, state) in states.sorted(by: { $0.key < $1.key }) {
            switch state {
            case .waiting(let replicas):
                shell.say("  (\(whatEnds(waitingFor: replicas)); the outcome is printed when it comes)")
            case .failed(let error):
                shell.warn("\(TerminalText.escape(topic)) p\(partition) is written on its leader but not acknowledged: \(error.message)")
            case .acknowledged:
                break
            }
        }
    }

    /// What will end a wait for `replicas`: their fetches, or their leaving the ISR.
    private func whatEnds(waitingFor replicas: [Int32]) -> String {
        let brokers = shell.broker.cluster().brokers
        let paused = replicas.filter { id in brokers.contains { $0.id == id && $0.condition == .paused } }
        if !paused.isEmpty {
            let which = paused.count == 1 ? "broker \(paused[0]) is" : "brokers \(ClusterEventText.ids(paused)) are"
            let lag = shell.broker.config.replicaLagTimeMaxMs
            // The ISR check runs every half lag, so a lag and a half surely passes one.
            let advance = shell.logicalClock == nil ? "" : " (`clock advance \(TimeText.formatDuration(lag + lag / 2))`)"
            return "\(which) paused: acknowledged once \(paused.count == 1 ? "it resumes" : "they resume") and fetch\(paused.count == 1 ? "es" : "") (`broker resume \(paused[0])`),"
                + " or once \(paused.count == 1 ? "it has" : "they have") been behind for more than replica.lag.time.max.ms \(TimeText.formatDuration(lag)) and leave\(paused.count == 1 ? "s" : "") the ISR\(advance)"
        }
        return "acknowledged once \(replicas.count == 1 ? "it fetches" : "they fetch") the record: `step` runs one follower fetch, `flow auto` lets them all run"
    }
}
