import EventLabCore
import EventLabPatterns
import EventLabShell
import EventLabTestSupport
import Testing

/// Runs `line` on `shell`, expecting it to succeed, and returns the lines it printed.
private func run(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> [String] {
    output.clear()
    #expect(shell.execute(line), "\(line): \(output.text)")
    return output.text.split(separator: "\n").map(String.init)
}

/// Runs `line`, expecting it to fail, and returns its error.
private func fail(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> String {
    output.clear()
    #expect(!shell.execute(line), "\(line) should fail: \(output.text)")
    return output.errors.joined(separator: "\n")
}

private let moneyDeposited = #"on MoneyDeposited to {"type":"Deposited","account":$.account,"cents":$.amount * 100}"#
private let fromNow = "every service, aggregate and projection reads through it from what each reads next; the log keeps the events as written, so to read history through it, rebuild an aggregate or projection, or reset a service's group"

@Suite("upcast commands: schema evolution without rewriting history")
struct UpcastCommandsTests {
    @Test("upcast on, list, try, replace and remove, each numbered for good")
    func lifecycle() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        #expect(run(shell, output, "upcast list") == ["no upcasters: events are read as the log holds them; `upcast on TYPE to TEMPLATE` adds one"])
        #expect(run(shell, output, "upcast " + moneyDeposited) == ["upcaster 1 added: MoneyDeposited events are read in the new shape; " + fromNow])
        let v2 = #"on Deposited when default($.v, 1) == 1 to {"type":"Deposited","v":2,"cents":$.cents}"#
        #expect(run(shell, output, "upcast " + v2).first?.hasPrefix("upcaster 2 added") == true)
        #expect(run(shell, output, "upcast list") == ["1. " + moneyDeposited, "2. " + v2])
        // The chain: upcaster 1 gives a Deposited event without `v`, which upcaster 2 takes to v2.
        #expect(run(shell, output, #"upcast try {"type":"MoneyDeposited","account":"a-1","amount":2}"#) == [
            #"upcasters 1, then 2: {"type":"Deposited","v":2,"cents":200}"#,
        ])
        #expect(run(shell, output, #"upcast try {"type":"Deposited","v":1,"cents":5}"#) == [#"upcaster 2: {"type":"Deposited","v":2,"cents":5}"#])
        #expect(run(shell, output, #"upcast try {"type":"Deposited","v":2,"cents":5}"#) == ["no upcaster applies: the event is read as it is"])
        #expect(run(shell, output, #"upcast replace 1 on MoneyDeposited to {"type":"Deposited","v":2,"cents":$.amount * 1000}"#) == ["upcaster 1 replaced; " + fromNow])
        #expect(run(shell, output, #"upcast try {"type":"MoneyDeposited","amount":2}"#) == [#"upcaster 1: {"type":"Deposited","v":2,"cents":2000}"#])
        #expect(run(shell, output, "upcast remove 2") == ["upcaster 2 removed; its events are read as the log holds them again; the other upcasters keep their numbers"])
        #expect(run(shell, output, "upcast on A to {}").first?.hasPrefix("upcaster 3 added") == true)
        #expect(FlowScript.lines(shell.flows).prefix(2) == [
            #"upcast rule 1 on MoneyDeposited to {"type":"Deposited","v":2,"cents":$.amount * 1000}"#, "upcast rule 3 on A to {}",
        ])
    }

    @Test("a wrong upcast command says what is wrong and changes nothing")
    func errors() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        _ = run(shell, output, "upcast " + moneyDeposited)
        let before = FlowScript.text(shell.flows)
        let errors = [
            ("upcast on X", "error: the upcaster at column 5: expected `when` or `to` after the event type, found the end of the rule"),
            (#"upcast on X to {"a": table("t", $.id)}"#, "error: the upcaster at column 15: in the template: an upcaster cannot look up a table: it reads only its event, so that replaying the log always gives the same events; carry the value in the event"),
            ("upcast on X to [1, 2]", #"error: the upcaster at column 9: the new shape must be a JSON object, as {"type":"Deposited.v2","cents":$.amount * 100}, but this one is an array"#),
            ("upcast remove 9", "error: there is no upcaster 9: the upcasters are 1"),
            ("upcast remove x", "error: `upcast remove` needs an upcaster's number, as `upcast list` shows them, not 'x'"),
            ("upcast replace 4 on A to {}", "error: there is no upcaster 4: the upcasters are 1"),
            ("upcast rule 1 on A to {}", "error: there is already an upcaster 1: `upcast replace 1 on …` changes it"),
            ("upcast try nope", "error: `upcast try` needs an event as JSON, e.g. {\"type\":\"MoneyDeposited\",\"amount\":2}: invalid JSON at byte 1: expected `null`, found `o`"),
            (#"upcast try {"type":"MoneyDeposited","account":"a-1","amount":"x"}"#, "error: upcaster 1: the template at column 79 (near `…:$.amount * 100}`): `*` needs two numbers, found a string and a number: a service would take such a record as poison, an aggregate or a projection as a failed record"),
        ]
        for (line, error) in errors {
            #expect(fail(shell, output, line) == error)
            #expect(FlowScript.text(shell.flows) == before, "\(line) changed the flows")
        }
    }

    @Test("help upcast teaches upcast on without sending the learner back to help upcast")
    func helpNamesNoItself() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        let help = run(shell, output, "help upcast").joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.contains("it must give a JSON object"))
        #expect(!help.contains("`help upcast`"), "\(help)")
    }

    @Test("a service created before or after an upcaster reacts to the upcast event")
    func service() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        #expect(shell.execute("topic create accounts; topic create cents; topic create more"))
        #expect(shell.execute(#"service create early --from accounts; service early on Deposited emit cents {"cents":$.cents}"#))
        #expect(shell.execute("upcast " + moneyDeposited))
        #expect(shell.execute(#"service create late --from accounts; service late on Deposited emit more {"cents":$.cents}"#))
        #expect(run(shell, output, #"publish accounts {"type":"MoneyDeposited","account":"a-1","amount":3}"#).suffix(2) == [
            "early ← accounts p0 @0 Deposited → cents p0 @0", "late ← accounts p0 @0 Deposited → more p0 @0",
        ])
        let values = try ["cents", "more"].map { try test.broker.read($0, partition: 0, from: 0, maxRecords: 5).map { String(decoding: $0.value ?? [], as: UTF8.self) } }
        #expect(values == [[#"{"cents":300}"#], [#"{"cents":300}"#]])
    }

    @Test("an upcaster failing inside an aggregate is named as what to fix, not the aggregate's rules")
    func failingInAggregate() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        #expect(shell.execute("topic create bank --retention forever"))
        #expect(shell.execute(#"aggregate create wallet --from bank --key key --init {"cents":0}"#))
        #expect(shell.execute("aggregate wallet on Credited set cents = state.cents + $.cents"))
        #expect(shell.execute(#"publish bank key=a {"type":"Credited","v":2,"cents":100}"#))
        #expect(shell.execute(#"upcast on Credited to {"type":"Credited","v":2,"cents":$.amount * 100}"#))
        #expect(run(shell, output, "aggregate rebuild wallet").contains(
            "warning: aggregate wallet could not fold bank p0 @0: upcaster 1: the template at column 49 (near `…2,\"cents\":$.amount * …`): the event has no field $.amount; that key's state stays as it was and wallet goes on; the upcaster fails, not a rule: fix it with `upcast replace 1 on …`, or give it a `when` that selects only the old shape, then `aggregate rebuild wallet`"))
        #expect(shell.execute(#"upcast replace 1 on Credited when default($.v, 1) == 1 to {"type":"Credited","v":2,"cents":$.amount * 100}"#))
        #expect(run(shell, output, "aggregate rebuild wallet").allSatisfy { !$0.hasPrefix("warning:") })
    }

    @Test("an upcaster typed over several lines while its JSON was open is listed and exported on one line")
    func typedOverLines() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        #expect(shell.execute("upcast on Debited to {\"type\":\"Debited\",  \n   \"v\":2, \"note\":\"a  b\"}"))
        let line = #"on Debited to {"type":"Debited", "v":2, "note":"a  b"}"#
        #expect(run(shell, output, "upcast list") == ["1. " + line])
        #expect(run(shell, output, "flow export").contains("upcast rule 1 " + line))
        #expect(run(shell, output, #"upcast try {"type":"Debited"}"#) == [#"upcaster 1: {"type":"Debited","v":2,"note":"a  b"}"#])
    }

    @Test("a service's, an aggregate's and a projection's rule typed over several lines is kept on one line as an upcaster is")
    func rulesTypedOverLines() throws {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        for line in ["topic create orders", "topic create bills", "service create billing --from orders",
                     "aggregate create customer --from orders --key $.customer --init {\"n\":0}",
                     "projection create names --from orders"] {
            #expect(shell.execute(line), "\(output.text)")
        }
        #expect(shell.execute("service billing on Placed emit bills {\"id\":$.id,  \n      \"note\":\"a  b\"}"))
        #expect(shell.execute("aggregate customer on Placed set n = state.n + 1,  \n      note = \"a  b\""))
        #expect(shell.execute("projection names on Placed put $.id = {\"note\":\"a  b\",\n    \"id\":$.id}"))
        let export = run(shell, output, "flow export")
        #expect(export.contains(#"service billing rule 1 on Placed emit bills {"id":$.id, "note":"a  b"}"#), "\(export)")
        #expect(export.contains(#"aggregate customer rule 1 on Placed set n = state.n + 1, note = "a  b""#), "\(export)")
        #expect(export.contains(#"projection names rule 1 on Placed put $.id = {"note":"a  b", "id":$.id}"#), "\(export)")
    }

    @Test("Tab completes upcast's words and the numbers of the upcasters there are")
    func completion() throws {
        var flows = Flows()
        let upcaster = try Upcaster("on A to {}")
        try flows.changeUpcasters { upcasters throws(UpcastError) in try upcasters.add(upcaster, number: 4) }
        let completer = Completer(broker: try Broker(), flows: { [flows] in flows })
        #expect(completer.complete("upcast re").candidates == ["remove", "replace"])
        #expect(completer.complete("upcast remove ").candidates == ["4"])
    }

    @Test("upcasters and their numbering survive a restart of a workspace on disk, and the services read through them")
    func restart() throws {
        let session = try TranscriptSession(settings: TranscriptSettings(), onDisk: true, opener: DiskTranscriptWorkspace.opener)
        defer { session.close() }
        #expect(session.shell.execute("topic create accounts; topic create cents"))
        #expect(session.shell.execute("upcast " + moneyDeposited + "; upcast on A to {}; upcast on B to {}; upcast remove 3"))
        #expect(session.shell.execute(#"service create mirror --from accounts; service mirror on Deposited emit cents {"cents":$.cents}"#))
        try session.restart()
        #expect(session.shell.flows.upcasters.lines == ["1. " + moneyDeposited, "2. on A to {}"])
        #expect(session.shell.flows.services["mirror"]?.service.upcasters.lines == session.shell.flows.upcasters.lines)
        #expect(session.shell.execute(#"upcast on C to {}; publish accounts {"type":"MoneyDeposited","account":"a-1","amount":1}"#))
        #expect(session.shell.flows.upcasters.all.map(\.number) == [1, 2, 4])
        let emitted = try session.shell.broker.read("cents", partition: 0, from: 0, maxRecords: 5)
        #expect(emitted.map { String(decoding: $0.value ?? [], as: UTF8.self) } == [#"{"cents":100}"#])
    }
}
