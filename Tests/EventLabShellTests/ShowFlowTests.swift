import EventLabCore
import EventLabPatterns
@testable import EventLabShell
import EventLabTestSupport
import Testing

@Suite("show flow: the live services, tables, calls and dead letters as one picture")
struct ShowFlowTests {
    /// A shell on `backend` that has run `commands`, each expected to succeed.
    private static func shell(_ backend: Backend, _ commands: [String], width: Int = 80) throws -> (Shell, CapturedOutput, TestBroker) {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: width)
        for command in commands {
            #expect(shell.execute(command), "\(command): \(output.text)")
        }
        output.clear()
        return (shell, output, test)
    }

    /// What the shell printed, a line at a time: a picture is said as one text.
    private static func lines(_ output: CapturedOutput) -> [String] {
        output.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Billing calls customers for each order and dead-letters what it cannot handle; audit is
    /// stopped before it reads; customers is stopped after one call, so billing waits at o-3.
    static let story = [
        "topic create orders", "topic create payments", "topic create customer-events", "topic create billing-dlq",
        "topic create audit-log",
        "service create customers --from customer-events",
        "service customers answers tier(id) = upper(id)",
        "service create billing --from orders --dead-letter billing-dlq",
        #"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id,"tier":call customers.tier($.id)} key=$.id"#,
        "service create audit --from orders",
        #"service audit on OrderPlaced emit audit-log {"type":"Seen","order":$.id}"#,
        "service stop audit",
        #"publish orders key=o-1 {"type":"OrderPlaced","id":"o-1"}"#,
        #"publish orders key=o-2 {"type":"OrderPlaced"}"#,
        "service stop customers",
        #"publish orders key=o-3 {"type":"OrderPlaced","id":"o-3"}"#,
    ]

    @Test("the model has each service's state, lag per source, counts, dead letters and calls with failures", arguments: Backend.allCases)
    func model(backend: Backend) throws {
        let (shell, _, test) = try Self.shell(backend, Self.story)
        try shell.changeFlows { try $0.add(Table(name: "customer-view", topic: "customer-events")) }
        let model = FlowSnapshot.model(shell.flows, broker: test.broker)
        #expect(model.topics == ["audit-log", "billing-dlq", "customer-events", "orders", "payments"])
        let services = Dictionary(uniqueKeysWithValues: model.services.map { ($0.name, $0) })
        let billing = try #require(services["billing"])
        #expect(billing.state == .waiting(topic: "orders", partition: 0, offset: 2))
        #expect(billing.lag == ["orders": 1])
        #expect(billing.writes == ["payments"])
        #expect(billing.deadLetter == "billing-dlq")
        #expect(billing.deadLettered == 1)
        // o-1 emitted a payment and o-2 went to the dead letters: out counts the rules' records.
        #expect(billing.emitted == 1)
        // Audit never committed: all of orders is its lag.
        #expect(services["audit"]?.state == .stopped)
        #expect(services["audit"]?.lag == ["orders": 3])
        #expect(services["customers"]?.state == .stopped)
        #expect(services["customers"]?.lag == ["customer-events": 0])
        let calls = try #require(model.calls.first)
        #expect(model.calls.count == 1)
        #expect(calls.from == "billing" && calls.to == "customers")
        // One call answered for o-1; o-3's call failed at least once (each command retries it).
        #expect(calls.failed >= 1 && calls.count == calls.failed + 1)
        #expect(model.tables == [FlowModel.Table(name: "customer-view", topic: "customer-events", behind: 0)])
    }

    @Test("every call counts, each try again of the record a caller waits at one more failed call")
    func everyTryIsACall() throws {
        let (shell, _, test) = try Self.shell(.memory, Self.story)
        func calls() throws -> (Int64, Int64) {
            let call = try #require(FlowSnapshot.model(shell.flows, broker: test.broker).calls.first)
            return (call.count, call.failed)
        }
        // o-1's call was answered; o-3's failed once, in the drain after its publish.
        #expect(try calls() == (2, 1))
        // Billing tries o-3 again after each command, and each try fails while customers is stopped.
        #expect(shell.execute("service list"))
        #expect(shell.execute("topic list"))
        #expect(try calls() == (4, 3))
        // Started again, customers answers the next try: one more call, none failed.
        #expect(shell.execute("service start customers"))
        #expect(try calls() == (5, 3))
    }

    @Test("a table shows how many records of its topic it has not read, and the services looking values up in it")
    func tableBehind() throws {
        let (shell, output, _) = try Self.shell(.memory, [
            "topic create customers --partitions 2", "topic create orders", "topic create shipments", "service create shipping --from orders",
            #"service shipping on OrderPlaced emit shipments {"to":table("customer-view", $.customer).address}"#,
            "flow manual",
        ])
        try shell.changeFlows { try $0.add(Table(name: "customer-view", topic: "customers")) }
        #expect(shell.execute(#"publish customers key=c-1 {"name":"Ada"}"#))
        #expect(shell.execute(#"publish customers key=c-2 {"name":"Bo"}"#))
        output.clear()
        #expect(shell.execute("show flow"))
        #expect(Self.lines(output).contains("customers ══▶ table customer-view (2 behind) ──▶ shipping"))
    }

    @Test("show flow draws the story at width 80 with the waiting caller, its failed calls and the dead letter")
    func picture() throws {
        let (shell, output, _) = try Self.shell(.memory, Self.story)
        #expect(shell.execute("show flow"))
        let lines = Self.lines(output)
        #expect(lines.contains("customer-events ──▶ customers (lag 0, stopped)"))
        #expect(lines.contains("orders ──▶ audit (lag 3, stopped) ──▶ audit-log"))
        #expect(lines.contains("orders ──▶ billing (lag 1, waiting at orders p0 @2, 2 in, 1 out) ──▶ payments"))
        #expect(lines.contains("  └─✗▶ billing-dlq (1 dead)"))
        #expect(lines.contains { $0.hasPrefix("billing ··▶ customers (") && $0.hasSuffix("failed)") && !$0.hasSuffix(" 0 failed)") })
        #expect(lines.last == "legend: ──▶ reads/writes ··▶ calls └─✗▶ dead letters")
        #expect(lines.allSatisfy { $0.count <= 80 })
    }

    @Test("no line passes the width at 40 or 200", arguments: [40, 200])
    func widths(width: Int) throws {
        let (shell, output, _) = try Self.shell(.memory, Self.story, width: width)
        #expect(shell.execute("show flow"))
        #expect(Self.lines(output).count > 3)
        #expect(Self.lines(output).allSatisfy { $0.count <= width })
    }

    @Test("the upcasters in force get one line, for every reader reads through them")
    func upcasters() throws {
        let (shell, output, _) = try Self.shell(.memory, [
            "topic create bank --retention forever", "aggregate create wallet --from bank --key key",
            #"upcast on Credited to {"type":"Credited","v":2}"#,
        ])
        #expect(shell.execute("show flow"))
        #expect(Self.lines(output) == [
            "bank ━━▶ aggregate wallet (0 keys, 0 events, up to date)",
            "upcasters: 1 on Credited (services, aggregates and projections read through it)",
            "",
            "legend: ──▶ reads/writes ━━▶ folds",
        ])
        output.clear()
        #expect(shell.execute(#"upcast on Debited to {"type":"Debited","v":2}; upcast remove 1; show flow"#))
        #expect(Self.lines(output).contains("upcasters: 2 on Debited (services, aggregates and projections read through it)"))
    }

    @Test("with nothing built it says how to start")
    func empty() throws {
        let (shell, output, _) = try Self.shell(.memory, ["topic create orders"])
        #expect(shell.execute("show flow"))
        #expect(Self.lines(output) == ["no services or tables yet: `service create NAME --from TOPIC` starts one"])
    }

    @Test("a topic called flow: `show flow` draws the flows and says how to draw the topic")
    func topicCalledFlow() throws {
        let (shell, output, _) = try Self.shell(.memory, ["topic create flow", "publish flow x"])
        #expect(shell.execute("show flow"))
        #expect(Self.lines(output).last == "(a topic called 'flow' is drawn by `show topic flow`)")
        output.clear()
        #expect(shell.execute("show topic flow"))
        #expect(Self.lines(output).first == "flow · 1 partition · cleanup delete · retention 7d")
    }

    @Test("show topic draws a service among the groups, at the log start before it has committed")
    func showTopicServices() throws {
        let (shell, output, _) = try Self.shell(.memory, [
            "topic create orders", "service create billing --from orders", "service create audit --from orders",
            "service stop audit", #"publish orders key=o-1 {"type":"OrderPlaced"}"#, #"publish orders key=o-2 {"type":"OrderPlaced"}"#,
        ])
        #expect(shell.execute("show topic orders"))
        #expect(Self.lines(output).contains { $0.contains("▲audit lag 2") })
        // billing has no rule, so it has read nothing either.
        #expect(Self.lines(output).contains { $0.contains("▲billing lag 2") })
    }

    @Test("help show flow explains how to read each mark of the picture")
    func help() throws {
        let (shell, output, _) = try Self.shell(.memory, [])
        #expect(shell.execute("help show flow"))
        let text = Self.lines(output).joined(separator: " ")
        for mark in ["──▶", "waiting", "poisoned", "stopped", "└─✗▶", "══▶", "··▶", "lag"] {
            #expect(text.contains(mark), "\(mark)")
        }
    }
}
