/// One broker of the cluster: its own storage, and whether it runs.
struct BrokerNode {
    /// The copies of the partitions it hosts.
    var storage: any LogStorage
    /// Whether it runs, and how it stopped.
    var condition: BrokerCondition
}
