import EventLabCore
import Foundation
import Testing

/// The error `body` throws, or nil if it succeeds.
public func brokerError(_ body: () throws -> Void) -> BrokerError? {
    do {
        try body()
        return nil
    } catch let error as BrokerError {
        return error
    } catch {
        Issue.record("expected a BrokerError, got \(error)")
        return nil
    }
}

/// The bytes of a hex fixture under Tests/Fixtures.
public func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
    return hexBytes(try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
}

/// The bytes a string of hex digits spells, two digits a byte.
public func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8)
    return stride(from: 0, to: digits.count, by: 2).map { start in
        UInt8(String(decoding: digits[start..<start + 2], as: UTF8.self), radix: 16)!
    }
}

/// The UTF-8 bytes of a string.
public func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

/// A monotonic timer tests move by hand.
public final class ManualTimer: MonotonicTimer, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64 = 0

    public init() {}

    public func elapsedMilliseconds() -> Int64 { lock.withLock { now } }

    public func advance(_ milliseconds: Int64) { lock.withLock { now += milliseconds } }
}

/// A small seeded random generator for tests: the core's SplitMix64.
public typealias SplitMix = SeededRandom

/// A new empty directory under the system's temporary directory.
public func temporaryDirectory(_ label: String = "eventlab-test") -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

extension Broker {
    /// Publishes string records, one call per record, so each gets its own batch.
    @discardableResult
    public func publishEach(_ topic: String, _ records: [(key: String?, value: String?)]) throws -> [RecordPosition] {
        try records.flatMap { try publish(topic, [ProducerRecord(key: $0.key, value: $0.value)]) }
    }

    /// The values of a partition as strings, from its log start.
    public func values(_ topic: String, partition: Int32 = 0) throws -> [String?] {
        let start = try offsets(topic, partition: partition).logStartOffset
        return try read(topic, partition: partition, from: start, maxRecords: .max).map { $0.value.map { String(decoding: $0, as: UTF8.self) } }
    }
}

extension RecordBatch {
    /// Where header fields sit, counted from the batch's first byte.
    public enum Field: Int, Sendable {
        case attributes = 21
        case lastOffsetDelta = 23
        case baseTimestamp = 27
        case maxTimestamp = 35
        case producerId = 43
        case baseSequence = 53
        case recordCount = 57
    }

    /// This batch with one header field set to `value` and its CRC made right again: a batch a
    /// client could send, though no well-behaved client would.
    public func patched<T: FixedWidthInteger>(_ field: Field, to value: T) throws -> RecordBatch {
        var bytes = encoded()
        bytes.replaceSubrange(field.rawValue..<field.rawValue + MemoryLayout<T>.size, with: withUnsafeBytes(of: value.bigEndian, Array.init))
        let crc = CRC32C.checksum(bytes[21...])
        bytes.replaceSubrange(17..<21, with: withUnsafeBytes(of: crc.bigEndian, Array.init))
        return try RecordBatch(validating: bytes)
    }
}

/// Checks `condition` every few milliseconds until it holds or `seconds` pass; true if it held.
/// For waiting on background work without a fixed sleep.
public func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        usleep(2_000)
    }
    return true
}

extension [BrokerNotice] {
    /// The scheduled cleanings among these notices, in order.
    public var cleanings: [MaintenanceReport] {
        compactMap { notice in
            guard case .cleaning(let report) = notice else { return nil }
            return report
        }
    }
}

extension [BrokerNotice] {
    /// The expired offsets among these notices, in order.
    public var offsetsExpiries: [OffsetsExpiry] {
        compactMap { notice in
            guard case .offsetsExpired(let expiry) = notice else { return nil }
            return expiry
        }
    }
}
