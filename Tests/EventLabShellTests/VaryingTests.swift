import EventLabCore
@testable import EventLabShell
import EventLabTestSupport
import Foundation
import Testing

@Suite("Values that vary, marked for the recorder")
struct VaryingTests {
    @Test("a marked value reads as itself without its marks, and as its placeholder", arguments: VaryingKind.allCases)
    func roundTrip(kind: VaryingKind) {
        let line = "at " + Varying.mark("value 1", as: kind) + " and " + Varying.mark("value 2", as: kind) + "."
        #expect(line != "at value 1 and value 2.")
        #expect(Varying.plain(line) == "at value 1 and value 2.")
        #expect(Varying.placeholders(line) == "at [\(kind.rawValue)] and [\(kind.rawValue)].")
    }

    @Test("text without a mark, and an opening scalar never closed, stay as they are")
    func unmarked() {
        #expect(Varying.plain("p0 @0  é  [TIME]") == "p0 @0  é  [TIME]")
        #expect(Varying.placeholders("p0 @0  é  [TIME]") == "p0 @0  é  [TIME]")
        #expect(Varying.placeholders("a\u{E001}b") == "a\u{E001}b")
        #expect(Varying.placeholders("a\u{E001}b\u{E002}c\u{E000}") == "a\u{E001}b[MEMBER]")
    }

    @Test("every line the shell writes, errors too, passes the tap and then the output")
    func tap() throws {
        let (shell, output, tapped) = try Self.shell(clock: SystemClock())
        #expect(!shell.execute("topic create t; consume nosuch"))
        #expect(tapped.lines.map(\.line) == output.lines)
        #expect(tapped.lines.map(\.isError) == [false, true])
        #expect(output.errors == [tapped.lines[1].line])
    }

    @Test("a mark scalar in a published value is shown escaped, so it cannot forge a placeholder")
    func forged() throws {
        let (shell, output, tapped) = try Self.shell(clock: SystemClock())
        #expect(shell.execute("topic create t; publish t 'x\u{E001}2024\u{E000}y'; consume t"), "\(output.lines)")
        let record = try #require(tapped.lines.first { $0.line.hasPrefix("p0 @0") }?.line)
        #expect(Varying.placeholders(record) == #"p0 @0  -  x\u{e001}2024\u{e000}y  [TIME]"#)
        #expect(output.lines.contains { $0.hasPrefix(#"p0 @0  -  x\u{e001}2024\u{e000}y  20"#) })
    }

    @Test("on the system clock a record's time reaches the tap marked and the output as it is")
    func systemClockTimes() throws {
        let (shell, output, tapped) = try Self.shell(clock: SystemClock())
        #expect(shell.execute("topic create t; publish t a; consume t; clock; show log t"), "\(output.lines)")
        let placeholders = tapped.lines.flatMap { Varying.placeholders($0.line).split(separator: "\n").map(String.init) }
        #expect(placeholders.contains("p0 @0  -  a  [TIME]"), "\(placeholders)")
        #expect(placeholders.contains("[TIME]  (system clock)"), "\(placeholders)")
        #expect(placeholders.contains { $0.hasPrefix("00000000000000000000.log") && $0.contains("  [TIME]  ") && $0.hasSuffix("active (never compacted)") }, "\(placeholders)")
        #expect(placeholders.contains { $0.contains("whose newest record is before [TIME] go at the next cleaning") }, "\(placeholders)")
        let record = try #require(output.lines.first { $0.hasPrefix("p0 @0") })
        #expect(record.wholeMatch(of: /p0 @0  -  a  \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z/) != nil, "\(record)")
        #expect(output.lines == tapped.lines.map { Varying.plain($0.line) })
        #expect(!output.text.unicodeScalars.contains(where: Varying.isReserved))
    }

