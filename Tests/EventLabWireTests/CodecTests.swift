import EventLabCore
@testable import EventLabWire
import EventLabTestSupport
import Synchronization
import Testing

/// A request frame as a client would send it (without the size prefix).
func frame(key: ApiKey, version: Int16, correlation: Int32 = 7, client: String? = "test", _ body: (inout WireWriter) -> Void = { _ in }) -> [UInt8] {
    var writer = WireWriter()
    writer.integer(key.rawValue)
    writer.integer(version)
    writer.integer(correlation)
    writer.string(client)
    body(&writer)
    return writer.bytes
}

/// A Fetch v11 request for partition 0 of topic `t` from offset 0, up to 1 MiB.
func fetchFrame(maxWaitMs: Int32, minBytes: Int32 = 1) -> [UInt8] {
    frame(key: .fetch, version: 11) { writer in
        writer.integer(Int32(-1)); writer.integer(maxWaitMs); writer.integer(minBytes); writer.integer(Int32(1 << 20))
        writer.integer(Int8(0)); writer.integer(Int32(0)); writer.integer(Int32(-1))
        writer.array(["t"]) { writer, name in
            writer.string(name)
            writer.array([0]) { writer, _ in writer.integer(Int32(0)); writer.integer(Int32(-1)); writer.integer(Int64(0)); writer.integer(Int64(-1)); writer.integer(Int32(1 << 20)) }
        }
        writer.array([String]()) { $0.string($1) }
        writer.string("")
    }
}

@Suite("Wire codec")
struct WireCodecTests {
    @Test("a string longer than int16 allows is cut at a whole character, so what is sent stays UTF-8")
    func longString() throws {
        var writer = WireWriter()
        writer.string("a" + String(repeating: "é", count: 20_000))  // 40,001 bytes; é is two
        var reader = WireReader(writer.bytes)
        let sent = try reader.string()
        #expect(sent.utf8.count == 32_767 && sent.hasSuffix("é") && !sent.contains("\u{FFFD}"))
    }

    @Test("ApiVersions v0 lists every API with its versions; v3 uses compact arrays")
    func apiVersions() throws {
        let v0 = try ApiVersionsResponse.supported.encoded(version: 0, flexible: false).bytes()
        var reader = WireReader(v0)
        #expect(try reader.integer(Int16.self) == 0)
        let apis = try reader.array { reader throws(WireError) in (try reader.integer(Int16.self), try reader.integer(Int16.self), try reader.integer(Int16.self)) }
        #expect(apis?.first { $0.0 == 1 }.map { [$0.1, $0.2] } == [0, 11])
        #expect(apis?.count == ApiKey.allCases.count)
        let v3 = try ApiVersionsResponse.supported.encoded(version: 3, flexible: true).bytes()
        #expect(v3[2] == UInt8(ApiKey.allCases.count + 1))
    }

    @Test("a Metadata v0 request with no topics asks for all of them")
    func metadataV0() throws {
        let bytes = frame(key: .metadata, version: 0) { $0.array([String]()) { $0.string($1) } }
        guard case .typed(let request as MetadataRequest) = try RequestDecoder.decode(bytes).1 else { Issue.record("not metadata"); return }
        #expect(request.wantedTopics(version: 0) == nil)
    }

    @Test("an unknown API or version is refused; an unknown ApiVersions version is answered")
    func unsupported() throws {
        var unknown = frame(key: .metadata, version: 0)
        unknown[1] = 99
        #expect(throws: WireError.self) { try RequestDecoder.decode(unknown) }
        #expect(throws: WireError.self) { try RequestDecoder.decode(frame(key: .fetch, version: 12)) }
        guard case .unsupportedApiVersions = try RequestDecoder.decode(frame(key: .apiVersions, version: 9)).1 else {
            Issue.record("ApiVersions v9 was not answered")
            return
        }
    }

