import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

@Suite("Recovery and corruption")
struct RecoveryTests {
    func segmentPath(_ test: TestBroker, _ base: Int, _ suffix: String = ".log") -> String {
        let digits = String(base)
        return test.directory! + "/brokers/1/topics/t/0/" + String(repeating: "0", count: 20 - digits.count) + digits + suffix
    }

    func filled(segmentRecords: Int? = nil, records: Int = 20) throws -> TestBroker {
        let test = try TestBroker(.disk)
        var config = TopicConfig()
        config.segmentRecords = segmentRecords
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", (0..<records).map { (nil, "value-\($0)") })
        return test
    }

    @Test("a torn batch at the end of the log is cut off on open and appending goes on")
    func tornTail() throws {
        let test = try filled()
        let path = segmentPath(test, 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        let half = RecordBatch(records: [Record(offset: 0, timestamp: 0, key: nil, value: bytes("torn"))]).encoded().prefix(30)
        try (whole + half).write(to: URL(fileURLWithPath: path))
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == (0..<20).map { "value-\($0)" })
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == whole)
        try test.broker.publishEach("t", [(nil, "next")])
        #expect(try test.broker.offsets("t", partition: 0).logEndOffset == 21)
    }

    @Test("a last batch whose CRC fails is a torn write and is cut off")
    func tornByCrc() throws {
        let test = try filled()
        let path = segmentPath(test, 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        try test.reopen(clean: false)
        #expect(try test.broker.values("t").count == 19)
    }

    @Test("a flipped byte inside a closed segment is reported with file and position when read")
    func flippedByteInClosedSegment() throws {
        let test = try filled(segmentRecords: 5)
        let path = segmentPath(test, 5)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[70] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        try test.reopen(clean: true)
        let error = brokerError { _ = try test.broker.read("t", partition: 0, from: 5) }
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("at byte 0") == true)
        #expect(try test.broker.read("t", partition: 0, from: 0, maxRecords: 5).count == 5)
    }

    @Test("damage in the middle of the active segment stops the open with file and position, cutting nothing")
    func flippedByteInActiveSegment() throws {
        let test = try filled()
        let path = segmentPath(test, 0)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let size = bytes.count
        bytes[100] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = try test.openingError()
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("nothing was cut") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == size)
    }

    @Test("a truncated or missing index is rebuilt from the log", arguments: [0, 4, 8])
    func truncatedIndex(keep: Int) throws {
        let test = try TestBroker(.disk)
        try test.broker.createTopic("t", partitions: 1)
        for batch in 0..<20 {
            try test.broker.publish("t", (0..<50).map { ProducerRecord(key: nil, value: "batch-\(batch)-record-\($0)-" + String(repeating: "x", count: 40)) })
        }
        try test.reopen(clean: true)
        let index = segmentPath(test, 0, ".index")
        let original = try Data(contentsOf: URL(fileURLWithPath: index))
        #expect(original.count > 16)
        try original.prefix(keep).write(to: URL(fileURLWithPath: index))
        try test.reopen(clean: false)
        #expect(try test.broker.read("t", partition: 0, from: 777, maxRecords: 1).first?.offset == 777)
        #expect(try test.broker.values("t").count == 1000)
        try test.reopen(clean: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: index)) == original)
    }

    @Test("after a clean close, opening reads the saved summaries instead of the logs")
    func cleanOpenUsesSummaries() throws {
        let test = try filled(segmentRecords: 5)
        let segments = try test.broker.describeTopic("t").partitions[0].segments
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("t").partitions[0].segments == segments)
        // A summary that says something else is believed: proof that no scan happened.
        var altered = segments[1]
        altered.recordCount = 42
        try Data(SegmentMeta.encode(altered)).write(to: URL(fileURLWithPath: segmentPath(test, 5, ".meta")))
        try test.reopen(clean: true)
        #expect(try test.broker.describeTopic("t").partitions[0].segments[1].recordCount == 42)
    }

    @Test("a session that only reads rewrites nothing: the next start is as fast as this one")
    func readOnlySessionWritesNothing() throws {
        let test = try filled(segmentRecords: 5)
        try test.reopen(clean: true)
        let directory = test.directory! + "/brokers/1/topics/t/0"
        func stamps() throws -> [String: Date] {
            var result: [String: Date] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
                result[name] = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.modificationDate] as? Date
            }
            return result
        }
        let before = try stamps()
        Thread.sleep(forTimeInterval: 0.02)
        try test.reopen(clean: true)
        _ = try test.broker.values("t")
        try test.reopen(clean: true)
        #expect(try stamps() == before)
    }
}
