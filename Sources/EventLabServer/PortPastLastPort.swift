/// A broker's port would be past 65535, the last TCP port: broker N listens on the port asked
/// for + N - 1, so with N brokers that port can be at most 65536 - N.
public struct PortPastLastPort: Error, Equatable, CustomStringConvertible {
    /// The port asked for, broker 1's.
    public let base: Int
    /// The broker whose port would be past the last.
    public let broker: Int32
    /// How many brokers the cluster has.
    public let brokers: Int

    public var description: String {
        let port = base + Int(broker) - 1
        guard brokers > 1 else { return "port \(port) is past 65535, the last TCP port" }
        return "broker \(broker) listens on port \(base) + \(broker) - 1 = \(port), past 65535, the last TCP port:"
            + " with \(brokers) brokers the port can be at most \(65536 - brokers)"
    }
}
