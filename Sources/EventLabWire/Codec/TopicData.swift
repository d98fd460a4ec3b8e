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

extension WireReader {
    /// An array of topics whose partitions `partition` reads; each entry takes at least
    /// `partitionSize` bytes, so impossible counts are refused before anything is allocated.
    public mutating func topics<P>(
        partitionSize: Int, _ partition: (inout WireReader) throws(WireError) -> P
    ) throws(WireError) -> [TopicData<P>] {
        try array(minimumSize: 6) { reader throws(WireError) in
            TopicData(name: try reader.string(), partitions: try reader.array(minimumSize: partitionSize, partition) ?? [])
        } ?? []
    }
}

extension WireWriter {
    /// An array of topics whose partitions `partition` writes.
    public mutating func topics<P>(_ topics: [TopicData<P>], _ partition: (inout WireWriter, P) -> Void) {
        array(topics) { writer, topic in
            writer.string(topic.name)
            writer.array(topic.partitions, partition)
        }
    }
}
