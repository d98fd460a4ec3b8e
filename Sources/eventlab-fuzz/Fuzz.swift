import ArgumentParser
import EventLabCore
import EventLabServer
import EventLabWire
import Foundation
import Synchronization

/// `eventlab-fuzz`: throws random and mutated frames at the Kafka protocol decoder and the
/// broker behind it, batches at their extremes at the log, mutated files at a workspace, then
/// frames at a live server, and checks the server still answers.
@main
struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eventlab-fuzz",
        abstract: "Fuzz the Kafka protocol layer (run in release: swift run -c release eventlab-fuzz).")

    @Option(help: "Frames to decode and answer in-process.")
    var frames = 1_000_000

    @Option(help: "Produced batches with header fields and offsets at their extremes, appended in-process.")
    var batches = 200_000

    @Option(help: "Workspaces whose files are mutated and then opened, read, cleaned and closed.")
    var workspaces = 5_000

    @Option(help: "Frames to send to a live server over TCP.")
    var networkFrames = 20_000

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    func run() throws {
        var random = SplitMix64(seed: seed)
        // No waker: parked fetches and joins wait until the API is stopped, never on a timer.
        var broker = try Broker(waker: nil)
        var api = KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092)
        var decoded = 0
        var refused = 0
        let seeds = SeedFrames.all
        for index in 0..<frames {
            if index % 5000 == 0 {
                // A fresh broker now and then keeps the topics that fuzzed CreateTopics make from piling up.
                api.stop()
                broker = try Broker(waker: nil)
                try broker.createTopic("t", partitions: 2)
                api = KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092)
            }
            let bytes = Mutator.mutate(seeds[Int(random.next() % UInt64(seeds.count))], &random)
            do {
                let (header, request) = try RequestDecoder.decode(bytes)
                api.handle(header, request) { _ in }
                decoded += 1
            } catch {
                refused += 1
            }
        }
        print("in-process: \(frames) frames, \(decoded) decoded and answered, \(refused) refused, no crash")

        let (accepted, refusedBatches) = try BatchFuzz.run(count: batches, random: &random)
        print("batches: \(batches) at their extremes, \(accepted) appended whole, \(refusedBatches) refused with the log unchanged")

        let (whole, damaged) = try WorkspaceFuzz.run(count: workspaces, random: &random)
        print("workspaces: \(workspaces) with mutated files, \(whole) whole, \(damaged) refused or offline in part, nothing false shown, no crash")

        let server = try KafkaServer.start(broker: try Broker(), host: "127.0.0.1", port: 0)
        defer { try? server.stop() }
        var sent = 0
        while sent < networkFrames {
            let connection = try Connection(port: server.port)
            for _ in 0..<100 where sent < networkFrames {
                var bytes = Mutator.mutate(seeds[Int(random.next() % UInt64(seeds.count))], &random)
                if random.next() % 10 == 0 { bytes = Array(bytes.prefix(Int(random.next() % 8))) }  // a bare size prefix
                var frame = WireWriter()
                frame.integer(Int32(random.next() % 20 == 0 ? Int32.max : Int32(bytes.count)))
                frame.raw(bytes)
                connection.send(frame.bytes)
                sent += 1
            }
        }
        let check = try Connection(port: server.port)
        let body = SeedFrames.apiVersions
        var frame = WireWriter()
        frame.integer(Int32(body.count))
        frame.raw(body)
        check.send(frame.bytes)
        let answer = try check.receiveFrame()
        guard answer.count > 10, answer[4..<8] == [0, 0, 0, 7], answer[8..<10] == [0, 0] else {
            throw ValidationError("after fuzzing, the server answered ApiVersions wrongly: \(answer.prefix(16))")
        }
        print("network: \(sent) frames over \(sent / 100 + 1) connections; the server still answers ApiVersions")
        print("\(frames + batches + sent) passed, 0 failed")
    }
}

/// A small seeded generator.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Ways to damage a frame: flipped bytes, truncation, garbage tails, huge counts, random bytes.
enum Mutator {
    static func mutate(_ seed: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        switch random.next() % 6 {
        case 0:
            for _ in 0..<Int(random.next() % 4 + 1) where !bytes.isEmpty {
                bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1)
            }
        case 1: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
        case 2: bytes += (0..<Int(random.next() % 32)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        case 3:
            if bytes.count > 12 {
                let at = 8 + Int(random.next() % UInt64(bytes.count - 12))
                bytes.replaceSubrange(at..<at + 4, with: [0x7f, 0xff, 0xff, 0xff])
            }
        case 4: bytes = (0..<Int(random.next() % 96)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        default: break
        }
        return bytes
    }
}

/// A blocking TCP connection to the server.
final class Connection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ValidationError("cannot connect to 127.0.0.1:\(port)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noSignal: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_KEEPALIVE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(socket) }

    /// Sends bytes, ignoring a connection the server has closed.
    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one response frame (size prefix included).
    func receiveFrame() throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if result.count >= 4 {
                let size = Int(result[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
                if result.count >= 4 + size { return result }
            }
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw ValidationError("the server closed the connection or did not answer") }
            result += chunk[0..<count]
        }
    }
}

/// Valid requests to start mutating from.
enum SeedFrames {
    static func frame(_ key: ApiKey, _ version: Int16, correlation: Int32 = 7, _ body: (inout WireWriter) -> Void = { _ in }) -> [UInt8] {
        var writer = WireWriter()
        writer.integer(key.rawValue)
        writer.integer(version)
        writer.integer(correlation)
        writer.string("fuzz")
        body(&writer)
        return writer.bytes
    }

