/// ApiVersions: which APIs and versions the broker supports. A request for a version the broker
/// does not know is answered in v0 form with UNSUPPORTED_VERSION (35), so the client retries.
public struct ApiVersionsResponse: Equatable, Sendable {
    public var errorCode: Int16
    public var apis: [(key: Int16, min: Int16, max: Int16)]

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.errorCode == rhs.errorCode && lhs.apis.elementsEqual(rhs.apis) { $0 == $1 }
    }

    /// The answer listing every supported API.
    public static let supported = ApiVersionsResponse(
        errorCode: 0, apis: ApiKey.allCases.map { ($0.rawValue, $0.versions.lowerBound, $0.versions.upperBound) })

    /// The body for `version` (the response header is always v0 for ApiVersions).
    public func encode(version: Int16) -> [UInt8] {
        var writer = WireWriter()
        writer.integer(errorCode)
        if version >= 3 {
            writer.unsignedVarint(UInt32(apis.count + 1))
            for api in apis {
                writer.integer(api.key)
                writer.integer(api.min)
                writer.integer(api.max)
                writer.noTaggedFields()
            }
            writer.integer(Int32(0))  // throttle
            writer.noTaggedFields()
        } else {
            writer.array(apis) { writer, api in
                writer.integer(api.key)
                writer.integer(api.min)
                writer.integer(api.max)
            }
            if version >= 1 { writer.integer(Int32(0)) }
        }
        return writer.bytes
    }
}
