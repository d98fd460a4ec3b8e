import Foundation
import Testing

/// A loopback port held open by the test, so a listener that asks for it is refused.
private final class TakenPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && listen(descriptor, 1) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

@Suite("A port already in use")
struct PortInUseTests {
    @Test("eventlab serve on a taken port says so in one line, with the way out, and exits 1")
    func serve() throws {
        let taken = try TakenPort()
        let result = try EventLabRun.run(["serve", "--memory", "--port", String(taken.port)])
        #expect(result.status == 1)
        #expect(result.stderr == "127.0.0.1:\(taken.port) is in use: pick another with --port, or --port 0 for a free one\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("serve and listen with ports past 65535 say that broker N listens on PORT + N - 1, in one line, and exit 1")
    func pastLastPort() throws {
        let why = "broker 2 listens on port 65535 + 2 - 1 = 65536, past 65535, the last TCP port: with 3 brokers the port can be at most 65533"
        let served = try EventLabRun.run(["serve", "--memory", "--brokers", "3", "--port", "65535"])
        #expect(served.status == 1)
        #expect(served.stderr == "cannot listen on 127.0.0.1:65535: \(why)\n")
        #expect(served.stdout.isEmpty)
        let listened = try EventLabRun.run(["--memory", "--brokers", "3", "-c", "listen 65535"])
        #expect(listened.status == 1)
        #expect(listened.stderr == "error at line 1: cannot listen on 127.0.0.1:65535: \(why)\n")
    }

    @Test("the session's listener on a taken port says so in one line")
    func sessionListener() throws {
        let taken = try TakenPort()
        let result = try EventLabRun.run(["--memory", "-c", "listen \(taken.port)"])
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 1: 127.0.0.1:\(taken.port) is in use: pick another port, or 0 for a free one\n")
    }
}