    @Test("frames split across reads come out whole, each exactly once, whatever the read sizes")
    func framing() throws {
        let body = frame(key: .apiVersions, version: 0)
        var whole = WireWriter()
        whole.integer(Int32(body.count))
        whole.raw(body)
        let stream = whole.bytes + whole.bytes + [0, 0, 0, 0] + whole.bytes
        for readSize in [1, 3, 4, 5, body.count, stream.count] {
            var assembler = FrameAssembler()
            var frames: [[UInt8]] = []
            for start in stride(from: 0, to: stream.count, by: readSize) {
                frames += try assembler.append(Array(stream[start..<min(start + readSize, stream.count)]))
            }
            #expect(frames == [body, body, [], body], "reads of \(readSize) bytes")
        }
        var partial = FrameAssembler()
        #expect(try partial.append(Array(whole.bytes.prefix(7))).isEmpty)
        #expect(try partial.append(Array(whole.bytes.dropFirst(7))) == [body])
    }

    @Test("a frame not admitted stops the assembler, which keeps what came after it until the frame is admitted")
    func admission() throws {
        let body = frame(key: .apiVersions, version: 0)
        var whole = WireWriter()
        whole.integer(Int32(body.count))
        whole.raw(body)
        var assembler = FrameAssembler()
        var asked: [Int] = []
        let stream = whole.bytes + whole.bytes + whole.bytes
        let first = try assembler.append(Array(stream.prefix(whole.bytes.count + 6))) { size in
            asked.append(size)
            return asked.count < 2
        }
        #expect(first == [body])
        #expect(assembler.isStopped)
        #expect(try assembler.append(Array(stream.dropFirst(whole.bytes.count + 6))).isEmpty)
        #expect(try assembler.resume { _ in false }.isEmpty)
        #expect(try assembler.resume { asked.append($0); return true } == [body, body])
        #expect(!assembler.isStopped)
        #expect(asked == [body.count, body.count, body.count, body.count])
    }

    @Test("a response body of written bytes and stored batches reads the same through buffers of any size")
    func responseCursor() throws {
        let batches = (0..<3).map { n in
            var batch = RecordBatch(records: [Record(offset: 0, timestamp: 9, key: nil, value: [UInt8](repeating: UInt8(n), count: 20 * n + 1))])
            batch.baseOffset = Int64(100 * n)
            return batch
        }
        let bodyBytes = [1, 2] + batches[0].encoded() + [3] + batches[1].encoded() + batches[2].encoded()
        var body = ResponseBody([1, 2])
        body.append(.stored(BatchBytes([batches[0]])))
        body.append(.bytes([3]))
        body.append(.stored(BatchBytes(Array(batches[1...]))))
        let framed = try body.framed(correlationId: 9)
        #expect(body.count == bodyBytes.count)
        #expect(try framed.bytes() == withUnsafeBytes(of: Int32(4 + bodyBytes.count).bigEndian, Array.init) + [0, 0, 0, 9] + bodyBytes)
        for size in [1, 3, 8, 61, 1000] {
            var cursor = ResponseCursor(framed)
            var read: [UInt8] = []
            while cursor.remaining > 0 {
                var buffer = [UInt8](repeating: 0, count: size)
                let count = try buffer.withUnsafeMutableBytes { try cursor.read(into: $0) }
                read += buffer.prefix(count)
            }
            #expect(read == Array(try framed.bytes()), "buffers of \(size) bytes")
        }
    }

    @Test("an oversized or negative frame size is refused before anything is allocated")
    func oversized() {
        var assembler = FrameAssembler()
        #expect(throws: WireError.self) { try assembler.append([0x7f, 0xff, 0xff, 0xff, 0]) }
        var negative = FrameAssembler()
        #expect(throws: WireError.self) { try negative.append([0xff, 0xff, 0xff, 0xfe]) }
        var small = FrameAssembler(maxBytes: 10)
        #expect(throws: WireError.self) { try small.append([0, 0, 0, 11]) }
    }

