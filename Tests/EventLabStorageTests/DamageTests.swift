import EventLabCore
@testable import EventLabStorage
import EventLabTestSupport
import Foundation
import Testing

/// Damaged and stray files: EventLab refuses, says what and where, and leaves them as they were;
/// it never deletes or skips data on the word of something it has not checked.
@Suite("Damaged and stray files")
struct DamageTests {
    /// A disk broker with topic `t` holding `records` one-record batches, `segmentRecords` to a segment.
    func filled(segmentRecords: Int = 5, records: Int = 17, compact: Bool = false) throws -> TestBroker {
        let test = try TestBroker(.disk)
        var config = TopicConfig()
        config.segmentRecords = segmentRecords
        if compact { config.cleanupPolicy = [.compact] }
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", (0..<records).map { ("k\($0)", "value-\($0)") })
        return test
    }

    func path(_ test: TestBroker, _ name: String) -> String { test.directory! + "/brokers/1/topics/t/0/" + name }

    func segment(_ test: TestBroker, _ base: Int, _ suffix: String = ".log") -> String {
        path(test, DiskSegment.fileName(Int64(base), suffix))
    }

    func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func flip(_ path: String, at position: Int) throws {
        var bytes = try contents(path)
        bytes[position] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
    }

    /// Every file of the partition with its bytes, to prove that nothing changed.
    func snapshot(_ test: TestBroker) throws -> [String: Data] {
        let directory = path(test, "")
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            result[name] = try contents(directory + name)
        }
        return result
    }

    @Test("compaction over a damaged batch stops with file and byte and leaves every segment as it was")
    func compactionStopsAtDamage() throws {
        let test = try filled(compact: true)
        try test.broker.publishEach("t", [("k1", "newer")])
        try test.reopen(clean: true)
        try flip(segment(test, 5), at: 70)
        let before = try snapshot(test)
        let error = brokerError { _ = try test.broker.runCompaction(topic: "t") }
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.contains(segment(test, 5)) == true)
        #expect(error?.message.contains("at byte 0") == true)
        #expect(try snapshot(test) == before)
    }

    @Test("the scheduled log cleaner reports damage once and then leaves that partition alone")
    func scheduledCleaningReportsDamageOnce() throws {
        var broker = BrokerConfig()
        broker.logCleanerBackoffMs = 1000
        let test = try TestBroker(.disk, config: broker)
        var config = TopicConfig()
        config.segmentRecords = 5
        config.cleanupPolicy = [.compact]
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.createTopic("other", partitions: 1, config: config)
        try test.broker.publishEach("t", (0..<12).map { ("k\($0 % 3)", "v\($0)") })
        try test.broker.publishEach("other", (0..<12).map { ("k\($0 % 3)", "v\($0)") })
        try flip(segment(test, 0), at: 70)
        try test.broker.scheduler.advanceClock(by: 1000)
        let first = test.broker.notices.take().cleanings
        #expect(first.count == 1)
        #expect(first.first?.failures[TopicPartition("t", 0)]?.code == .corruptMessage)
        #expect(first.first?.compaction[TopicPartition("other", 0)] != nil)
        try test.broker.scheduler.advanceClock(by: 1000)
        #expect(test.broker.notices.take().isEmpty)
    }

    @Test("a read over a closed segment whose first batch is damaged stops there, never skipping it")
    func readStopsAtDamagedSegment() throws {
        let test = try filled()
        try test.reopen(clean: true)
        try flip(segment(test, 5), at: 70)
        #expect(try test.broker.read("t", partition: 0, from: 0, maxRecords: 5).map(\.offset) == Array(0..<5))
        for from: Int64 in [0, 5] {
            let error = brokerError { _ = try test.broker.read("t", partition: 0, from: from, maxRecords: .max) }
            #expect(error?.code == .corruptMessage)
            #expect(error?.message.contains(segment(test, 5)) == true)
        }
        // A Fetch sends stored bytes unchecked, as Kafka does: the client's CRC check finds the damage.
        let fetched = try test.broker.fetch("t", partition: 0, from: 0, maxBytes: .max)
        #expect(brokerError { _ = try fetched.batches() }?.code == .corruptMessage)
    }

    @Test("a base offset with a flipped bit is damage, not a record at a strange offset", arguments: [false, true])
    func flippedBaseOffset(cleanShutdown: Bool) throws {
        let test = try filled(records: 4)
        try test.reopen(clean: cleanShutdown)
        let batchSize = try contents(segment(test, 0)).count / 4
        try flip(segment(test, 0), at: batchSize + 3)  // the second batch's base offset: 1 becomes 2^32 + 1
        if cleanShutdown {
            // The summary saved at the clean shutdown is trusted; reads check each batch against it.
            try test.reopen(clean: true)
            let error = brokerError { _ = try test.broker.read("t", partition: 0, from: 0, maxRecords: .max) }
            #expect(error?.message.contains("\(segment(test, 0)) is corrupt at byte \(batchSize)") == true)
        } else {
            let error = try test.openingError()
            #expect(error?.code == .kafkaStorageError)
            #expect(error?.message.contains("offsets must follow on") == true)
        }
    }

    @Test("a flipped base offset in a closed segment is found by reads and fetches")
    func flippedBaseOffsetInClosedSegment() throws {
        let test = try filled(records: 10)
        try test.reopen(clean: true)
        let batchSize = try contents(segment(test, 0)).count / 5
        try flip(segment(test, 0), at: batchSize + 3)
        try test.reopen(clean: true)
        let readError = brokerError { _ = try test.broker.read("t", partition: 0, from: 1) }
        #expect(readError?.code == .corruptMessage)
        let fetchError = brokerError { _ = try test.broker.fetch("t", partition: 0, from: 1, maxBytes: .max) }
        #expect(fetchError?.code == .corruptMessage)
    }

    @Test("a closed segment shorter than its summary is damage: opening refuses and cuts nothing")
    func truncatedClosedSegment() throws {
        let test = try filled()
        try test.reopen(clean: true)
        let original = try contents(segment(test, 5))
        try original.prefix(original.count - 10).write(to: URL(fileURLWithPath: segment(test, 5)))
        let error = try test.openingError()
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.contains(segment(test, 5)) == true)
        #expect(try contents(segment(test, 5)).count == original.count - 10)
    }

    @Test("zeros after the last batch of the active segment are a torn tail, cut on open")
    func zeroTailIsTorn() throws {
        let test = try filled(records: 3)
        let whole = try contents(segment(test, 0))
        try (whole + Data(count: 4096)).write(to: URL(fileURLWithPath: segment(test, 0)))
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == (0..<3).map { "value-\($0)" })
        #expect(try contents(segment(test, 0)) == whole)
    }

    @Test("a log file not named by 20 digits is not a segment")
    func strayLogFileIsIgnored() throws {
        let test = try filled()
        try test.reopen(clean: true)
        try contents(segment(test, 5)).write(to: URL(fileURLWithPath: path(test, "5.log")))
        try test.reopen(clean: false)
        #expect(try test.broker.values("t") == (0..<17).map { "value-\($0)" })
    }

    @Test("an empty segment file that does not follow the log is refused, not taken as the next offset", arguments: [false, true])
    func strayEmptySegment(clean: Bool) throws {
        let test = try filled(records: 3)
        try test.reopen(clean: clean)
        FileManager.default.createFile(atPath: segment(test, 99), contents: Data())
        let error = try test.openingError()
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.contains(segment(test, 99)) == true)
        try FileManager.default.removeItem(atPath: segment(test, 99))
        try test.reopen(clean: false)
        #expect(try test.broker.offsets("t", partition: 0).logEndOffset == 3)
    }

    @Test("a log-start offset beyond the log's end is refused, deleting nothing")
    func logStartBeyondEnd() throws {
        let test = try filled()
        try test.reopen(clean: true)
        try Data("1000".utf8).write(to: URL(fileURLWithPath: path(test, "log-start-offset")))
        let before = try snapshot(test)
        let error = try test.openingError()
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.contains("beyond its end (17)") == true)
        #expect(try snapshot(test) == before)
    }

    @Test(
        "a compaction manifest whose new segments are missing or not whole removes no old segment",
        arguments: [
            CompactionSwap(old: [0, 5, 10], new: [.init(base: 3, size: 100, digest: 7)], end: 15).encoded,
            CompactionSwap(old: [0, 5, 10], new: [.init(base: 0, size: 100, digest: 7)], end: 15).encoded,
            Array("old 0 5 10\nnew 3\n".utf8),
        ])
    func manifestWithoutNewSegments(manifest: [UInt8]) throws {
        let test = try filled()
        try test.reopen(clean: true)
        try Data(manifest).write(to: URL(fileURLWithPath: path(test, "compaction.swap")))
        let error = try test.openingError()
        #expect(error?.message.contains(path(test, "compaction.swap")) == true)
        #expect(error?.message.contains("Nothing was removed") == true)
        for base in [0, 5, 10, 15] { #expect(FileManager.default.fileExists(atPath: segment(test, base))) }
    }

    @Test(
        "a compaction manifest not written by EventLab — edited, or empty of new segments without its checksum — is refused",
        arguments: ["old 0 5\nnew\nend 10\n", "old 0 5 x\nnew\n", "old 0 5\nnew 0:100:7\nend 10\ncrc 1\n"])
    func handWrittenManifest(manifest: String) throws {
        let test = try filled()
        try test.reopen(clean: true)
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: path(test, "compaction.swap")))
        #expect(try test.openingError()?.message.contains("not a compaction manifest") == true)
        for base in [0, 5, 10, 15] { #expect(FileManager.default.fileExists(atPath: segment(test, base))) }
    }

    @Test("a compaction manifest that names a live segment beyond the ones it replaces as the cleaned one removes nothing")
    func manifestNamingLiveSegment() throws {
        let test = try filled()
        try test.reopen(clean: true)
        // The format of an earlier EventLab, without sizes, digests or end.
        try Data("old 0 5 10\nnew 15\n".utf8).write(to: URL(fileURLWithPath: path(test, "compaction.swap")))
        let before = try snapshot(test)
        let error = try test.openingError()
        #expect(error?.message.contains("not one of the segments it replaces") == true)
        #expect(try snapshot(test) == before)
    }

    /// The base offset and byte position of every batch in the log file at `path`.
    func batchStarts(_ path: String) throws -> [(base: Int64, position: Int)] {
        let bytes = [UInt8](try contents(path))
        var result: [(base: Int64, position: Int)] = []
        var position = 0
        while position < bytes.count {
            let base = bytes[position..<position + 8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
            let length = bytes[position + 8..<position + 12].reduce(0) { $0 << 8 | Int($1) }
            result.append((base, position))
            position += 12 + length
        }
        return result
    }

    /// Moves the second `.index` entry of segment 0 six batches on, keeping the offset it names:
    /// entries still increase and agree with `.timeindex`, so only the log can tell.
    func misplaceSecondIndexEntry(_ test: TestBroker) throws -> Int64 {
        var index = try contents(segment(test, 0, ".index"))
        #expect(index.count >= 16)
        let indexed = Int64(index[8..<12].reduce(0) { $0 << 8 | Int($1) })
        let starts = try batchStarts(segment(test, 0))
        let entry = try #require(starts.firstIndex { $0.base == indexed })
        let moved = UInt32(starts[entry + 6].position)
        index.replaceSubrange(12..<16, with: [UInt8(moved >> 24), UInt8(moved >> 16 & 0xFF), UInt8(moved >> 8 & 0xFF), UInt8(moved & 0xFF)])
        try index.write(to: URL(fileURLWithPath: segment(test, 0, ".index")))
        return indexed
    }

    @Test("an index entry that points past the batch it names is damage for a fetch, never a start after the records asked for")
    func misplacedIndexEntryFetch() throws {
        let test = try filled(segmentRecords: 1000, records: 200)
        try test.reopen(clean: true)
        let indexed = try misplaceSecondIndexEntry(test)
        try test.reopen(clean: true)
        let error = brokerError { _ = try test.broker.fetch("t", partition: 0, from: indexed + 1, maxBytes: 1 << 20) }
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.contains(segment(test, 0, ".index")) == true)
    }

    @Test("an index entry that points past the batch it names is damage for a read of a compacted segment")
    func misplacedIndexEntryCompacted() throws {
        let test = try TestBroker(.disk)
        var config = TopicConfig()
        config.segmentRecords = 400
        config.cleanupPolicy = [.compact]
        try test.broker.createTopic("t", partitions: 1, config: config)
        try test.broker.publishEach("t", (0..<401).map { ($0 % 4 == 0 ? "same" : "k\($0)", "value-\($0)") })
        _ = try test.broker.runCompaction(topic: "t")
        try test.reopen(clean: true)
        let indexed = try misplaceSecondIndexEntry(test)
        try test.reopen(clean: true)
        let error = brokerError { _ = try test.broker.read("t", partition: 0, from: indexed + 1) }
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.contains(segment(test, 0, ".index")) == true)
    }

    @Test("a time index whose times were lowered is damage for a lookup by time, never a start after the records asked for")
    func loweredTimeIndex() throws {
        let test = try filled(segmentRecords: 1000, records: 10)
        try test.clock.advance(by: 3_600_000)
        let later = test.clock.now()
        try test.broker.publishEach("t", (10..<200).map { ("k\($0)", "value-\($0)") })
        try test.reopen(clean: true)
        #expect(try test.broker.offset("t", partition: 0, atOrAfter: later) == 10)
        var times = try contents(segment(test, 0, ".timeindex"))
        #expect(times.count >= 36)
        for entry in 0..<3 { times.replaceSubrange(entry * 12..<entry * 12 + 8, with: [UInt8](repeating: 0, count: 8)) }
        try times.write(to: URL(fileURLWithPath: segment(test, 0, ".timeindex")))
        try test.reopen(clean: true)
        let error = brokerError { _ = try test.broker.offset("t", partition: 0, atOrAfter: later) }
        #expect(error?.code == .corruptMessage)
        #expect(error?.message.contains(segment(test, 0, ".timeindex")) == true)
    }

    @Test("a config whose partition count went down makes its topic offline; no partition directory is removed")
    func configPartitionsWentDown() throws {
        let test = try TestBroker(.disk)
        try test.broker.createTopic("t", partitions: 3)
        try test.broker.createTopic("u", partitions: 1)
        try test.broker.publish("t", (0..<9).map { ProducerRecord(key: "k\($0)", value: "v") })
        try test.broker.publishEach("u", [(nil, "kept")])
        let config = test.directory! + "/brokers/1/topics/t/config"
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try text.replacingOccurrences(of: "partitions=3", with: "partitions=1").write(toFile: config, atomically: true, encoding: .utf8)
        try test.reopen(clean: true)
        for partition in 0..<3 { #expect(FileManager.default.fileExists(atPath: test.directory! + "/brokers/1/topics/t/\(partition)")) }
        let error = brokerError { _ = try test.broker.describeTopic("t") }
        #expect(error?.code == .kafkaStorageError)
        #expect(error?.message.contains("can only grow") == true)
        #expect(test.broker.unavailableTopics().map(\.name) == ["t"])
        #expect(try test.broker.values("u") == ["kept"])
        #expect(brokerError { try test.broker.createTopic("t", partitions: 1) }?.code == .topicAlreadyExists)
    }

    @Test("one damaged topic does not lock the others out; deleting it discards it")
    func damagedTopicIsOffline() throws {
        let test = try filled()
        try test.broker.createTopic("u", partitions: 1)
        try test.broker.publishEach("u", [(nil, "kept")])
        try test.reopen(clean: true)
        let original = try contents(segment(test, 5))
        try original.prefix(20).write(to: URL(fileURLWithPath: segment(test, 5)))
        try test.reopen(clean: false)
        #expect(try test.broker.values("u") == ["kept"])
        #expect(brokerError { _ = try test.broker.read("t", partition: 0, from: 0) }?.message.contains(segment(test, 5)) == true)
        #expect(try contents(segment(test, 5)).count == 20)
        try test.broker.deleteTopic("t")
        #expect(test.broker.unavailableTopics().isEmpty)
        try test.broker.createTopic("t", partitions: 1)
    }
}