    /// `request` framed at `version`, with request header v2 when that version is flexible.
    static func typed<Request: KafkaRequest>(_ request: Request, _ version: Int16) -> [UInt8] {
        let flexible = Request.apiKey.flexibleVersions.contains(version)
        let body = (try? request.encoded(version: version, flexible: flexible).bytes()) ?? []
        return frame(Request.apiKey, version) { writer in
            if flexible { writer.noTaggedFields() }
            writer.raw(body)
        }
    }

    /// A topic's entry in a request.
    static func topic<Partition: WireStruct>(_ name: String, _ partitions: [Partition]) -> TopicData<Partition> {
        var topic = TopicData<Partition>()
        topic.name = name
        topic.partitions = partitions
        return topic
    }

    static let apiVersions = frame(.apiVersions, 0)

    /// `request` framed at every version its API serves.
    static func everyVersion<Request: KafkaRequest>(_ request: Request) -> [[UInt8]] {
        Request.apiKey.versions.map { typed(request, $0) }
    }

    /// The cluster APIs at every version they serve.
    static let cluster: [[UInt8]] = [
        everyVersion(ApiVersionsRequest(clientSoftwareName: "eventlab-fuzz", clientSoftwareVersion: "1.0")),
        everyVersion(MetadataRequest(topics: [])),
        everyVersion(MetadataRequest(topics: nil)),
        everyVersion(MetadataRequest(topics: ["t", "new"], allowAutoTopicCreation: false)),
        everyVersion(ListOffsetsRequest(topics: [topic("t", [.init(index: 0, timestamp: -1, maxNumOffsets: 3)])])),
        everyVersion(ListOffsetsRequest(isolationLevel: 1, topics: [
            topic("t", [.init(index: 0, timestamp: -2), .init(index: 1, timestamp: 0, currentLeaderEpoch: 0)]),
        ])),
        everyVersion(FindCoordinatorRequest(key: "g", keyType: 1)),
        everyVersion(InitProducerIdRequest(transactionalId: nil, transactionTimeoutMs: 60_000, producerId: 5, producerEpoch: 0)),
        everyVersion(CreateTopicsRequest(topics: [.init(name: "fuzzed", numPartitions: 2, replicationFactor: -1,
                                                        configs: [.init(name: "cleanup.policy", value: "compact")])])),
        everyVersion(CreateTopicsRequest(topics: [.init(name: "fuzzed", numPartitions: -1, replicationFactor: -1,
                                                        assignments: [.init(partitionIndex: 0, brokerIds: [1])])], validateOnly: true)),
        everyVersion(DeleteTopicsRequest(topicNames: ["fuzzed", "t"])),
    ].flatMap { $0 }

    static let all: [[UInt8]] = [
        apiVersions,
        frame(.produce, 7) { writer in
            writer.string(nil); writer.integer(Int16(1)); writer.integer(Int32(1000))
            writer.array(["t"]) { writer, name in
                writer.string(name)
                writer.array([Int32(0), 1]) { writer, index in
                    writer.integer(index)
                    writer.bytes(RecordBatch(records: [Record(offset: 0, timestamp: 0, key: [1], value: [2, 3])]).encoded())
                }
            }
        },
        frame(.fetch, 11) { writer in
            writer.integer(Int32(-1)); writer.integer(Int32(0)); writer.integer(Int32(1)); writer.integer(Int32(1 << 20))
            writer.integer(Int8(0)); writer.integer(Int32(0)); writer.integer(Int32(-1))
            writer.array(["t"]) { writer, name in
                writer.string(name)
                writer.array([Int32(0)]) { writer, index in
                    writer.integer(index); writer.integer(Int32(-1)); writer.integer(Int64(0)); writer.integer(Int64(-1)); writer.integer(Int32(1 << 16))
                }
            }
            writer.array([String]()) { $0.string($1) }
            writer.string("")
        },
        frame(.joinGroup, 5) { writer in
            writer.string("g"); writer.integer(Int32(10000)); writer.integer(Int32(100)); writer.string(""); writer.string(nil); writer.string("consumer")
            writer.array(["range"]) { writer, name in writer.string(name); writer.bytes(ConsumerProtocol.Subscription(topics: ["t"]).encoded()) }
        },
        frame(.syncGroup, 3) { writer in
            writer.string("g"); writer.integer(Int32(1)); writer.string("fuzz-0"); writer.string(nil)
            writer.array(["fuzz-0"]) { writer, id in writer.string(id); writer.bytes([0, 0]) }
        },
        frame(.heartbeat, 3) { writer in writer.string("g"); writer.integer(Int32(1)); writer.string("m"); writer.string(nil) },
        frame(.leaveGroup, 1) { writer in writer.string("g"); writer.string("m") },
        frame(.offsetCommit, 7) { writer in
            writer.string("g"); writer.integer(Int32(-1)); writer.string(""); writer.string(nil)
            writer.array(["t"]) { writer, name in
                writer.string(name)
                writer.array([Int32(0)]) { writer, index in writer.integer(index); writer.integer(Int64(1)); writer.integer(Int32(-1)); writer.string(nil) }
            }
        },
        frame(.offsetFetch, 5) { writer in writer.string("g"); writer.array(nil as [String]?) { $0.string($1) } },
        frame(.describeGroups, 4) { writer in writer.array(["g"]) { $0.string($1) }; writer.boolean(false) },
        frame(.listGroups, 2),
    ] + cluster
}
