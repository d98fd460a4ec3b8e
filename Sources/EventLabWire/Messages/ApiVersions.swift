import EventLabCore

/// ApiVersions: which APIs and versions the broker serves. v3 is flexible and names the client's
/// software; its response header stays v0 so that any client can read the answer.
public struct ApiVersionsRequest: Equatable, KafkaRequest {
    public typealias Response = ApiVersionsResponse
    public static var apiKey: ApiKey { .apiVersions }

    public var clientSoftwareName = ""
    public var clientSoftwareVersion = ""

    public init() {}

    public init(clientSoftwareName: String, clientSoftwareVersion: String) {
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&clientSoftwareName, "3+")
        try coder.field(&clientSoftwareVersion, "3+")
    }

    /// As Kafka's pattern for client software names and versions: letters, digits, '-' and '.',
    /// starting and ending with a letter or digit.
    var namesClientSoftwareValidly: Bool {
        func valid(_ text: String) -> Bool {
            let alphanumeric: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber) }
            guard let first = text.first, let last = text.last, alphanumeric(first), alphanumeric(last) else { return false }
            return text.allSatisfy { alphanumeric($0) || $0 == "-" || $0 == "." }
        }
        return valid(clientSoftwareName) && valid(clientSoftwareVersion)
    }

    /// Lists every API with its served versions; a v3 request whose software name or version
    /// breaks Kafka's pattern gets INVALID_REQUEST and no list, as Kafka answers.
    public func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void) {
        guard context.version < 3 || namesClientSoftwareValidly else {
            return reply(.send(context.encoded(ApiVersionsResponse(errorCode: KafkaErrorCode.invalidRequest.rawValue, apiKeys: []))))
        }
        reply(.send(context.encoded(ApiVersionsResponse.supported)))
    }
}

public struct ApiVersionsResponse: Equatable, WireStruct {
    /// One API and the versions of it the broker serves.
    public struct ApiVersion: Equatable, WireStruct {
        public var apiKey: Int16 = 0
        public var minVersion: Int16 = 0
        public var maxVersion: Int16 = 0

        public init() {}

        public init(apiKey: Int16, minVersion: Int16, maxVersion: Int16) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }

        /// `api` with the versions this broker serves.
        public init(_ api: ApiKey) {
            self.init(apiKey: api.rawValue, minVersion: api.versions.lowerBound, maxVersion: api.versions.upperBound)
        }

        public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
            try coder.field(&apiKey, "0+")
            try coder.field(&minVersion, "0+")
            try coder.field(&maxVersion, "0+")
        }
    }

    public var errorCode: Int16 = 0
    public var apiKeys: [ApiVersion] = []
    public var throttleTimeMs: Int32 = 0

    public init() {}

    public init(errorCode: Int16, apiKeys: [ApiVersion]) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
    }

    public mutating func code<Coder: WireCoder>(_ coder: inout Coder) throws(WireError) {
        try coder.field(&errorCode, "0+")
        try coder.field(&apiKeys, "0+")
        try coder.field(&throttleTimeMs, "1+")
    }

    /// The answer listing every API this broker serves.
    public static let supported = ApiVersionsResponse(errorCode: 0, apiKeys: ApiKey.allCases.map(ApiVersion.init))

    /// The answer to a version this broker does not know, in v0 form without reading the body:
    /// UNSUPPORTED_VERSION and the versions of ApiVersions served, so the client retries with one.
    public static let unsupportedVersion = ApiVersionsResponse(
        errorCode: KafkaErrorCode.unsupportedVersion.rawValue, apiKeys: [ApiVersion(.apiVersions)])
}