    @Test("an array count larger than the frame can hold is refused at once")
    func hugeArrayCount() {
        let bytes = frame(key: .metadata, version: 1) { $0.integer(Int32.max) }
        #expect(throws: WireError.self) { try RequestDecoder.decode(bytes) }
    }

    @Test("100,000 random and mutated frames never crash the decoder")
    func fuzz() {
        var random = SplitMix(seed: 99)
        let seeds = [
            frame(key: .apiVersions, version: 3),
            frame(key: .metadata, version: 4) { $0.array(["orders"]) { $0.string($1) }; $0.boolean(true) },
            frame(key: .produce, version: 7) { writer in
                writer.string(nil); writer.integer(Int16(1)); writer.integer(Int32(1000))
                writer.array(["t"]) { writer, name in
                    writer.string(name)
                    writer.array([0]) { writer, _ in writer.integer(Int32(0)); writer.bytes(RecordBatch(records: [Record(offset: 0, timestamp: 0, key: nil, value: [1])]).encoded()) }
                }
            },
            fetchFrame(maxWaitMs: 500),
            frame(key: .joinGroup, version: 5) { writer in
                writer.string("g"); writer.integer(Int32(10000)); writer.integer(Int32(30000)); writer.string(""); writer.string(nil); writer.string("consumer")
                writer.array(["range"]) { writer, name in writer.string(name); writer.bytes([0, 0, 0, 0]) }
            },
        ]
        for _ in 0..<100_000 {
            var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
            switch random.next() % 4 {
            case 0: if !bytes.isEmpty { bytes[Int(random.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1) }
            case 1: bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
            case 2: bytes += (0..<Int(random.next() % 16)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            default: bytes = (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            }
            _ = try? RequestDecoder.decode(bytes)
        }
    }
}

@Suite("Kafka API over the broker")
struct KafkaAPITests {
    func api() throws -> (KafkaAPI, Broker) {
        let broker = try Broker(waker: nil)
        let api = KafkaAPI(broker: broker, advertisedHost: "127.0.0.1", advertisedPort: 9092)
        return (api, broker)
    }

    func call(_ api: KafkaAPI, _ bytes: [UInt8]) throws -> [UInt8]? {
        let (header, request) = try RequestDecoder.decode(bytes)
        let answer = Mutex<[UInt8]??>(nil)
        api.handle(header, request) { reply in answer.withLock { $0 = .some(try? reply.body?.bytes()) } }
        return try #require(answer.withLock { $0 })
    }

    @Test("JoinGroup v4+ gives a new dynamic member its id with MEMBER_ID_REQUIRED; v3 and a static member (v5's group.instance.id, echoed to the leader) join at once")
    func joinGroupVersions() throws {
        let (api, _) = try api()
        func join(_ group: String, version: Int16, instance: String? = nil) throws -> WireReader {
            let bytes = try #require(try call(api, frame(key: .joinGroup, version: version) { writer in
                writer.string(group); writer.integer(Int32(10000)); writer.integer(Int32(30000)); writer.string("")
                if version >= 5 { writer.string(instance) }
                writer.string("consumer")
                writer.array(["range"]) { writer, name in writer.string(name); writer.bytes([0, 0, 0, 0]) }
            }))
            var reader = WireReader(bytes)
            _ = try reader.integer(Int32.self)  // throttle
            return reader
        }
        var dynamic = try join("dynamic", version: 4)
        #expect(try dynamic.integer(Int16.self) == KafkaErrorCode.memberIdRequired.rawValue)
        var old = try join("old", version: 3)
        #expect(try old.integer(Int16.self) == 0)
        var statics = try join("static", version: 5, instance: "billing-1")
        #expect(try statics.integer(Int16.self) == 0)
        _ = try statics.integer(Int32.self)  // generation
        _ = try statics.string()  // protocol
        let leader = try statics.string()
        #expect(try statics.string() == leader)
        #expect(try statics.integer(Int32.self) == 1)
        #expect(try statics.string() == leader)
        #expect(try statics.nullableString() == "billing-1")
    }

