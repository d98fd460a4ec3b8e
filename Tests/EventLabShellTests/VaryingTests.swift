import EventLabCore
@testable import EventLabShell
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
