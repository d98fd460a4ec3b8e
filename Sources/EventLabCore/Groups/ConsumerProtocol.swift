/// The "consumer" protocol's payloads that group members exchange through the coordinator:
/// a member's subscription (JoinGroup metadata) and its assignment (SyncGroup bytes).
///
/// The broker never reads them; EventLab's simulated consumers write and read them in Kafka's
/// format, so they can share a group with kcat, kafka-python or confluent-kafka.
public enum ConsumerProtocol {
    /// The topics a member wants: Kafka's `ConsumerProtocolSubscription` v0/v1.
    public struct Subscription: Hashable, Sendable {
        /// The topics the member subscribes to.
        public var topics: [String]
        /// Assignor-specific bytes, opaque to the broker.
        public var userData: [UInt8]?

        /// A subscription to `topics`.
        public init(topics: [String], userData: [UInt8]? = nil) {
            self.topics = topics
            self.userData = userData
        }

        /// Version 0 bytes, the form every client reads.
        public func encoded() -> [UInt8] {
            var writer = ByteWriter()
            writer.write(Int16(0))
            writeStrings(topics, into: &writer)
            writeBytes(userData, into: &writer)
            return writer.bytes
        }

        /// Reads a v0 or later subscription (fields after the topics and user data are ignored).
        public init(decoding bytes: [UInt8]) throws(BrokerError) {
            do throws(ByteReader.Truncated) {
                (topics, userData) = try ByteReader.reading(bytes) { reader throws(ByteReader.Truncated) in
                    _ = try reader.read(Int16.self)
                    return (try readStrings(&reader), try readBytes(&reader))
                }
            } catch {
                throw BrokerError(.inconsistentGroupProtocol, "malformed consumer subscription at byte \(error.position)")
            }
        }
    }

    /// The partitions a member got: Kafka's `ConsumerProtocolAssignment` v0.
    public struct Assignment: Hashable, Sendable {
        /// The partitions given to the member.
        public var partitions: [TopicPartition]
        /// Assignor-specific bytes, opaque to the broker.
        public var userData: [UInt8]?

        /// An assignment of `partitions`.
        public init(partitions: [TopicPartition], userData: [UInt8]? = nil) {
            self.partitions = partitions
            self.userData = userData
        }

        /// Version 0 bytes, topics in name order.
        public func encoded() -> [UInt8] {
            var writer = ByteWriter()
            writer.write(Int16(0))
            let byTopic = Dictionary(grouping: partitions, by: \.topic)
            writer.write(Int32(byTopic.count))
            for topic in byTopic.keys.sorted() {
                writeStrings([topic], into: &writer, counted: false)
                let indexes = byTopic[topic]!.map(\.partition).sorted()
                writer.write(Int32(indexes.count))
                indexes.forEach { writer.write($0) }
            }
            writeBytes(userData, into: &writer)
            return writer.bytes
        }

        /// Reads an assignment; empty bytes are an empty assignment, as Kafka treats them.
        public init(decoding bytes: [UInt8]) throws(BrokerError) {
            guard !bytes.isEmpty else {
                self.init(partitions: [])
                return
            }
            do throws(ByteReader.Truncated) {
                let (partitions, userData) = try ByteReader.reading(bytes) { reader throws(ByteReader.Truncated) in
                    _ = try reader.read(Int16.self)
                    var partitions: [TopicPartition] = []
                    let topicCount = try reader.read(Int32.self)
                    for _ in 0..<max(0, topicCount) {
                        let topic = try readString(&reader)
                        let count = try reader.read(Int32.self)
                        guard count >= 0, Int(count) * 4 <= reader.remaining else { throw .init(position: reader.position) }
                        for _ in 0..<count { partitions.append(TopicPartition(topic, try reader.read(Int32.self))) }
                    }
                    return (partitions, reader.remaining >= 4 ? try readBytes(&reader) : nil)
                }
                self.init(partitions: partitions, userData: userData)
            } catch {
                throw BrokerError(.inconsistentGroupProtocol, "malformed consumer assignment at byte \(error.position)")
            }
        }
    }
}

private func writeStrings(_ strings: [String], into writer: inout ByteWriter, counted: Bool = true) {
    if counted { writer.write(Int32(strings.count)) }
    for string in strings {
        writer.write(Int16(string.utf8.count))
        writer.write(bytes: string.utf8)
    }
}

private func writeBytes(_ bytes: [UInt8]?, into writer: inout ByteWriter) {
    guard let bytes else { return writer.write(Int32(-1)) }
    writer.write(Int32(bytes.count))
    writer.write(bytes: bytes)
}

private func readString(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> String {
    let length = try reader.read(Int16.self)
    guard length >= 0 else { throw .init(position: reader.position) }
    return String(decoding: try reader.readBytes(Int(length)), as: UTF8.self)
}

private func readStrings(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> [String] {
    let count = try reader.read(Int32.self)
    guard count >= 0, Int(count) * 2 <= reader.remaining else { throw .init(position: reader.position) }
    var strings: [String] = []
    for _ in 0..<count { strings.append(try readString(&reader)) }
    return strings
}

private func readBytes(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> [UInt8]? {
    let length = try reader.read(Int32.self)
    return length < 0 ? nil : try reader.readBytes(Int(length))
}
