@testable import EventLabCore
import EventLabTestSupport
import Synchronization
import Testing

@Suite("Broker configs and notices")
struct BrokerConfigTests {
    @Test("log.retention.check.interval.ms defaults to Kafka's 300000 and takes a whole number of milliseconds, at least 1")
    func retentionCheckInterval() throws {
        var config = BrokerConfig()
        #expect(config.logRetentionCheckIntervalMs == 300_000)
        try config.set("log.retention.check.interval.ms=200")
        #expect(config.logRetentionCheckIntervalMs == 200)
        for value in ["0", "-5", "1.5", "", "5m"] {
            let error = brokerError { try config.set("log.retention.check.interval.ms=\(value)") }
            #expect(error?.code == .invalidConfig)
            #expect(error?.message == "log.retention.check.interval.ms is '\(value)': it must be a whole number of milliseconds, at least 1")
        }
        #expect(config.logRetentionCheckIntervalMs == 200)
    }

    @Test("log.cleaner.backoff.ms defaults to Kafka's 15000 and takes a whole number of milliseconds, at least 1")
    func cleanerBackoff() throws {
        var config = BrokerConfig()
        #expect(config.logCleanerBackoffMs == 15_000)
        try config.set("log.cleaner.backoff.ms=250")
        #expect(config.logCleanerBackoffMs == 250)
        for value in ["0", "-5", "1.5", "", "5m"] {
            #expect(brokerError { try config.set("log.cleaner.backoff.ms=\(value)") }?.message == "log.cleaner.backoff.ms is '\(value)': it must be a whole number of milliseconds, at least 1")
        }
        #expect(config.logCleanerBackoffMs == 250)
    }

    @Test("group.initial.rebalance.delay.ms defaults to Kafka's 3000; network clients' groups wait it on the system clock, never on the logical clock")
    func initialRebalanceDelay() throws {
        var config = BrokerConfig()
        #expect(config.groupInitialRebalanceDelayMs == 3_000)
        try config.set("group.initial.rebalance.delay.ms=0")
        #expect(config.groupInitialRebalanceDelayMs == 0)
        let error = brokerError { try config.set("group.initial.rebalance.delay.ms=-1") }
        #expect(error?.message == "group.initial.rebalance.delay.ms is '-1': it must be a whole number of milliseconds, at least 0")
        try config.set("group.initial.rebalance.delay.ms=1234")
        #expect(try Broker(clock: SystemClock(), config: config, waker: nil).initialRebalanceDelayMs == 1234)
        #expect(try Broker(clock: LogicalClock(), config: config, waker: nil).initialRebalanceDelayMs == 0)
    }

    @Test("an unknown name is refused with the known ones, and text without = asks for NAME=VALUE")
    func unknown() {
        var config = BrokerConfig()
        #expect(brokerError { try config.set("retention.ms=5") }?.message == "'retention.ms' is not a broker config EventLab knows; known: auto.leader.rebalance.enable, group.initial.rebalance.delay.ms, leader.imbalance.check.interval.seconds, log.cleaner.backoff.ms, log.retention.check.interval.ms, offsets.retention.check.interval.ms, offsets.retention.minutes, replica.lag.time.max.ms")
        #expect(brokerError { try config.set("log.retention.check.interval.ms") }?.message == "'log.retention.check.interval.ms' is not NAME=VALUE: e.g. log.retention.check.interval.ms=200")
        #expect(config == BrokerConfig())
    }

    @Test("notices queue until taken, oldest first; a listener gets the queued ones and every later one at once")
    func noticeBoard() {
        let board = NoticeBoard()
        let report = { (at: Int64) in BrokerNotice.cleaning(MaintenanceReport(at: at, retention: [:], compaction: [:])) }
        board.post(report(1))
        board.post(report(2))
        #expect(board.take().cleanings.map(\.at) == [1, 2])
        #expect(board.take().isEmpty)
        board.post(report(3))
        let heard = Heard()
        board.deliver { heard.add($0) }
        board.post(report(4))
        #expect(heard.all.cleanings.map(\.at) == [3, 4])
        #expect(board.take().isEmpty)
    }
}

private final class Heard: Sendable {
    private let notices = Mutex<[BrokerNotice]>([])
    func add(_ notice: BrokerNotice) { notices.withLock { $0.append(notice) } }
    var all: [BrokerNotice] { notices.withLock { $0 } }
}
