/// Another socket already listens on the address a server was asked to take.
public struct AddressInUse: Error, Equatable, CustomStringConvertible {
    /// The host asked for.
    public let host: String
    /// The port asked for.
    public let port: Int

    public var description: String { "\(host):\(port) is in use" }
}
