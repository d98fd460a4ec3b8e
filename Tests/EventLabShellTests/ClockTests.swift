import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("clock and clock advance on the broker's scheduler")
struct ClockTests {
    @Test("clock lists the work due on the broker clock and, while it serves real clients, counts the real-time timers; clock advance runs the check at each due time and says what it did after", arguments: Backend.allCases)
    func listedAndRun(backend: Backend) throws {
        var config = BrokerConfig()
        config.logRetentionCheckIntervalMs = 3_600_000
        let test = try TestBroker(backend, config: config)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output)
        test.broker.scheduler.schedule("session timeout", in: .real, after: 45_000) {}
        #expect(shell.execute("topic create t --segment-records 1 --retention 30m; publish t a; publish t b"))
        output.clear()
        #expect(shell.execute("clock"))
        #expect(!output.text.contains("real-time timer"), "no real clients without a listener: the count would only vary with typing speed")
        shell.listener = FixedListener()
        #expect(shell.execute("listen 0"))
        output.clear()
        #expect(shell.execute("clock"))
        #expect(output.lines == [
            "2024-01-01T00:00:00Z  (logical clock: moves only on `clock advance`)",
            "due on the broker clock:",
            "  2024-01-01T00:00:15Z  log cleaner pass, every 15s",
            "  2024-01-01T00:10:00Z  offsets retention check, every 10m",
            "  2024-01-01T01:00:00Z  retention check, every 1h",
            "1 real-time timer waits too: protocol timers of real clients, which run on real time whatever this clock says",
        ])
        output.clear()
        #expect(shell.execute("clock advance 90m; clock advance 36500d"))
        #expect(output.lines == [
            "clock is now 2024-01-01T01:30:00Z",
            "scheduled cleaning at 2024-01-01T01:00:00Z: t p0 retention deleted 2 segments (2 records); log now starts at 2",
            "clock is now 2123-12-08T01:30:00Z",
        ])
        #expect(test.broker.scheduler.pending(.real).count == 1)
    }
}
