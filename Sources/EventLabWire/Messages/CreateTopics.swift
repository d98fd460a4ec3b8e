/// CreateTopics: new topics with a partition count and configs.
public struct CreateTopicsRequest: Equatable, Sendable {
    public struct Topic: Equatable, Sendable {
        public var name: String
        /// -1 asks for the broker's default.
        public var partitions: Int32
        public var replicationFactor: Int16
        public var configs: [String: String?]
    }

    public var topics: [Topic]
    public var validateOnly: Bool

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> CreateTopicsRequest {
        let topics = try reader.array(minimumSize: 16) { reader throws(WireError) -> Topic in
            let name = try reader.string()
            let partitions = try reader.integer(Int32.self)
            let replication = try reader.integer(Int16.self)
            _ = try reader.array(minimumSize: 8) { reader throws(WireError) in
                _ = try reader.integer(Int32.self)
                _ = try reader.array(minimumSize: 4) { reader throws(WireError) in try reader.integer(Int32.self) }
            }
            var configs: [String: String?] = [:]
            let pairs = try reader.array(minimumSize: 4) { reader throws(WireError) -> (String, String?) in
                (try reader.string(), try reader.nullableString())
            }
            for (key, value) in pairs ?? [] {
                configs[key] = value
            }
            return Topic(name: name, partitions: partitions, replicationFactor: replication, configs: configs)
        } ?? []
        _ = try reader.integer(Int32.self)  // timeout
        let validateOnly = version >= 1 ? try reader.boolean() : false
        return CreateTopicsRequest(topics: topics, validateOnly: validateOnly)
    }
}

public struct CreateTopicsResponse: Equatable, Sendable {
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var errorCode: Int16
        public var errorMessage: String?
    }

    public var topics: [Topic]

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 2 { writer.integer(Int32(0)) }
        writer.array(topics) { writer, topic in
            writer.string(topic.name)
            writer.integer(topic.errorCode)
            if version >= 1 { writer.string(topic.errorMessage) }
        }
        return writer.bytes
    }
}
