import EventLabWire
import NIOCore
import Synchronization

/// Where one broker of the cluster listens.
public struct ServedBroker: Sendable, Hashable {
    /// The broker's id.
    public var id: Int32
    /// The host its port is bound on.
    public var host: String
    /// The port it listens on.
    public var port: Int

    /// Broker `id`, listening on `host:port`.
    public init(id: Int32, host: String, port: Int) {
        self.id = id
        self.host = host
        self.port = port
    }
}

/// What happened to a broker's port when the cluster's brokers changed.
public enum ServedBrokerChange: Sendable, Equatable {
    /// The broker listens now; `again` when it listened before (a broker started again).
    case opened(ServedBroker, again: Bool)
    /// The broker went down: its port and its connections, `connections` of them, were closed.
    case closed(ServedBroker, connections: Int)
    /// The broker came up, but its port could not be bound, for `reason`.
    case unbound(ServedBroker, reason: String)
}

/// The API one broker's connections are answered by, and the connections open on it.
final class Served: Sendable {
    private let state: Mutex<(api: KafkaAPI, open: [ObjectIdentifier: any Channel], closed: Bool)>

    init(_ api: KafkaAPI) { state = Mutex((api, [:], false)) }

    /// The API for `channel`, kept among the open connections until it closes; nil once the
    /// broker stopped listening, and the channel should be closed.
    func admit(_ channel: any Channel) -> KafkaAPI? {
        let id = ObjectIdentifier(channel)
        channel.closeFuture.whenComplete { _ in
            self.state.withLock { state in
                if state.open[id] === channel { state.open[id] = nil }
            }
        }
        return state.withLock { state in
            guard !state.closed else { return nil }
            state.open[id] = channel
            return state.api
        }
    }

    /// Answers new connections with `api`; returns the API before and the connections open on it.
    func replace(with api: KafkaAPI) -> (old: KafkaAPI, open: [any Channel]) {
        state.withLock { state in
            let old = (state.api, Array(state.open.values))
            state.api = api
            state.open = [:]
            return old
        }
    }

    /// Admits no more connections; returns the API and the connections open on it.
    func close() -> (api: KafkaAPI, open: [any Channel]) {
        state.withLock { state in
            state.closed = true
            defer { state.open = [:] }
            return (state.api, Array(state.open.values))
        }
    }
}

/// The connections open now, counted against `max.connections`.
final class ConnectionCount: Sendable {
    private let count = Atomic(0)

    /// Counts one more connection if fewer than `max` are open.
    func open(max: Int) -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < max {
            let (exchanged, original) = count.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Counts one connection fewer.
    func close() { count.subtract(1, ordering: .acquiringAndReleasing) }
}
