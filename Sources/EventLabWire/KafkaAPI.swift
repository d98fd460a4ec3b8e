import EventLabCore

/// Answers Kafka requests from the broker: the protocol's meaning, without sockets.
///
/// Every answer goes to `reply` exactly once — at once, or later for a parked JoinGroup or
/// SyncGroup, a delayed Fetch and an acks=all Produce; an acks=0 Produce's is ``Reply/nothing``,
/// or ``Reply/closeConnection`` when a partition failed.
/// After ``stop()``, parked answers are cancelled and none is sent.
public final class KafkaAPI: Sendable {
    let broker: Broker
    /// The broker of the cluster this API answers as: its listener's.
    public let nodeId: Int32
    /// Where every broker listens, read at each answer: ports are known only once bound, and a
    /// stopped broker listens nowhere.
    let addresses: BrokerAddresses
    let parked = ParkedReplies()

    /// An API over `broker` that answers as its broker `nodeId`, telling clients the addresses
    /// in `addresses`; delayed fetches time out on the broker's scheduler.
    public init(broker: Broker, nodeId: Int32, addresses: BrokerAddresses) {
        self.broker = broker
        self.nodeId = nodeId
        self.addresses = addresses
    }

    /// An API for broker 1 alone, at `advertisedHost:advertisedPort`.
    public convenience init(broker: Broker, advertisedHost: String, advertisedPort: Int32) {
        self.init(broker: broker, nodeId: 1, addresses: BrokerAddresses(1, host: advertisedHost, port: advertisedPort))
    }

    /// Cancels every parked answer — delayed fetches with their waiters and timeouts, acks=all
    /// produces waiting for acknowledgement, parked group calls — and parks nothing more: the
    /// server calls it before its event loops stop, so nothing is answered onto them afterwards.
    public func stop() {
        parked.stop()
    }

    /// Answers one request.
    public func handle(_ header: RequestHeader, _ request: Request, reply: @escaping @Sendable (Reply) -> Void) {
        switch request {
        case .unsupportedApiVersions:
            reply(.send(ApiVersionsResponse.unsupportedVersion.encoded(version: 0, flexible: false)))
        case .typed(let request):
            request.answer(on: self, RequestContext(header: header), reply: reply)
        }
    }
}
