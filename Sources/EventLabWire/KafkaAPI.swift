import EventLabCore

/// Answers Kafka requests from the broker: the protocol's meaning, without sockets.
///
/// Every answer goes to `reply` exactly once — at once, or later for a parked JoinGroup or
/// SyncGroup and a delayed Fetch — and nil means "send nothing" (acks=0). After ``stop()``,
/// parked answers are cancelled and none is sent.
public final class KafkaAPI: Sendable {
    let broker: Broker
    /// The address clients are told to connect to.
    public let advertisedHost: String
    /// The port clients are told to connect to; read at each answer, because with port 0 it is
    /// known only once the server is bound.
    let advertisedPort: @Sendable () -> Int32
    let parked = ParkedReplies()
    static let nodeId: Int32 = 1

    /// An API over `broker` that advertises `host:port`; delayed fetches time out on the
    /// broker's scheduler.
    public init(broker: Broker, advertisedHost: String, advertisedPort: @escaping @Sendable () -> Int32) {
        self.broker = broker
        self.advertisedHost = advertisedHost
        self.advertisedPort = advertisedPort
    }

    /// An API that advertises a fixed port.
    public convenience init(broker: Broker, advertisedHost: String, advertisedPort: Int32) {
        self.init(broker: broker, advertisedHost: advertisedHost, advertisedPort: { advertisedPort })
    }

    /// Cancels every parked answer — delayed fetches with their waiters and timeouts, parked
    /// group calls — and parks nothing more: the server calls it before its event loops stop,
    /// so nothing is answered onto them afterwards.
    public func stop() {
        parked.stop()
    }

    /// Answers one request.
    public func handle(_ header: RequestHeader, _ request: Request, reply: @escaping @Sendable (ResponseBody?) -> Void) {
        switch request {
        case .unsupportedApiVersions:
            reply(ApiVersionsResponse.unsupportedVersion.encoded(version: 0, flexible: false))
        case .typed(let request):
            request.answer(on: self, RequestContext(header: header), reply: reply)
        }
    }
}
