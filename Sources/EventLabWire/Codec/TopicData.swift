/// Kafka's recurring shape: an array of topics, each a name and an array of per-partition entries.
public struct TopicData<Partition: Sendable>: Sendable {
    /// The topic's name.
    public var name: String
    /// One entry per partition.
    public var partitions: [Partition]
}

extension TopicData: Equatable where Partition: Equatable {}

extension TopicData: WireStruct where Partition: WireStruct {
    public init() { self.init(name: "", partitions: []) }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&name, "0+")
        try coder.field(&partitions, "0+")
    }
}
