import Testing
import EventLabCore
import EventLabTestSupport

@Suite("Fetching stored batches for the network")
struct FetchTests {
    /// A compacted topic of small segments holding batches of random sizes, some cleaned away,
    /// the same on every backend (the clock is logical and the workload seeded).
    func workload(_ backend: Backend, seed: UInt64) throws -> Broker {
        let (broker, _) = makeBroker(backend)
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentBytes = 24 << 10
        try broker.createTopic("t", partitions: 1, config: config)
        var random = SplitMix(seed: seed)
        for round in 0..<300 {
            let records = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                ProducerRecord(key: "k\(Int.random(in: 0..<40, using: &random))",
                               value: String(repeating: "v", count: Int.random(in: 10...400, using: &random)))
            }
            _ = try broker.publish("t", records)
            if round == 150 { _ = try broker.runCompaction(topic: "t") }
        }
        _ = try broker.runCompaction(topic: "t")
        return broker
    }

    @Test("a fetch sends whole batches from the one holding the offset, as many as fit, at least one; disk and memory agree byte for byte")
    func wholeBatchesWithinBudget() throws {
        let memory = try workload(.memory, seed: 11)
        let disk = try workload(.disk, seed: 11)
        let end = try memory.offsets("t", partition: 0).logEndOffset
        var random = SplitMix(seed: 5)
        for _ in 0..<400 {
            let offset = Int64.random(in: 0..<end, using: &random)
            let maxBytes = switch Int.random(in: 0..<10, using: &random) {
            case 0: 1
            case 1: Int.max
            default: Int.random(in: 60...100_000, using: &random)
            }
            let fromMemory = try memory.fetch("t", partition: 0, from: offset, maxBytes: maxBytes)
            let fromDisk = try disk.fetch("t", partition: 0, from: offset, maxBytes: maxBytes)
            #expect(try fromDisk.records.flatMap { try $0.bytes() } == fromMemory.records.flatMap { try $0.bytes() },
                    "offset \(offset), maxBytes \(maxBytes)")
            let batches = try fromDisk.batches()
            let first = try #require(batches.first, "offset \(offset) has batches after it")
            #expect(first.lastOffset >= offset)
            let size = batches.reduce(0) { $0 + $1.byteCount }
            #expect(batches.count == 1 || size <= maxBytes)
            #expect(zip(batches, batches.dropFirst()).allSatisfy { $0.lastOffset < $1.baseOffset })
            if let last = batches.last, last.nextOffset < end, maxBytes != .max {
                let next = try #require(try disk.fetch("t", partition: 0, from: last.nextOffset, maxBytes: 1).batches().first)
                #expect(size + next.byteCount > maxBytes, "the next batch would have fitted: offset \(offset), maxBytes \(maxBytes)")
            }
        }
    }

    @Test("a fetch at the log end finds no batches", arguments: Backend.allCases)
    func nothingAtTheEnd(backend: Backend) throws {
        let broker = try workload(backend, seed: 3)
        let end = try broker.offsets("t", partition: 0).logEndOffset
        #expect(try broker.fetch("t", partition: 0, from: end, maxBytes: 1 << 20).records.isEmpty)
    }
}
