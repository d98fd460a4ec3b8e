import Foundation
import Testing

/// A client connection to 127.0.0.1, kept open until the test is done with it.
private final class OpenConnection {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    /// Sends ApiVersions v0 and waits for an answer: the server has taken the connection.
    func answered() -> Bool {
        let client = Array("test".utf8)
        let body: [UInt8] = [0, 18, 0, 0, 0, 0, 0, 9, 0, UInt8(client.count)] + client
        let frame = [0, 0, 0, UInt8(body.count)] + body
        guard frame.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == frame.count else { return false }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 10_000) > 0 else { return false }
        var answer = [UInt8](repeating: 0, count: 8)
        return answer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_WAITALL)) } == 8 && answer[4...] == [0, 0, 0, 9]
    }
}

/// The ports in a `listening on` line, by broker: `127.0.0.1:P (broker N)`.
private func ports(_ line: String) -> [Int: Int] {
    let pattern = try! Regex(#"127\.0\.0\.1:(\d+) \(broker (\d+)\)"#)
    return Dictionary(uniqueKeysWithValues: line.matches(of: pattern).map { match in
        (Int(match.output[2].substring!)!, Int(match.output[1].substring!)!)
    })
}

@Suite("A cluster served one port per broker")
struct ClusterListenTests {
    @Test("listen 0 serves each of three brokers on a port of its own; broker stop closes one, with its connections, and broker start opens it again")
    func replListener() throws {
        let repl = try OpenPipe(["--memory", "--brokers", "3"])
        repl.send("listen 0\n")
        let listening = try #require(repl.readLine())
        let served = ports(listening)
        #expect(served.keys.sorted() == [1, 2, 3], "\(listening)")
        let addresses = served.keys.sorted().map { "127.0.0.1:\(served[$0]!) (broker \($0))" }.joined(separator: ", ")
        let bootstrap = served.keys.sorted().map { "127.0.0.1:\(served[$0]!)" }.joined(separator: ",")
        #expect(listening == "listening on \(addresses): try `kcat -b \(bootstrap) -L`; `show` and `group describe` follow the clients live")
        let client = try OpenConnection(port: served[2]!)
        #expect(client.answered())
        repl.send("broker stop 2\n")
        var lines: [String] = []
        while let line = repl.readLine() {
            lines.append(line)
            if line.hasPrefix("stopped listening") { break }
        }
        #expect(lines.first == "broker 2 stopped cleanly: it led no partition, so it simply left the ISRs; `broker start 2` brings it back")
        #expect(lines.last == "stopped listening on 127.0.0.1:\(served[2]!) (broker 2): 1 connection closed")
        #expect(throws: (any Error).self) { try OpenConnection(port: served[2]!) }
        #expect(try OpenConnection(port: served[1]!).answered())
        repl.send("broker start 2\n")
        lines = []
        while let line = repl.readLine() {
            lines.append(line)
            if line.hasPrefix("listening on") { break }
        }
        #expect(lines.last == "listening on 127.0.0.1:\(served[2]!) (broker 2) again")
        #expect(try OpenConnection(port: served[2]!).answered())
        repl.send("listen stop\n")
        #expect(repl.readLine() == "stopped listening on \(addresses)")
        withExtendedLifetime(client) {}
        let finished = try repl.finish()
        #expect(finished.status == 0, "\(finished.stderr)")
    }

    @Test("eventlab serve --brokers 3 says where each broker listens; a broker alone says its one address as before")
    func serve() throws {
        let cluster = try OpenPipe(["serve", "--memory", "--brokers", "3", "--port", "0"])
        let line = try #require(cluster.readLine())
        let served = ports(line)
        #expect(served.keys.sorted() == [1, 2, 3], "\(line)")
        #expect(line == "listening on " + served.keys.sorted().map { "127.0.0.1:\(served[$0]!) (broker \($0))" }.joined(separator: ", "))
        for port in served.values { #expect(try OpenConnection(port: port).answered(), "port \(port)") }
        kill(cluster.process.processIdentifier, SIGTERM)
        #expect(try cluster.finish().status == 0)

        let alone = try OpenPipe(["serve", "--memory", "--port", "0"])
        let one = try #require(alone.readLine())
        #expect(one.wholeMatch(of: try Regex(#"listening on 127\.0\.0\.1:\d+"#)) != nil, "\(one)")
        kill(alone.process.processIdentifier, SIGTERM)
        #expect(try alone.finish().status == 0)
    }
}
