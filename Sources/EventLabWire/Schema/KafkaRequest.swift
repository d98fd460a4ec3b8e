/// A request described as data that knows which API it belongs to and how the broker answers it.
public protocol KafkaRequest: WireStruct {
    /// The answer's type.
    associatedtype Response: WireStruct
    /// The API this request belongs to.
    static var apiKey: ApiKey { get }
    /// Answers on `api`: `reply` is called once, now or later.
    func answer(on api: KafkaAPI, _ context: RequestContext, reply: @escaping @Sendable (Reply) -> Void)
}

/// What a handler knows of the request besides its body.
public struct RequestContext: Sendable {
    /// The request's header.
    public let header: RequestHeader

    /// The request's version.
    public var version: Int16 { header.apiVersion }

    /// `response` encoded for the request's version.
    public func encoded<Response: WireStruct>(_ response: Response) -> ResponseBody {
        response.encoded(version: header.apiVersion, flexible: header.flexible)
    }
}
