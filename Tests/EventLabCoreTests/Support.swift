import Foundation
import Testing
@testable import EventLabCore

/// The error `body` throws, or nil if it succeeds.
func brokerError(_ body: () throws -> Void) -> BrokerError? {
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
func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
    let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    return stride(from: 0, to: text.count, by: 2).map { start in
        let index = text.index(text.startIndex, offsetBy: start)
        return UInt8(text[index..<text.index(index, offsetBy: 2)], radix: 16)!
    }
}

extension Array where Element == UInt8 {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

func bytes(_ string: String) -> [UInt8] { Array(string.utf8) }

/// A monotonic timer tests move by hand.
final class ManualTimer: MonotonicTimer, @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64 = 0
    func elapsedMilliseconds() -> Int64 { lock.withLock { now } }
    func advance(_ milliseconds: Int64) { lock.withLock { now += milliseconds } }
}

/// A broker on a logical clock, a manual timer and seeded ids.
func makeBroker(timer: ManualTimer = ManualTimer(), maintenanceIntervalMs: Int64 = 300_000) -> (Broker, LogicalClock) {
    let clock = LogicalClock()
    return (try! Broker(clock: clock, timer: timer, ids: SeededIdSource(seed: 1), maintenanceIntervalMs: maintenanceIntervalMs), clock)
}

extension Broker {
    /// Publishes string records, one call per record, so each gets its own batch.
    @discardableResult
    func publishEach(_ topic: String, _ records: [(key: String?, value: String?)]) throws -> [RecordPosition] {
        try records.flatMap { try publish(topic, [ProducerRecord(key: $0.key, value: $0.value)]) }
    }

    /// The values of a partition as strings, from its log start.
    func values(_ topic: String, partition: Int32 = 0) throws -> [String?] {
        let start = try offsets(topic, partition: partition).logStartOffset
        return try read(topic, partition: partition, from: start, maxRecords: .max).map { $0.value.map { String(decoding: $0, as: UTF8.self) } }
    }
}
