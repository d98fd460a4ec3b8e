#if canImport(Glibc)
import Glibc
#endif
@testable import EventLabWire

/// A blocking client socket to a test server on 127.0.0.1, speaking whole frames.
final class ClientSocket {
    private let socket: Int32
    /// Bytes read but not yet returned as a frame.
    private var received: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects to `port`; a receive gives up after `timeoutSeconds`, so a server that never
    /// answers fails the test instead of hanging it.
    init(port: Int, timeoutSeconds: Int = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "cannot connect to 127.0.0.1:\(port)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    /// Sends a request frame, adding its size prefix.
    func send(_ frame: [UInt8]) {
        let count = UInt32(frame.count)
        let bytes = [UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)] + frame
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one response frame, without its size prefix; bytes of the next stay for the next call.
    func receive() throws -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if received.count >= 4 {
                let size = Int(received[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                if received.count >= 4 + size {
                    defer { received.removeFirst(4 + size) }
                    return Array(received[4..<4 + size])
                }
            }
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "the server closed the connection or did not answer") }
            received += chunk[0..<count]
        }
    }
}

/// A request frame as a client sends it (without the size prefix).
func frame(key: ApiKey, version: Int16, correlation: Int32 = 7, _ body: (inout WireWriter) -> Void = { _ in }) -> [UInt8] {
    var writer = WireWriter()
    writer.integer(key.rawValue)
    writer.integer(version)
    writer.integer(correlation)
    writer.string("test")
    body(&writer)
    return writer.bytes
}
