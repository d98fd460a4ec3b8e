import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

/// What a new user is told when a definition names what is not there, when a deletion breaks a
/// flow, and when a name or a value is refused.
@Suite("flow warnings and refusals a new user meets")
struct FlowWarningsTests {
    /// A shell on the logical clock with orders, payments and customers, and billing reading orders.
    private func shell() -> (Shell, CapturedOutput) {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(.memory).0, logicalClock: nil, output: output)
        for command in ["topic create orders", "topic create payments", "topic create customers", "service create billing --from orders"] {
            #expect(shell.execute(command), "\(output.lines)")
        }
        output.clear()
        return (shell, output)
    }

    /// Runs `line`, expecting it to succeed, and returns its warnings.
    private func warnings(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> [String] {
        output.clear()
        #expect(shell.execute(line), "\(line): \(output.lines)")
        return output.errors
    }

    @Test("a rule calling a missing service or query, or looking up a missing table, is kept with a warning")
    func ruleWarnings() {
        let (shell, output) = shell()
        let rule = #"service billing on OrderPlaced emit payments {"a": call crm.address($.id), "b": table("customer-view", $.id)}"#
        #expect(warnings(shell, output, rule) == [
            "warning: rule 1 of service billing calls `crm.address`, but there is no service crm: create it and give it `answers address(PARAM) = EXPR`; until then, a record that reaches it fails as a poison record",
            "warning: rule 1 of service billing looks up table customer-view, but there is no such table: `table create customer-view --from TOPIC` builds it; until then, a record that reaches it fails as a poison record",
        ])
        #expect(output.lines.first?.hasPrefix("rule 1 added to service billing") == true)
        #expect(shell.execute("service create crm --from customers; table create customer-view --from customers"))
        let replace = #"service billing replace 1 on OrderPlaced emit payments {"a": call crm.address($.id), "b": table("customer-view", $.id)}"#
        #expect(warnings(shell, output, replace) == [
            "warning: rule 1 of service billing calls `crm.address`, but service crm answers no queries: give it `service crm answers address(PARAM) = EXPR`; until then, a record that reaches it fails as a poison record",
        ])
        #expect(shell.execute("service crm answers address(id) = id"))
        #expect(warnings(shell, output, replace) == [])
        #expect(warnings(shell, output, #"service billing on X emit payments call crm.name($.id)"#) == [
            "warning: rule 2 of service billing calls `crm.name`, but service crm answers `address`: give it `service crm answers name(PARAM) = EXPR`; until then, a record that reaches it fails as a poison record",
        ])
        #expect(shell.execute("flow export"))
        #expect(output.text.contains("service billing rule 2 on X emit payments call crm.name($.id)"), "\(output.lines)")
    }

    @Test("a call or lookup close to one that exists is taken for a slip: the warning asks first whether the rule meant it")
    func misspeltNames() {
        let (shell, output) = shell()
        #expect(shell.execute("service create crm --from customers; service crm answers address(id) = id; table create customer-view --from customers"))
        let rule = #"service billing on OrderPlaced emit payments {"a": call crm.adress($.id), "b": call crn.address($.id), "c": table("customer-veiw", $.id)}"#
        #expect(warnings(shell, output, rule) == [
            "warning: rule 1 of service billing calls `crm.adress`, but service crm answers `address`: did you mean address? then `service billing replace 1 on …` mends the rule; else give it `service crm answers adress(PARAM) = EXPR`; until then, a record that reaches it fails as a poison record",
            "warning: rule 1 of service billing calls `crn.address`, but there is no service crn: did you mean crm? then `service billing replace 1 on …` mends the rule; else create it and give it `answers address(PARAM) = EXPR`; until then, a record that reaches it fails as a poison record",
            "warning: rule 1 of service billing looks up table customer-veiw, but there is no such table: did you mean customer-view? then `service billing replace 1 on …` mends the rule; else `table create customer-veiw --from TOPIC` builds it; until then, a record that reaches it fails as a poison record",
        ])
    }

    @Test("a misspelt service command is suggested, two letters swapped included; a word after a service's name that is no rule is said to be none")
    func misspeltCommand() {
        let (shell, output) = shell()
        #expect(!shell.execute("service strat"))
        #expect(output.errors.last?.contains("'service strat' is not a command (did you mean 'start'?)") == true, "\(output.errors)")
        #expect(!shell.execute("service billing emit payments {}"))
        #expect(output.errors.last?.contains("'emit' after `service billing` is not a rule") == true, "\(output.errors)")
    }

    @Test("a publish to a topic a service without rules reads says the service waits for a rule")
    func serviceWithoutRules() {
        let (shell, output) = shell()
        #expect(shell.execute(#"publish orders {"type":"OrderPlaced"}"#))
        #expect(output.lines.last == "(service billing reads orders but has no rules yet, so it waits: give it one with `service billing on TYPE emit TOPIC TEMPLATE`)", "\(output.lines)")
        output.clear()
        #expect(shell.execute(#"publish payments {"type":"Paid"}"#))
        #expect(!output.lines.contains { $0.contains("no rules yet") }, "\(output.lines)")
        #expect(shell.execute("service stop billing"))
        output.clear()
        #expect(shell.execute(#"publish orders {"type":"OrderPlaced"}"#))
        #expect(!output.lines.contains { $0.contains("no rules yet") }, "\(output.lines)")
    }

    @Test("a dead-letter topic that does not exist is refused with how to make it, and nothing is created")
    func missingDeadLetterTopic() {
        let (shell, output) = shell()
        #expect(!shell.execute("service create audit --from orders --dead-letter audit-dlq"))
        #expect(output.errors.last?.contains("the dead-letter topic audit-dlq does not exist: `topic create audit-dlq` makes it, then create the service") == true, "\(output.errors)")
        #expect(shell.flows.services["audit"] == nil)
    }

    @Test("--from naming a topic twice is refused")
    func sourceTwice() {
        let (shell, output) = shell()
        #expect(!shell.execute("service create shipping --from orders,payments,orders"))
        #expect(output.errors == ["error: --from 'orders,payments,orders' names orders twice: a service reads each topic once"])
    }

    @Test("topic delete says which services and tables it leaves waiting or stopped, and still deletes")
    func topicDelete() {
        let (shell, output) = shell()
        #expect(shell.execute(#"service billing on OrderPlaced emit payments $; service billing on OrderPaid emit payments $"#))
        #expect(shell.execute("table create customer-view --from customers; flow manual"))
        #expect(warnings(shell, output, "topic delete orders") == [
            "warning: service billing reads orders: it waits, reading nothing from it, until a topic orders is created again",
        ])
        #expect(output.lines.first == "deleted topic orders")
        #expect(warnings(shell, output, "topic delete payments") == [
            "warning: service billing emits to payments (rules 1, 2): it stops at the next record such a rule reacts to, until a topic payments is created again",
        ])
        #expect(warnings(shell, output, "topic delete customers") == [
            "warning: table customer-view copies customers: it keeps the values it has and reads nothing new, until a topic customers is created again",
        ])
        #expect(!shell.execute("topic describe customers"))
        #expect(warnings(shell, output, "topic create scratch; topic delete scratch") == [])
    }

    @Test("service delete says which other services' rules call it")
    func serviceDelete() {
        let (shell, output) = shell()
        #expect(shell.execute("service create crm --from customers; service crm answers address(id) = id"))
        #expect(shell.execute(#"service billing on OrderPlaced emit payments {"a": call crm.address($.id)}; service billing on X emit payments $"#))
        #expect(warnings(shell, output, "service delete crm") == [
            "warning: rule 1 of service billing calls `crm.address`: a record that reaches the call fails as a poison record until a service crm answers it again",
        ])
        #expect(warnings(shell, output, "service delete billing") == [])
    }

    @Test("a rule added to a service that has read nothing yet applies to every record, and says nothing of older ones")
    func firstRule() {
        let (shell, output) = shell()
        #expect(shell.execute(#"publish orders {"type":"OrderPlaced","id":"o-1"}"#))
        output.clear()
        #expect(shell.execute("service billing on OrderPlaced emit payments $"))
        #expect(output.lines == [
            "rule 1 added to service billing; billing has read nothing yet, so the rule applies to every record, from the earliest offset",
            #"billing ← orders p0 @0 OrderPlaced → payments p0 @0 OrderPlaced"#,
        ])
        output.clear()
        #expect(shell.execute("service billing on Refunded emit payments $"))
        #expect(output.lines.first?.hasPrefix("rule 2 added to service billing; it applies from billing's current position (orders p0 @1); to run it over older records, stop it") == true, "\(output.lines)")
    }

    @Test("a rule added to a deduplicating service says a reset replays skipped duplicates, not the rule")
    func dedupeHint() {
        let (shell, output) = shell()
        #expect(shell.execute("service create invoicing --from orders --dedupe $.id; service invoicing on OrderPlaced emit payments $"))
        #expect(shell.execute(#"publish orders {"type":"OrderPlaced","id":"o-1"}"#))
        output.clear()
        #expect(shell.execute("service invoicing on Refunded emit payments $"))
        #expect(output.lines == [
            "rule 2 added to service invoicing; it applies from invoicing's current position (orders p0 @1); invoicing remembers the id of every record it has read with --dedupe, matched by a rule or not, and a group reset would skip those as duplicates: this rule runs over the records it has not read yet",
        ])
    }

    @Test("a name past 249 characters is refused for its length, not its letters")
    func longNames() {
        let (shell, output) = shell()
        let long = String(repeating: "a", count: 250)
        let shown = String(repeating: "a", count: 40) + "…"
        #expect(!shell.execute("service create \(long) --from orders"))
        #expect(output.errors.last == "error: '\(shown)' cannot name a service: it is 250 characters long, and the limit is 249")
        #expect(!shell.execute("table create \(long) --from customers"))
        #expect(output.errors.last == "error: '\(shown)' cannot name a table: it is 250 characters long, and the limit is 249")
        #expect(!shell.execute("service create .. --from orders"))
        #expect(output.errors.last == "error: '..' cannot name a service: '.' and '..' are reserved")
        #expect(shell.execute("service create \(String(repeating: "a", count: 249)) --from orders"))
    }

    @Test("publish of invalid JSON says where and why in EventLab's words")
    func invalidJSON() {
        let (shell, output) = shell()
        #expect(!shell.execute("publish orders {bad}"))
        #expect(!shell.execute(#"publish orders {"a":}"#))
        #expect(output.errors == [
            "error: the value starts like JSON but is not valid JSON (at byte 1: expected a member name in double quotes, found `b`): {bad}; check quotes, commas and braces",
            #"error: the value starts like JSON but is not valid JSON (at byte 5: expected a value, found `}`): {"a":}; check quotes, commas and braces"#,
        ])
    }
}
