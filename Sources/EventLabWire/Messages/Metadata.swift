/// Metadata: brokers, the controller, and topics with their partitions.
public struct MetadataRequest: Equatable, Sendable {
    /// Nil means every topic.
    public var topics: [String]?
    public var allowAutoTopicCreation: Bool

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> MetadataRequest {
        var topics = try reader.array(minimumSize: 2) { reader throws(WireError) in try reader.string() }
        if version == 0 && topics?.isEmpty == true { topics = nil }  // v0: empty means all
        let auto = version >= 4 ? try reader.boolean() : true
        return MetadataRequest(topics: topics, allowAutoTopicCreation: auto)
    }
}

public struct MetadataResponse: Equatable, Sendable {
    public struct Broker: Equatable, Sendable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
    }

    public struct Partition: Equatable, Sendable {
        public var errorCode: Int16
        public var index: Int32
        public var leader: Int32
    }

    public struct Topic: Equatable, Sendable {
        public var errorCode: Int16
        public var name: String
        public var partitions: [Partition]
    }

    public var brokers: [Broker]
    public var clusterId: String?
    public var controllerId: Int32
    public var topics: [Topic]

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 3 { writer.integer(Int32(0)) }
        writer.array(brokers) { writer, broker in
            writer.integer(broker.nodeId)
            writer.string(broker.host)
            writer.integer(broker.port)
            if version >= 1 { writer.string(nil) }  // rack
        }
        if version >= 2 { writer.string(clusterId) }
        if version >= 1 { writer.integer(controllerId) }
        writer.array(topics) { writer, topic in
            writer.integer(topic.errorCode)
            writer.string(topic.name)
            if version >= 1 { writer.boolean(false) }  // is_internal
            writer.array(topic.partitions) { writer, partition in
                writer.integer(partition.errorCode)
                writer.integer(partition.index)
                writer.integer(partition.leader)
                writer.array([partition.leader]) { $0.integer($1) }  // replicas
                writer.array([partition.leader]) { $0.integer($1) }  // in-sync replicas
            }
        }
        return writer.bytes
    }
}
