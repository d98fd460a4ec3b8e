import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

/// What a stopped service's warning says depends on who moves the flows on, and a table meets
/// its topic created again by starting over.
@Suite("warnings for the way the flows run, and tables on a topic created again")
struct FlowPaceTests {
    private static let poisoned = [
        "topic create orders", "topic create payments", "service create billing --from orders",
        #"service billing on OrderPlaced emit payments {"cents": $.total * 100}"#,
    ]

    private func warnings(unattended: Bool) -> [String] {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(.memory).0, logicalClock: nil, output: output)
        shell.runsUnattended = unattended
        for command in Self.poisoned { #expect(shell.execute(command), "\(output.lines)") }
        output.clear()
        #expect(shell.execute(#"publish orders {"type":"OrderPlaced","total":"lots"}"#))
        return output.errors
    }

    @Test("under serve, nobody types a command: the warning says to stop serve first")
    func unattended() {
        let typed = warnings(unattended: false)
        #expect(typed.count == 1 && typed[0].hasSuffix("`service skip billing` moves past the record, or `service start billing` tries it again (after `service billing replace N on …` if a rule is at fault)"), "\(typed)")
        let served = warnings(unattended: true)
        #expect(served.count == 1 && served[0].contains("; stop `eventlab serve`, then `service skip billing` moves past the record"), "\(served)")
    }

    @Test("a table whose topic was deleted and created again is rebuilt from the new topic, and says so once", arguments: Backend.allCases)
    func recreatedTopic(backend: Backend) {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(backend).0, logicalClock: nil, output: output)
        #expect(shell.execute("topic create c --compact; publish c key=k {\"n\":1}; publish c key=k {\"n\":2}; table create v --from c"))
        #expect(shell.execute("topic delete c"))
        output.clear()
        #expect(shell.execute("topic create c --compact"))
        #expect(output.errors == ["warning: table v was rebuilt from the start of c: the topic was deleted and created again"])
        output.clear()
        #expect(shell.execute("publish c key=z {\"n\":3}; table get v z; table get v k"))
        #expect(output.errors.isEmpty)
        #expect(output.lines.contains(#"{"n":3}"#))
        #expect(output.lines.last?.hasPrefix("v has no key k") == true, "\(output.lines)")
    }
}
