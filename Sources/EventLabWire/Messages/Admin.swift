/// DeleteTopics: what admin clients use to remove topics.
public struct DeleteTopicsRequest: Equatable, Sendable {
    public var names: [String]

    public static func decode(_ reader: inout WireReader, version: Int16) throws(WireError) -> DeleteTopicsRequest {
        let names = try reader.array(minimumSize: 2) { reader throws(WireError) in try reader.string() } ?? []
        _ = try reader.integer(Int32.self)  // timeout
        return DeleteTopicsRequest(names: names)
    }
}

public struct DeleteTopicsResponse: Equatable, Sendable {
    public var results: [(name: String, errorCode: Int16)]

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.results.elementsEqual(rhs.results) { $0 == $1 } }

    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        if version >= 1 { writer.integer(Int32(0)) }
        writer.array(results) { writer, result in
            writer.string(result.name)
            writer.integer(result.errorCode)
        }
        return writer.bytes
    }
}
