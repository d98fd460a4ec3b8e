import EventLabCore
import EventLabStorage
import Foundation

/// Mutates the files of a small workspace (format 6: broker 1's under `brokers/1/`) — segments,
/// indexes, summaries, log-start offsets, configs, manifests, the clock, group offsets and flow
/// definitions, and stray files beside them (markers that let an active segment skip offsets,
/// partitions being removed or not hosted) — and opens it each time. Opening, reading, cleaning and closing must never crash, and
/// whatever a topic still shows must be true: its records at their own offsets, never a record
/// at a strange offset, and — but where compaction left them — no gap in the middle. Refusing,
/// or taking a topic offline, is always allowed.
enum WorkspaceFuzz {
    /// What the template workspace was given: per topic, the value published at each offset.
    static let topics: [String: [String]] = [
        "t": (0..<30).map { "t-\($0)" },
        "u": (0..<7).map { "u-\($0)" },
        "c": (0..<24).map { "c-\($0)" },
    ]
    /// The compacted topic, whose log has gaps where compaction removed records.
    static let compacted = "c"

    /// Runs `count` mutated workspaces.
    ///
    /// - Returns: how many opened with every topic whole, and how many refused something.
    static func run(count: Int, random: inout SplitMix64) throws -> (whole: Int, refused: Int) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("eventlab-fuzz-\(UUID().uuidString)").path
        let template = root + "/template"
        let wholeCounts = try makeTemplate(template)
        let files = try allFiles(under: template)
        var whole = 0
        var refused = 0
        for index in 0..<count {
            let copy = root + "/\(index)"
            try FileManager.default.copyItem(atPath: template, toPath: copy)
            // One mutation at a time: two (a summary lost and its segment cut at a batch boundary)
            // can make a gap that no check could tell from one compaction leaves.
            let file = files[Int(random.next() % UInt64(files.count))]
            let mutation = file + ": " + (try mutate(copy + "/" + file, &random))
            // A failing case is kept, with the untouched template beside it, to be looked at.
            try FileManager.default.copyItem(atPath: copy, toPath: copy + ".mutated")
            do {
                if try check(copy, wholeCounts: wholeCounts) { whole += 1 } else { refused += 1 }
            } catch {
                throw FuzzFailure("\(error) (mutation: \(mutation); the workspace as mutated is \(copy).mutated)")
            }
            try FileManager.default.removeItem(atPath: copy)
            try FileManager.default.removeItem(atPath: copy + ".mutated")
        }
        try FileManager.default.removeItem(atPath: root)
        return (whole, refused)
    }

    /// Writes the template and returns how many records each topic shows when whole.
    private static func makeTemplate(_ directory: String) throws -> [String: Int] {
        let workspace = try Workspace(directory: directory)
        let broker = try Broker(storage: workspace.makeStorage())
        var config = TopicConfig()
        config.segmentRecords = 4
        try broker.createTopic("t", partitions: 1, config: config)
        try broker.createTopic("u", partitions: 1)
        config.segmentRecords = 3
        config.cleanupPolicy = .compact
        try broker.createTopic(compacted, partitions: 1, config: config)
        for (topic, values) in topics.sorted(by: { $0.key < $1.key }) {
            for (offset, value) in values.enumerated() {
                _ = try broker.publish(topic, [ProducerRecord(key: "k\(offset % 5)", value: value)])
            }
        }
        _ = try broker.runCompaction(topic: compacted)
        _ = broker.commitOffsets(groupId: "g", offsets: [TopicPartition("t", 0): CommittedOffset(offset: 5)])
        try workspace.flows.save("service create billing --from t\ntable create view --from c\n")
        var counts: [String: Int] = [:]
        for topic in topics.keys { counts[topic] = try readAll(broker, topic).count }
        try broker.close()
        return counts
    }

    private static func allFiles(under directory: String) throws -> [String] {
        let names = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// One mutation of the file at `path`, or a stray file beside it.
    private static func mutate(_ path: String, _ random: inout SplitMix64) throws -> String {
        var bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { [UInt8]($0) } ?? []
        let folder = (path as NSString).deletingLastPathComponent
        let what: String
        switch random.next() % 9 {
        case 0, 1:
            let at = Int(random.next() % UInt64(max(bytes.count, 1)))
            if !bytes.isEmpty { bytes[at] ^= UInt8(1 << (random.next() % 8)) }
            what = "bit flipped in byte \(at)"
        case 2:
            let at = Int(random.next() % UInt64(max(bytes.count, 1)))
            if !bytes.isEmpty { bytes[at] = UInt8(truncatingIfNeeded: random.next()) }
            what = "byte \(at) set"
        case 3:
            bytes = Array(bytes.prefix(Int(random.next() % UInt64(bytes.count + 1))))
            what = "cut to \(bytes.count) bytes"
        case 4:
            let zeros = random.next() % 2 == 0
            bytes += zeros ? [UInt8](repeating: 0, count: Int(random.next() % 5000)) : (0..<random.next() % 100).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            what = zeros ? "zeros appended" : "random bytes appended"
        case 5:
            try? FileManager.default.removeItem(atPath: path)
            return "removed"
        case 6:
            let numbers = ["-1", "0", "3", "29", "30", "31", "1000", "9223372036854775807", "-9223372036854775808", "x"]
            let number = numbers[Int(random.next() % UInt64(numbers.count))]
            let text = String(decoding: bytes, as: UTF8.self)
            let replaced = text.replacingOccurrences(of: #"-?\d+"#, with: number, options: .regularExpression, range: text.range(of: #"-?\d+"#, options: .regularExpression))
            bytes = Array(replaced.utf8)
            what = "first number set to \(number)"
        case 7:
            let strays = [
                "5.log", "00000000000000000099.log", "00000000000000000002.log", "compaction.swap", "00000000000000000004.cleaned", ".hidden",
                "00000000000000000000.gaps", "00000000000000000028.gaps", "0.removing", "1",
            ]
            let stray = folder + "/" + strays[Int(random.next() % UInt64(strays.count))]
            let content: [UInt8] = random.next() % 2 == 0 ? [] : bytes
            FileManager.default.createFile(atPath: stray, contents: Data(stray.hasSuffix(".swap") ? Array("old 0 4\nnew 0:\(bytes.count)\nend 8\n".utf8) : content))
            return "stray \(stray) beside it (\(content.count) bytes)"
        default:
            bytes = Array(bytes.reversed())
            what = "reversed"
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return what
    }

    /// Opens the workspace and checks what each topic shows. Returns whether everything was whole.
    private static func check(_ directory: String, wholeCounts: [String: Int]) throws -> Bool {
        guard let broker = try? open(directory) else { return false }
        var whole = true
        for (topic, values) in topics.sorted(by: { $0.key < $1.key }) {
            guard let records = try? readAll(broker, topic) else {
                whole = false
                continue
            }
            try expectTrue(records, values, topic: topic, directory: directory)
            whole = whole && records.count == wholeCounts[topic]
        }
        _ = try? broker.runRetention()
        _ = try? broker.runCompaction()
        _ = try? broker.scheduler.advanceClock(by: broker.config.logRetentionCheckIntervalMs)
        try? broker.close()
        return whole
    }

    private static func open(_ directory: String) throws(BrokerError) -> Broker {
        let workspace = try Workspace(directory: directory)
        // Read as a session opening the workspace reads them: damage may be refused, never crash.
        _ = try? workspace.flows.load()
        return try Broker(storage: workspace.makeStorage())
    }

    private static func readAll(_ broker: Broker, _ topic: String) throws(BrokerError) -> [Record] {
        let start = try broker.offsets(topic, partition: 0).logStartOffset
        return try broker.read(topic, partition: 0, from: start, maxRecords: .max)
    }

    /// Fails the run unless `records` are a run of the topic's values at their own offsets.
    private static func expectTrue(_ records: [Record], _ values: [String], topic: String, directory: String) throws {
        for (index, record) in records.enumerated() {
            let value = record.value.map { String(decoding: $0, as: UTF8.self) }
            let follows = index == 0 || record.offset == records[index - 1].offset + 1
                || (topic == compacted && record.offset > records[index - 1].offset)
            guard follows, record.offset >= 0, record.offset < values.count, value == values[Int(record.offset)] else {
                throw FuzzFailure("in \(directory), topic \(topic) shows \(value ?? "null") at offset \(record.offset)\(follows ? "" : " after a gap"): not what was written there")
            }
        }
    }
}

/// A fuzzing run found EventLab showing something false.
struct FuzzFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