    @Test("produced batches are stored and fetched back byte for byte, with the base offsets the broker gave them")
    func produceThenFetch() throws {
        let (api, broker) = try api()
        try broker.createTopic("t", partitions: 1)
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: 5, key: bytes("k"), value: bytes("v"))])
        let produce = frame(key: .produce, version: 7) { writer in
            writer.string(nil); writer.integer(Int16(-1)); writer.integer(Int32(1000))
            writer.array(["t"]) { writer, name in
                writer.string(name)
                writer.array([0]) { writer, _ in writer.integer(Int32(0)); writer.bytes(batch.encoded()) }
            }
        }
        for expectedOffset in [Int64(0), 1] {
            var reader = WireReader(try #require(try call(api, produce)))
            _ = try reader.integer(Int32.self)  // topic count
            _ = try reader.string()
            _ = try reader.integer(Int32.self)
            #expect(try reader.integer(Int32.self) == 0)  // partition
            #expect(try reader.integer(Int16.self) == 0)  // error
            #expect(try reader.integer(Int64.self) == expectedOffset)  // base offset
        }
        var reader = WireReader(try #require(try call(api, fetchFrame(maxWaitMs: 0))))
        _ = try reader.integer(Int32.self)  // throttle
        #expect(try reader.integer(Int16.self) == 0)
        _ = try reader.integer(Int32.self)  // session
        #expect(try reader.integer(Int32.self) == 1)
        #expect(try reader.string() == "t")
        #expect(try reader.integer(Int32.self) == 1)
        #expect(try reader.integer(Int32.self) == 0)  // partition
        #expect(try reader.integer(Int16.self) == 0)  // error
        #expect(try reader.integer(Int64.self) == 2)  // high watermark
        _ = try reader.integer(Int64.self)  // last stable offset
        _ = try reader.integer(Int64.self)  // log start
        _ = try reader.array { reader throws(WireError) in try reader.integer(Int64.self) }  // aborted transactions
        _ = try reader.integer(Int32.self)  // preferred read replica
        var second = batch.encoded()
        second[7] = 1
        #expect(try reader.bytes() == batch.encoded() + second)
        #expect(reader.remaining == 0)
    }

    @Test("a produced batch whose header disagrees with its records is answered INVALID_RECORD and nothing is appended")
    func produceLyingHeader() throws {
        let (api, broker) = try api()
        try broker.createTopic("t", partitions: 1)
        let three = RecordBatch(records: (0..<3).map { Record(offset: Int64($0), timestamp: 5, key: nil, value: bytes("v")) })
        let farDelta = RecordBatch(records: [0, 1 << 40, 2].map { Record(offset: $0, timestamp: 5, key: nil, value: bytes("v")) })
        let ancient = RecordBatch(records: [Record(offset: 0, timestamp: .min, key: nil, value: bytes("v"))])
        let cases: [(RecordBatch, KafkaErrorCode)] = [
            (try three.patched(.lastOffsetDelta, to: Int32(0)), .invalidRecord),
            (try three.patched(.lastOffsetDelta, to: Int32.max), .invalidRecord),
            (farDelta, .invalidRecord),
            (ancient, .invalidTimestamp),
        ]
        for (batch, code) in cases {
            let produce = frame(key: .produce, version: 7) { writer in
                writer.string(nil); writer.integer(Int16(-1)); writer.integer(Int32(1000))
                writer.array(["t"]) { writer, name in
                    writer.string(name)
                    writer.array([0]) { writer, _ in writer.integer(Int32(0)); writer.bytes(batch.encoded()) }
                }
            }
            var reader = WireReader(try #require(try call(api, produce)))
            _ = try reader.integer(Int32.self)  // topic count
            _ = try reader.string()
            _ = try reader.integer(Int32.self)
            #expect(try reader.integer(Int32.self) == 0)  // partition
            #expect(try reader.integer(Int16.self) == code.rawValue)
            #expect(try reader.integer(Int64.self) == -1)  // base offset
            #expect(try broker.offsets("t", partition: 0).logEndOffset == 0)
        }
    }

    @Test("InitProducerId gives an idempotent producer a new id at epoch 0, and refuses transactions")
    func initProducerId() throws {
        let (api, _) = try api()
        func answer(_ transactionalId: String?) throws -> (Int16, Int64, Int16) {
            var reader = WireReader(try #require(try call(api, frame(key: .initProducerId, version: 1) { writer in
                writer.string(transactionalId)
                writer.integer(Int32(60_000))
            })))
            _ = try reader.integer(Int32.self)  // throttle
            return (try reader.integer(Int16.self), try reader.integer(Int64.self), try reader.integer(Int16.self))
        }
        let first = try answer(nil)
        let second = try answer(nil)
        #expect(first.0 == 0 && first.2 == 0 && first.1 >= 0)
        #expect(second.1 > first.1)
        #expect(try answer("payments").0 == KafkaErrorCode.invalidRequest.rawValue)
    }

    @Test("acks=0 gets no answer at all")
    func acksZero() throws {
        let (api, broker) = try api()
        try broker.createTopic("t", partitions: 1)
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: 5, key: nil, value: bytes("v"))])
        let produce = frame(key: .produce, version: 7) { writer in
            writer.string(nil); writer.integer(Int16(0)); writer.integer(Int32(1000))
            writer.array(["t"]) { writer, name in
                writer.string(name)
                writer.array([0]) { writer, _ in writer.integer(Int32(0)); writer.bytes(batch.encoded()) }
            }
        }
        #expect(try call(api, produce) == nil)
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 1)
    }

    @Test("acks other than -1, 0 or 1 refuses every partition with INVALID_REQUIRED_ACKS and appends nothing")
    func invalidAcks() throws {
        let (api, broker) = try api()
        try broker.createTopic("t", partitions: 2)
        let batch = RecordBatch(records: [Record(offset: 0, timestamp: 5, key: nil, value: bytes("v"))])
        for acks in [Int16(2), -2, 5] {
            let produce = frame(key: .produce, version: 7) { writer in
                writer.string(nil); writer.integer(acks); writer.integer(Int32(1000))
                writer.array(["t"]) { writer, name in
                    writer.string(name)
                    writer.array([Int32(0), 1]) { writer, index in writer.integer(index); writer.bytes(batch.encoded()) }
                }
            }
            var reader = WireReader(try #require(try call(api, produce)))
            #expect(try reader.integer(Int32.self) == 1)  // topic count
            _ = try reader.string()
            #expect(try reader.integer(Int32.self) == 2)
            for partition in [Int32(0), 1] {
                #expect(try reader.integer(Int32.self) == partition)
                #expect(try reader.integer(Int16.self) == KafkaErrorCode.invalidRequiredAcks.rawValue)
                #expect(try reader.integer(Int64.self) == -1)  // base offset
                _ = try reader.integer(Int64.self)  // log append time
                _ = try reader.integer(Int64.self)  // log start offset
            }
        }
        #expect(try broker.offsets("t", partition: 0).logEndOffset == 0)
        #expect(try broker.offsets("t", partition: 1).logEndOffset == 0)
    }

    @Test("CreateTopics and auto-creation refuse a name that equals an existing topic's once '.' and '_' are the same")
    func collidingNames() throws {
        let (api, broker) = try api()
        try broker.createTopic("orders_v1", partitions: 1)
        let request = frame(key: .createTopics, version: 4) { writer in
            writer.array(["orders.v1", "orders-v1"]) { writer, name in
                writer.string(name); writer.integer(Int32(1)); writer.integer(Int16(1))
                writer.array([Int32]()) { $0.integer($1) }
                writer.array([String]()) { $0.string($1) }
            }
            writer.integer(Int32(1000)); writer.boolean(false)
        }
        var reader = WireReader(try #require(try call(api, request)))
        _ = try reader.integer(Int32.self)  // throttle
        let answers = try reader.array { reader throws(WireError) in
            (try reader.string(), try reader.integer(Int16.self), try reader.nullableString())
        }
        #expect(answers?.map(\.1) == [KafkaErrorCode.invalidTopic.rawValue, 0])
        #expect(answers?.first?.2?.contains("collides with existing topic 'orders_v1'") == true)
        let metadata = frame(key: .metadata, version: 4) { writer in
            writer.array(["orders.v1"]) { $0.string($1) }
            writer.boolean(true)
        }
        var metadataReader = WireReader(try #require(try call(api, metadata)))
        _ = try metadataReader.integer(Int32.self)  // throttle
        _ = try metadataReader.array { reader throws(WireError) in
            (try reader.integer(Int32.self), try reader.string(), try reader.integer(Int32.self), try reader.nullableString())
        }
        _ = try metadataReader.nullableString()  // cluster id
        _ = try metadataReader.integer(Int32.self)  // controller
        #expect(try metadataReader.integer(Int32.self) == 1)
        #expect(try metadataReader.integer(Int16.self) == KafkaErrorCode.invalidTopic.rawValue)
        #expect(try metadataReader.string() == "orders.v1")
        #expect(try broker.topics().map(\.name) == ["orders-v1", "orders_v1"])
    }

    @Test("CreateTopics reports Kafka's error codes per topic")
    func createTopicsErrors() throws {
        let (api, broker) = try api()
        try broker.createTopic("exists", partitions: 1)
        let request = frame(key: .createTopics, version: 4) { writer in
            let topics: [(String, Int32, Int16)] = [("exists", 1, 1), ("bad name!", 1, 1), ("zero", 0, 1), ("replicated", 1, 3), ("fine", -1, -1)]
            writer.array(topics) { writer, topic in
                writer.string(topic.0); writer.integer(topic.1); writer.integer(topic.2)
                writer.array([Int32]()) { $0.integer($1) }
                writer.array([String]()) { $0.string($1) }
            }
            writer.integer(Int32(1000)); writer.boolean(false)
        }
        var reader = WireReader(try #require(try call(api, request)))
        _ = try reader.integer(Int32.self)  // throttle
        let codes = try reader.array { reader throws(WireError) in
            (try reader.string(), try reader.integer(Int16.self), try reader.nullableString())
        }?.map { [$0.0: $0.1] }
        #expect(codes == [["exists": 36], ["bad name!": 17], ["zero": 37], ["replicated": 38], ["fine": 0]])
        #expect(try broker.describeTopic("fine").partitions.count == 1)
    }
}

@Suite("Compressed batches")
struct CompressionTests {
    @Test("a gzip batch from kafka-python is stored uncompressed with its records intact")
    func gzip() throws {
        let plain = try RecordBatch(validating: Gzip.decompressedIfGzip(fixture("record-batch-gzip.hex")[...]))
        #expect(plain.compression == 0)
        let records = try plain.records()
        #expect(records.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["zipped value 0", "zipped value 1", "zipped value 2"])
        #expect(records.map(\.offset) == [0, 1, 2])
    }

    @Test("a gzip batch with damaged data or CRC is corrupt, not a crash")
    func damagedGzip() throws {
        var bytes = try fixture("record-batch-gzip.hex")
        bytes[bytes.count - 5] ^= 0xFF
        #expect(brokerError { _ = try Gzip.decompressedIfGzip(bytes[...]) }?.code == .corruptMessage)
    }

    @Test("other codecs are refused with UNSUPPORTED_COMPRESSION_TYPE")
    func otherCodecs() throws {
        var bytes = RecordBatch(records: [Record(offset: 0, timestamp: 0, key: nil, value: [1])]).encoded()
        bytes[22] = 3  // lz4
        let crc = CRC32C.checksum(bytes[21...])
        bytes.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
        #expect(brokerError { _ = try RecordBatch(validating: Gzip.decompressedIfGzip(bytes[...])) }?.code == .unsupportedCompressionType)
    }
}
