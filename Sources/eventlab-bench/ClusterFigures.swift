import EventLabCore
import EventLabShell
import EventLabStorage
import Foundation

/// Figures of a cluster of brokers against one broker: what replication costs a producer.
struct ClusterFigures {
    let runs: Int
    let scratch: String

    /// The ratio and the two rates it comes from, measured once, in the same run.
    var all: [(name: String, measure: () throws -> Figure)] {
        let pair = AppendPair(runs: runs, scratch: scratch)
        return [
            ("cluster_append_vs_single_ratio", {
                let (single, cluster) = try pair.medians()
                return Figure(name: "cluster_append_vs_single_ratio", value: single / cluster, unit: "×")
            }),
            ("cluster_append_single_disk_rps", {
                Figure(name: "cluster_append_single_disk_rps", value: Double(AppendPair.records) / (try pair.medians().single), unit: "records/s")
            }),
            ("cluster_append_3x3_disk_rps", {
                Figure(name: "cluster_append_3x3_disk_rps", value: Double(AppendPair.records) / (try pair.medians().cluster), unit: "records/s")
            }),
        ]
    }
}

/// `publish --repeat 1000000` of 100-byte values with acks=all through a shell, on disk with
/// flush `os` on the system clock (as `eventlab` runs by default): one broker with a topic of
/// replication factor 1 against three brokers with a topic of factor 3, the repetitions
/// interleaved so both see the same machine.
private final class AppendPair {
    static let records = 1_000_000

    let runs: Int
    let scratch: String
    private var measured: (single: Double, cluster: Double)?

    init(runs: Int, scratch: String) {
        self.runs = runs
        self.scratch = scratch
    }

    /// The median seconds of each, measured on the first call.
    func medians() throws -> (single: Double, cluster: Double) {
        if let measured { return measured }
        var single: [Double] = []
        var cluster: [Double] = []
        for _ in 0..<runs {
            single.append(try seconds(brokers: 1))
            cluster.append(try seconds(brokers: 3))
        }
        let medians = (single.sorted()[runs / 2], cluster.sorted()[runs / 2])
        measured = medians
        return medians
    }

    /// How long the publish takes on a new workspace of `brokers` brokers, the topic replicated
    /// on every one.
    private func seconds(brokers: Int) throws -> Double {
        try withScratch(in: scratch) { directory in
            let workspace = try Workspace(directory: directory, policy: .os)
            let broker = try Broker(cluster: workspace.makeCluster(newBrokers: brokers), clock: SystemClock(), ids: SeededIdSource(seed: 0))
            try broker.createTopic("t", partitions: 1, replicationFactor: brokers, config: TopicConfig())
            let shell = Shell(broker: broker, logicalClock: nil, output: CapturedOutput())
            let value = String(repeating: "x", count: 96) + "{n}"
            let seconds = try medianSeconds(runs: 1) {
                guard shell.execute("publish t --repeat \(Self.records) \(value)") else { throw BenchError("publish --repeat failed on \(brokers) brokers") }
            }
            let partition = try broker.describeTopic("t").partitions[0]
            let records = Int64(Self.records)
            guard partition.highWatermark == records, partition.replicaEnds.count == brokers, partition.replicaEnds.values.allSatisfy({ $0 == records }) else {
                throw BenchError("after the publish on \(brokers) brokers the high watermark is \(partition.highWatermark) and the replicas end at \(partition.replicaEnds), not all at \(records)")
            }
            try broker.close()
            return seconds
        }
    }
}
