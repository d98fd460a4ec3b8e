/// A decoded request, ready for the broker.
public enum Request: Sendable {
    /// A request described as data, which answers itself.
    case typed(any KafkaRequest)
    /// ApiVersions in a version this broker does not know: answered in v0 form with error 35.
    case unsupportedApiVersions
}

/// Turns one frame (without its length prefix) into a header and a request.
public enum RequestDecoder {
    /// - Throws: `WireError` for an unknown API, an unsupported version (except ApiVersions),
    ///   or a malformed body: the caller closes the connection, as Kafka does.
    public static func decode(_ frame: [UInt8]) throws(WireError) -> (RequestHeader, Request) {
        var reader = WireReader(frame)
        let key = try reader.integer(Int16.self)
        let version = try reader.integer(Int16.self)
        let correlation = try reader.integer(Int32.self)
        let client = try reader.nullableString()
        let header = RequestHeader(apiKey: key, apiVersion: version, correlationId: correlation, clientId: client)
        guard let api = ApiKey(rawValue: key) else { throw WireError("unknown API key \(key)") }
        guard api.versions.contains(version) else {
            if api == .apiVersions { return (header, .unsupportedApiVersions) }
            throw WireError("\(api) v\(version) is not supported (this broker takes v\(api.versions.lowerBound)–v\(api.versions.upperBound))")
        }
        if header.flexible { try reader.skipTaggedFields() }
        return (header, .typed(try api.requestType.decoded(from: &reader, version: version, flexible: header.flexible)))
    }
}

/// Kafka's framing: a big-endian int32 size, then that many bytes.
public enum Frame {
    /// The largest request accepted (Kafka's `socket.request.max.bytes`).
    public static let defaultMaxBytes = 100 * 1024 * 1024

    /// The body size a frame's int32 prefix announces, checked before anything is allocated.
    ///
    /// - Throws: `WireError` for a negative size or one over `maxBytes`.
    public static func bodySize(_ prefix: Int32, maxBytes: Int) throws(WireError) -> Int {
        guard prefix >= 0, Int(prefix) <= maxBytes else { throw WireError("a frame of \(prefix) bytes is over the limit of \(maxBytes)") }
        return Int(prefix)
    }
}
