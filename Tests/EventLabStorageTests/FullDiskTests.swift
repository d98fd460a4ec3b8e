import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// A full disk, injected under the file calls (``FileFaults``): a failed write leaves no partial
/// batch behind, a full disk can be relieved by retention, and reading needs no free space.
@Suite("A full disk", .serialized)
struct FullDiskTests {
    func logFile(_ test: TestBroker, _ base: Int = 0) -> String {
        test.directory! + "/brokers/1/topics/t/0/" + DiskSegment.fileName(Int64(base), ".log")
    }

    func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }

    @Test("a write cut short by a full disk is cut back: later appends and the next open lose nothing", arguments: [0, 30, 100])
    func shortWriteIsCutBack(partialBytes: Int) throws {
        let test = try TestBroker(.disk)
        defer { FileFaults.clear(test.directory!) }
        try test.broker.createTopic("t", partitions: 1)
        try test.broker.publishEach("t", (0..<3).map { (nil, "value-\($0)") })
        let before = try size(logFile(test))
        FileFaults.fillDisk(under: test.directory!, partialBytes: partialBytes)
        let big = ProducerRecord(key: nil, value: String(repeating: "x", count: 500))
        let error = brokerError { _ = try test.broker.publish("t", [big]) }
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.contains("No space left on device") == true)
        #expect(try size(logFile(test)) == before)
        FileFaults.clear(test.directory!)
        try test.broker.publishEach("t", [(nil, "after")])
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == ["value-0", "value-1", "value-2", "after"])
    }

    @Test("retention deletes before it writes its bookkeeping, so it relieves a full disk")
    func retentionRelievesFullDisk() throws {
        let test = try TestBroker(.disk)
        defer { FileFaults.clear(test.directory!) }
        var config = TopicConfig()
        config.segmentRecords = 2
        config.retentionMs = 86_400_000
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", (0..<5).map { (nil, "old-\($0)") })
        try test.clock.advance(by: 2 * 86_400_000)
        FileFaults.fillDisk(under: test.directory!)
        #expect(brokerError { _ = try test.broker.publish("t", [ProducerRecord(key: nil, value: "new")]) }?.code == .kafkaStorageError)
        let deleted = try test.broker.runRetention(topic: "t")
        #expect(deleted[TopicPartition("t", 0)]?.deletedSegments.count == 3)
        try test.broker.publishEach("t", [(nil, "new")])
        try test.reopen(clean: true)
        #expect(try test.broker.offsets("t", partition: 0).logStartOffset == 5)
        #expect(try test.broker.values("t") == ["new"])
    }

    @Test("compaction that fills the disk while writing its cleaned segments changes nothing and leaves nothing behind", arguments: [0, 1, 3])
    func compactionOnFullDisk(afterWrites: Int) throws {
        let test = try TestBroker(.disk)
        defer { FileFaults.clear(test.directory!) }
        var config = TopicConfig()
        config.cleanupPolicy = .compact
        config.segmentRecords = 2
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", [("a", "a1"), ("b", "b1"), ("a", "a2"), ("c", "c1"), ("a", "a3"), ("b", "b2"), ("z", "active")])
        let before = try test.broker.describeTopic("t")
        FileFaults.fillDisk(under: test.directory!, afterWrites: afterWrites)
        #expect(brokerError { _ = try test.broker.runCompaction(topic: "t") }?.code == .kafkaStorageError)
        FileFaults.clear(test.directory!)
        #expect(try test.broker.describeTopic("t") == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: test.directory! + "/brokers/1/staging/compacting").isEmpty)
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == ["a1", "b1", "a2", "c1", "a3", "b2", "active"])
        #expect(try test.broker.runCompaction(topic: "t")[TopicPartition("t", 0)]?.removedRecords == 3)
        #expect(try test.broker.values("t") == ["c1", "a3", "b2", "active"])
    }

    @Test("on a full disk a workspace opens after a crash, and reading and describing work")
    func readingNeedsNoSpace() throws {
        let test = try TestBroker(.disk)
        defer { FileFaults.clear(test.directory!) }
        var config = TopicConfig()
        config.segmentRecords = 2
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", (0..<5).map { (nil, "value-\($0)") })
        FileFaults.fillDisk(under: test.directory!)
        try test.reopen(clean: false)
        #expect(try test.broker.describeTopic("t").partitions[0].segments.count == 3)
        #expect(try test.broker.values("t") == (0..<5).map { "value-\($0)" })
        try test.broker.close()
    }
}
