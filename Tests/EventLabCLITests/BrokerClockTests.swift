import EventLabTestSupport
import Foundation
import Testing

@Suite("Broker configs at start, and broker work on the broker clock")
struct BrokerClockTests {
    @Test("--set log.retention.check.interval.ms sets the check; `clock` lists it; clock advance runs it at each due time and says so after")
    func checkAtItsDueTimes() throws {
        let script = """
            topic create t --segment-records 1 --retention 500ms
            publish t a
            publish t b
            clock
            clock advance 1400ms
            publish t c
            clock advance 600ms
            clock
            clock advance 36500d
            """
        let run = try EventLabRun.run(
            ["--memory", "--clock", "logical", "--set", "log.retention.check.interval.ms=1000"], input: script)
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines[3...]) == [
            "2024-01-01T00:00:00Z  (logical clock: moves only on `clock advance`)",
            "due on the broker clock:",
            "  2024-01-01T00:00:01Z  retention check, every 1s",
            "  2024-01-01T00:00:15Z  log cleaner pass, every 15s",
            "  2024-01-01T00:10:00Z  offsets retention check, every 10m",
            "clock is now 2024-01-01T00:00:01.400Z",
            "scheduled cleaning at 2024-01-01T00:00:01Z: t p0 retention deleted 2 segments (2 records); log now starts at 2",
            "t p0 @2  (the only partition)",
            "clock is now 2024-01-01T00:00:02Z",
            "scheduled cleaning at 2024-01-01T00:00:02Z: t p0 retention deleted 1 segment (1 record); log now starts at 3",
            "2024-01-01T00:00:02Z  (logical clock: moves only on `clock advance`)",
            "due on the broker clock:",
            "  2024-01-01T00:00:03Z  retention check, every 1s",
            "  2024-01-01T00:00:15Z  log cleaner pass, every 15s",
            "  2024-01-01T00:10:00Z  offsets retention check, every 10m",
            "clock is now 2123-12-08T00:00:02Z",
        ])
    }

    @Test("a broker config with a value it does not allow, an unknown name, or no `=` is refused, saying what is allowed")
    func refused() throws {
        let zero = try EventLabRun.run(["--memory", "--set", "log.retention.check.interval.ms=0", "-c", "clock"])
        #expect(zero.status != 0)
        #expect(zero.stderr.contains("log.retention.check.interval.ms is '0': it must be a whole number of milliseconds, at least 1"))
        let unknown = try EventLabRun.run(["serve", "--memory", "--port", "0", "--set", "log.retention.hours=1"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("'log.retention.hours' is not a broker config EventLab knows; known: auto.leader.rebalance.enable, group.initial.rebalance.delay.ms, leader.imbalance.check.interval.seconds, log.cleaner.backoff.ms, log.retention.check.interval.ms, offsets.retention.check.interval.ms, offsets.retention.minutes, replica.lag.time.max.ms"))
        let backoff = try EventLabRun.run(["--memory", "--set", "log.cleaner.backoff.ms=0", "-c", "clock"])
        #expect(backoff.status != 0)
        #expect(backoff.stderr.contains("log.cleaner.backoff.ms is '0': it must be a whole number of milliseconds, at least 1"))
        let bare = try EventLabRun.run(["--memory", "--set", "log.retention.check.interval.ms", "-c", "clock"])
        #expect(bare.stderr.contains("is not NAME=VALUE"))
    }

    @Test("--set offsets.retention.minutes: a group's offsets expire that long after its last member left; the REPL says so, and the group's next consume starts by auto.offset.reset")
    func offsetsExpire() throws {
        let script = """
            topic create t
            publish t a
            consume t --group g
            clock advance 59m
            clock advance 1m
            consume t --group g --reset latest
            """
        let run = try EventLabRun.run(
            ["--memory", "--clock", "logical", "--set", "offsets.retention.minutes=60", "--set", "offsets.retention.check.interval.ms=60000"], input: script)
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines[5...]) == [
            "clock is now 2024-01-01T00:59:00Z",
            "clock is now 2024-01-01T01:00:00Z",
            "offsets expired: group g had no members for 1h (offsets.retention.minutes): its offsets on t p0 are gone; its next consume starts by auto.offset.reset",
            "g has no committed offset on t p0: auto.offset.reset=latest starts at 1",
            "0 records · group g committed p0 @1",
        ])
        let zero = try EventLabRun.run(["--memory", "--set", "offsets.retention.minutes=0", "-c", "clock"])
        #expect(zero.stderr.contains("offsets.retention.minutes is '0': it must be a whole number of minutes, at least 1"))
    }
}
