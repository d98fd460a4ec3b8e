import EventLabWire

/// What clients together may make the server hold, under Kafka's broker setting names.
public struct ConnectionLimits: Sendable, Equatable {
    /// `max.connections`: connections open at once; one more is closed as soon as it is accepted.
    /// Kafka leaves it unbounded; a broker on a laptop runs out of descriptors long before.
    public var maxConnections = 1_000
    /// `connections.max.idle.ms`: a connection on which nothing was read or written for this
    /// long is closed (Kafka's default, 10 minutes).
    public var connectionsMaxIdleMs: Int64 = 600_000
    /// The longest idle timeout a timer can hold: its nanoseconds must fit 64 bits (292 years).
    public static let maxIdleMs = Int64.max / 1_000_000
    /// `queued.max.request.bytes`: the bytes of requests being read or waiting for their answer,
    /// across all connections; past it, connections are not read until memory is given back.
    public var queuedMaxRequestBytes = 256 * 1024 * 1024
    /// `socket.request.max.bytes`: the largest request; a larger one closes its connection.
    public var socketRequestMaxBytes = Frame.defaultMaxBytes

    /// Kafka's defaults, with 1,000 connections.
    public init() {}
}

/// Why the server closed a connection it was not asked to close.
enum ConnectionLimitReached: Error, CustomStringConvertible {
    case idle(milliseconds: Int64)

    var description: String {
        switch self {
        case .idle(let milliseconds):
            "nothing was read or written for \(milliseconds) ms (connections.max.idle.ms)"
        }
    }
}
