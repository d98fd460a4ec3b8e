/// The header every request starts with (v1; v2, for a flexible version, adds tagged fields).
public struct RequestHeader: Equatable, Sendable {
    public var apiKey: Int16
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?

    /// Whether the request and its response are in a flexible version.
    public var flexible: Bool {
        ApiKey(rawValue: apiKey)?.flexibleVersions.contains(apiVersion) ?? false
    }

    /// Whether the response header carries a tagged-field block (v1): in a flexible version,
    /// except for ApiVersions, whose response header stays v0 so that a client that does not
    /// know the broker's versions can still read the answer.
    public var taggedResponseHeader: Bool {
        flexible && apiKey != ApiKey.apiVersions.rawValue
    }
}
