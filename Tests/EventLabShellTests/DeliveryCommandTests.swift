import EventLabCore
import EventLabPatterns
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("service crash and --dedupe")
struct DeliveryCommandTests {
    /// A shell on the logical clock with orders, payments and billing emitting a payment per order.
    private func shell(_ create: String = "service create billing --from orders") throws -> (Shell, CapturedOutput) {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(.memory).0, logicalClock: nil, output: output)
        for command in [
            "topic create orders", "topic create payments", create,
            #"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id}"#,
        ] {
            #expect(shell.execute(command), "\(output.lines)")
        }
        output.clear()
        return (shell, output)
    }

    private func order(_ id: String) -> String { #"publish orders {"type":"OrderPlaced","id":"\#(id)"}"# }

    @Test("a crash before the commit says it will duplicate the record, stops billing as crashed, and a start handles it again")
    func beforeCommit() throws {
        let (shell, output) = try shell()
        #expect(shell.execute("service crash billing --before-commit"))
        #expect(output.lines == ["service billing will crash before committing its offset on its next record: it commits after handling, so the record will be handled but not committed, and `service start billing` handles it again: a duplicate (at-least-once)"])
        output.clear()
        #expect(shell.execute(order("o-1")))
        #expect(output.lines.contains("billing ← orders p0 @0 OrderPlaced → payments p0 @0 PaymentRequested ✗ then crashed before committing its offset"), "\(output.lines)")
        #expect(output.errors.last?.contains("service billing crashed at orders p0 @0 before committing its offset: its emissions were produced but its offset was not committed") == true, "\(output.errors)")
        output.clear()
        #expect(shell.execute("service list"))
        #expect(output.lines.last?.contains("crashed") == true, "\(output.lines)")
        output.clear()
        #expect(shell.execute("service start billing"))
        #expect(output.lines.first == "service billing started: it handles orders p0 @0 again, the record it crashed on before committing it: a duplicate (at-least-once)")
        #expect(output.lines.last == "billing ← orders p0 @0 OrderPlaced → payments p0 @1 PaymentRequested")
    }

    @Test("a crash after the commit under commit before says it will lose the record, and the trace says it was not handled")
    func afterCommit() throws {
        let (shell, output) = try shell("service create billing --from orders --commit before")
        #expect(shell.execute("service crash billing --after-commit"))
        #expect(output.lines.last?.hasSuffix("reads on after it: a loss (at-most-once)") == true, "\(output.lines)")
        #expect(shell.execute(order("o-1")))
        #expect(output.lines.contains("billing ← orders p0 @0 ✗ crashed after committing its offset, before handling it"), "\(output.lines)")
        output.clear()
        #expect(shell.execute("service describe billing"))
        #expect(output.lines.contains { $0.hasPrefix("  state: service billing crashed at orders p0 @0 after committing its offset") }, "\(output.lines)")
        output.clear()
        #expect(shell.execute("service start billing"))
        #expect(output.lines == ["service billing started: it reads on after orders p0 @0, the record it crashed on after committing it: that record is never handled (at-most-once)"])
    }

    @Test("service start on a service crashed with nothing lost says where it goes on", arguments: [("after", "--after-commit"), ("before", "--before-commit")])
    func startAfterHarmlessCrash(commit: String, point: String) throws {
        let (shell, output) = try shell("service create billing --from orders --commit \(commit)")
        #expect(shell.execute("service crash billing \(point)"))
        #expect(shell.execute(order("o-1")))
        output.clear()
        #expect(shell.execute("service start billing"))
        #expect(output.lines.first == (commit == "after"
            ? "service billing started: it reads on after orders p0 @0, the record it crashed on once it was handled and committed: nothing lost, nothing twice"
            : "service billing started: it handles orders p0 @0, the record it crashed on before committing it: once, nothing lost, nothing twice"), "\(output.lines)")
    }

    @Test("service start on a poisoned service says it tries the poison record again, or, committed before, that it goes on after it", arguments: ["after", "before"])
    func startPoisoned(commit: String) throws {
        let (shell, output) = try shell("service create billing --from orders --commit \(commit)")
        #expect(shell.execute(#"service billing on Refund emit payments {"cents":$.total * 100}"#))
        #expect(shell.execute(#"publish orders {"type":"Refund","total":"lots"}"#))
        #expect(output.lines.last?.hasPrefix("warning: service billing stopped at orders p0 @0") == true, "\(output.lines)")
        output.clear()
        #expect(shell.execute("service start billing"))
        if commit == "after" {
            #expect(output.lines.first == "service billing started: it tries orders p0 @0 again, where it stopped on a poison record; `service skip billing` goes past it")
            #expect(output.lines.last?.hasPrefix("warning: service billing stopped at orders p0 @0") == true, "tried again, it stops there again: \(output.lines)")
        } else {
            #expect(output.lines == ["service billing started: it reads on after orders p0 @0, the poison record it stopped on: it had committed it before handling it (commit before), so that record is lost"])
        }
        #expect(shell.execute("service stop billing"))
        output.clear()
        #expect(shell.execute("service start billing"))
        // Stopped by hand, a service keeps where it stopped on its own: the poison record still waits.
        #expect(output.lines.first == (commit == "after"
            ? "service billing started: it tries orders p0 @0 again, where it stopped on a poison record; `service skip billing` goes past it"
            : "service billing started: it reads on from its committed offset"))
    }

    @Test("service start after a group reset moved its offset says where it reads, not the record it stopped on")
    func startAfterReset() throws {
        let (shell, output) = try shell()
        #expect(shell.execute(#"service billing on Refund emit payments {"cents":$.total * 100}"#))
        #expect(shell.execute(#"publish orders {"type":"Refund","total":"lots"}"#))
        #expect(shell.execute(order("o-1")))
        #expect(shell.execute("service stop billing"))
        #expect(shell.execute("group reset billing --topic orders --to latest --execute"))
        output.clear()
        #expect(shell.execute("service start billing"))
        #expect(output.lines == ["service billing started: it reads on from its committed offset, orders p0 @2: its group's offset was moved since it stopped at orders p0 @0"])
    }

    @Test("service describe shows a crash armed, which a reopened workspace does not keep")
    func armed() throws {
        let (shell, output) = try shell()
        let before = FlowScript.text(shell.flows)
        #expect(shell.execute("service crash billing --after-commit"))
        #expect(FlowScript.text(shell.flows) == before)
        output.clear()
        #expect(shell.execute("service describe billing"))
        #expect(output.lines.contains("  armed: a crash after committing its offset on its next record"), "\(output.lines)")
    }

    @Test("service crash refuses an unknown service, and needs exactly one of its two flags")
    func crashErrors() throws {
        let (shell, output) = try shell()
        #expect(!shell.execute("service crash nobody --before-commit"))
        #expect(output.errors.last?.contains("there is no service named nobody: the services are billing") == true, "\(output.errors)")
        #expect(!shell.execute("service crash billing"))
        #expect(output.errors.last?.contains("`service crash` needs --before-commit or --after-commit") == true, "\(output.errors)")
        #expect(!shell.execute("service crash billing --before-commit --after-commit"))
        #expect(output.errors.last?.contains("give --before-commit or --after-commit, not both") == true, "\(output.errors)")
    }

    @Test("--dedupe creates the service's compacted topic and skips a record whose id it handled")
    func dedupe() throws {
        let (shell, output) = try shell("service create billing --from orders --dedupe $.id")
        #expect(try shell.broker.describeTopic("billing-dedupe").config.cleanupPolicy == .compact)
        #expect(shell.execute(order("o-1")))
        output.clear()
        #expect(shell.execute(order("o-1")))
        #expect(output.lines.last == "billing ← orders p0 @1 OrderPlaced (duplicate o-1, skipped)", "\(output.lines)")
        output.clear()
        #expect(shell.execute("service describe billing"))
        #expect(output.lines.contains("  dedupe: skips a record whose $.id it has handled, remembered in billing-dedupe"), "\(output.lines)")
        #expect(output.lines.contains("  this session: read 2, emitted 1, skipped 0, dead-lettered 0, duplicates 1"), "\(output.lines)")
        // Kafka's words for where the group stands: a committed offset is the next record to read.
        #expect(output.lines.contains("  position: orders p0 committed offset 2, log-end offset 2, lag 0"), "\(output.lines)")
    }

    @Test("a deduplicating service crashed before its commit is said to skip the replay, and started again it does")
    func dedupeCrash() throws {
        let (shell, output) = try shell("service create billing --from orders --dedupe $.id")
        #expect(shell.execute("service crash billing --before-commit"))
        #expect(shell.execute(order("o-1")))
        #expect(output.lines.last?.hasSuffix("its emissions were produced and its $.id remembered, but its offset was not committed, so started again it reads the record again and its dedupe skips it: nothing twice (commit after with dedupe is an idempotent consumer); `service start billing` starts it again") == true, "\(output.lines)")
        output.clear()
        #expect(shell.execute("service start billing"))
        #expect(output.lines == [
            "service billing started: it reads orders p0 @0 again, the record it crashed on before committing it, and its dedupe on $.id skips it: handled once",
            "billing ← orders p0 @0 OrderPlaced (duplicate o-1, skipped)",
        ])
    }

    @Test("a deduplicating service remembers every record it read, so a rule added later never runs over them after a reset, as the rule's note says")
    func dedupeRemembersUnmatched() throws {
        let (shell, output) = try shell("service create billing --from orders --dedupe $.id")
        #expect(shell.execute(order("o-1")))
        #expect(shell.execute(#"publish orders {"type":"Refunded","id":"o-2"}"#))
        output.clear()
        #expect(shell.execute(#"service billing on Refunded emit payments {"type":"RefundIssued","order":$.id}"#))
        #expect(output.lines.last?.hasSuffix("billing remembers the id of every record it has read with --dedupe, matched by a rule or not, and a group reset would skip those as duplicates: this rule runs over the records it has not read yet") == true, "\(output.lines)")
        for line in ["service stop billing", "group reset billing --all-topics --to earliest --execute", "service start billing"] {
            #expect(shell.execute(line), "\(output.lines)")
        }
        #expect(output.lines.contains("billing ← orders p0 @1 Refunded (duplicate o-2, skipped)"), "\(output.lines)")
    }

    @Test("--dedupe says where its expression does not parse")
    func dedupeSyntax() throws {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(.memory).0, logicalClock: nil, output: output)
        #expect(shell.execute("topic create orders"))
        #expect(!shell.execute("service create billing --from orders --dedupe '$.id +'"))
        #expect(output.errors.last?.contains("--dedupe '$.id +' does not parse at column ") == true, "\(output.errors)")
        #expect(shell.flows.services.isEmpty)
        #expect((try? shell.broker.describeTopic("billing-dedupe")) == nil)
    }

    @Test("a dedupe expression is exported quoted, and its line builds the same service", arguments: ["$.id", #"$.order + "/" + $.id"#, #"$.id + "'s\\""#])
    func exported(expression: String) throws {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(.memory).0, logicalClock: nil, output: output)
        #expect(shell.execute("topic create orders"))
        #expect(shell.execute(#"service create billing --from orders --dedupe "\#(expression.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))""#), "\(output.lines)")
        let text = FlowScript.text(shell.flows)
        let again = Shell(broker: makeBroker(.memory).0, logicalClock: nil, output: output)
        #expect(again.execute("topic create orders"))
        for line in text.split(separator: "\n") where !line.hasPrefix("#") { #expect(again.execute(String(line)), "\(output.lines)") }
        #expect(FlowScript.text(again.flows) == text)
        #expect(again.flows.services["billing"]?.service.dedupe?.source == expression)
    }
}
