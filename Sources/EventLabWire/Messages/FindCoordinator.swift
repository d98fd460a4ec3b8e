/// FindCoordinator: this single broker coordinates every group.
public struct FindCoordinatorRequest: Equatable, Sendable {
    public var key: String

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> FindCoordinatorRequest {
        let key = try reader.string()
        if version >= 1 { _ = try reader.integer(Int8.self) }  // key type
        return FindCoordinatorRequest(key: key)
    }
}

public struct FindCoordinatorResponse: Equatable, Sendable {
    public var errorCode: Int16
    public var nodeId: Int32
    public var host: String
    public var port: Int32

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 1 { writer.integer(Int32(0)) }
        writer.integer(errorCode)
        if version >= 1 { writer.string(nil) }
        writer.integer(nodeId)
        writer.string(host)
        writer.integer(port)
        return writer.bytes
    }
}
