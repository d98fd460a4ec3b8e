/// InitProducerId: a producer id and epoch for an idempotent producer (Java clients ask for one
/// by default). Transactions are not offered.
public struct InitProducerIdRequest: Equatable, Sendable {
    /// Set only by transactional producers.
    public var transactionalId: String?

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> InitProducerIdRequest {
        let transactionalId = try reader.nullableString()
        _ = try reader.integer(Int32.self)  // transaction timeout
        return InitProducerIdRequest(transactionalId: transactionalId)
    }
}

public struct InitProducerIdResponse: Equatable, Sendable {
    public var errorCode: Int16
    public var producerId: Int64
    public var producerEpoch: Int16

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        writer.integer(Int32(0))  // throttle
        writer.integer(errorCode)
        writer.integer(producerId)
        writer.integer(producerEpoch)
        return writer.bytes
    }
}