    @Test("on the logical clock times are exact, so nothing is marked")
    func logicalClockTimes() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output)
        let tapped = Tapped(shell)
        #expect(shell.execute("topic create t --compact --segment-records 1; publish t key=k a; publish t key=k b; consume t; clock; show log t"), "\(output.lines)")
        #expect(tapped.lines.map(\.line) == output.lines)
        #expect(output.lines.contains("p0 @0  k  a  2024-01-01T00:00:00Z"))
    }

    @Test("on the system clock the time of a background cleaning is marked in its notice")
    func noticeTimes() throws {
        // A shell without a logical clock takes its broker's times for the system clock's; moving
        // the broker's clock underneath stands in for real time passing.
        var config = BrokerConfig()
        config.logRetentionCheckIntervalMs = 3_600_000
        let broker = try Broker(clock: LogicalClock(), timer: ManualTimer(), config: config, waker: nil)
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: nil, output: output)
        let tapped = Tapped(shell)
        #expect(shell.execute("topic create t --segment-records 1 --retention 30m; publish t a; publish t b"), "\(output.lines)")
        try broker.scheduler.advanceClock(by: 5_400_000)
        #expect(shell.execute("topic list"), "\(output.lines)")
        #expect(tapped.lines.map { Varying.placeholders($0.line) }.contains(
            "scheduled cleaning at [TIME]: t p0 retention deleted 2 segments (2 records); log now starts at 2"), "\(tapped.lines)")
        #expect(output.lines.contains("scheduled cleaning at 2024-01-01T01:00:00Z: t p0 retention deleted 2 segments (2 records); log now starts at 2"))
    }

    @Test("a member id is marked in `show group` and `group describe`, and the table stays aligned")
    func memberIds() throws {
        let (shell, output, tapped) = try Self.shell(clock: SystemClock())
        #expect(shell.execute("topic create t"), "\(output.lines)")
        let member = try SimulatedConsumer.join(shell.broker, group: "g", topic: "t")
        output.clear()
        tapped.lines = []
        #expect(shell.execute("show group g; group describe g"), "\(output.lines)")
        let placeholders = tapped.lines.flatMap { Varying.placeholders($0.line).split(separator: "\n") }
        #expect(placeholders.contains("member [MEMBER] (leader): t p0"), "\(placeholders)")
        #expect(placeholders.filter { $0.hasPrefix("g  ") && $0.contains("[MEMBER]") }.count == 2, "\(placeholders)")
        let lines = output.text.split(separator: "\n")
        #expect(lines.contains("member \(member.memberId) (leader): t p0"))
        let header = try #require(lines.last { $0.hasPrefix("GROUP") })
        let row = try #require(lines.last)
        #expect(header.firstRange(of: "HOST")?.lowerBound.utf16Offset(in: header) == row.firstRange(of: "/127.0.0.1")?.lowerBound.utf16Offset(in: row), "\(header)\n\(row)")
    }

    @Test("the port `listen` serves on is marked, in what it says and in its errors")
    func ports() throws {
        let (shell, output, tapped) = try Self.shell(clock: SystemClock())
        shell.listener = FixedListener()
        #expect(shell.execute("listen 0"), "\(output.lines)")
        #expect(shell.execute("listen"))
        #expect(!shell.execute("listen 9093"))
        #expect(shell.execute("listen stop"))
        #expect(tapped.lines.map { Varying.placeholders($0.line) } == [
            "listening on 127.0.0.1:[PORT]: try `kcat -b 127.0.0.1:[PORT] -L`; `show` and `group describe` follow the clients live",
            "already listening on 127.0.0.1:[PORT]: clients connect there; `listen stop` stops serving",
            "error: already listening on 127.0.0.1:[PORT], not 9093: `listen stop` first, then `listen 9093`",
            "stopped listening on 127.0.0.1:[PORT]",
        ])
        #expect(tapped.lines.map(\.isError) == [false, false, true, false])
        #expect(output.lines[1] == "already listening on 127.0.0.1:54321: clients connect there; `listen stop` stops serving")
    }

    private static func shell(clock: any BrokerClock) throws -> (Shell, CapturedOutput, Tapped) {
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(clock: clock), logicalClock: nil, output: output)
        return (shell, output, Tapped(shell))
    }
}

/// What a shell's output tap saw.
private final class Tapped {
    var lines: [(line: String, isError: Bool)] = []

    init(_ shell: Shell) {
        shell.outputTap = { line, isError in self.lines.append((line, isError)) }
    }
}

/// A listener that listens nowhere and says it took port 54321, as `listen 0` might.
final class FixedListener: BrokerListener {
    var addresses: [ListenerAddress]?

    func listen(port: Int) throws -> [ListenerAddress] {
        addresses = [ListenerAddress(broker: 1, address: "127.0.0.1:54321")]
        return addresses!
    }

    func stop() throws { addresses = nil }

    func follow() -> Int { 0 }

    func changes() -> [ListenerChange] { [] }
}
