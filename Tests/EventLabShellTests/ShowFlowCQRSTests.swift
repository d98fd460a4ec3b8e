import EventLabCore
import EventLabPatterns
@testable import EventLabShell
import EventLabTestSupport
import Testing

@Suite("show flow and step with aggregates, commands and projections: the CQRS loop")
struct ShowFlowCQRSTests {
    /// An account aggregate with two commands, an async projection and an inline one, and a
    /// service reading the same topic.
    static let loop = [
        "topic create accounts --retention forever", "topic create audit-log",
        #"aggregate create account --from accounts --key $.account --init {"balance":0}"#,
        "aggregate account on Deposited set balance = state.balance + $.amount",
        "aggregate account on Withdrawn set balance = state.balance - $.amount",
        #"command deposit --aggregate account emit accounts {"type":"Deposited","account":$.account,"amount":$.amount}"#,
        #"command withdraw --aggregate account when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount} else reject "insufficient funds""#,
        "projection create balances --from accounts",
        "projection balances on Deposited sum $.amount by $.account",
        "projection balances on Withdrawn sum -$.amount by $.account",
        "projection create movements --from accounts --inline",
        "projection movements on Deposited count by $.account",
        "service create auditor --from accounts",
        #"service auditor on Withdrawn emit audit-log {"type":"Audited","account":$.account}"#,
    ]

    private static func shell(_ commands: [String], width: Int = 80) throws -> (Shell, CapturedOutput, TestBroker) {
        let test = try TestBroker(.memory)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: width)
        for command in commands {
            #expect(shell.execute(command), "\(command): \(output.text)")
        }
        output.clear()
        return (shell, output, test)
    }

    /// What `line` printed, a line at a time.
    private static func run(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> [String] {
        output.clear()
        #expect(shell.execute(line), "\(line): \(output.text)")
        return output.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test("the model holds each aggregate's keys, events and lag, each command's aggregate and topic, each projection's lag, rows and state")
    func model() throws {
        let (shell, _, test) = try Self.shell(Self.loop + [
            #"send deposit {"account":"a-1","amount":100}"#, "projection pause balances",
            #"send withdraw {"account":"a-1","amount":30}"#, "aggregate snapshot account",
        ])
        let model = FlowSnapshot.model(shell.flows, broker: test.broker)
        #expect(model.aggregates == [FlowModel.Aggregate(name: "account", topic: "accounts", keys: 1, events: 2, behind: 0, snapshots: "account-snapshots")])
        #expect(model.commands == [
            FlowModel.Command(name: "deposit", aggregate: "account", writes: ["accounts"]),
            FlowModel.Command(name: "withdraw", aggregate: "account", writes: ["accounts"]),
        ])
        #expect(model.projections == [
            FlowModel.Projection(name: "balances", reads: ["accounts"], lag: ["accounts": 1], rows: 1, isRunning: false),
            FlowModel.Projection(name: "movements", reads: ["accounts"], lag: ["accounts": 0], rows: 1, isInline: true),
        ])
    }

    @Test("an aggregate shows no snapshot topic until it has one or makes them")
    func noSnapshots() throws {
        let (shell, _, test) = try Self.shell(Self.loop)
        #expect(FlowSnapshot.model(shell.flows, broker: test.broker).aggregates.first?.snapshots == nil)
    }

    @Test("under manual flow a command's events reach the service, then the projection, one record a step, and show flow's lag shrinks")
    func steps() throws {
        let (shell, output, _) = try Self.shell(Self.loop + ["flow manual"])
        // send validates and appends; the inline projection catches up, nothing else moves.
        #expect(Self.run(shell, output, #"send deposit {"account":"a-1","amount":100}"#) == [
            "appended accounts p0 @0 Deposited", #"account a-1 is at version 1: {"balance":100}"#,
            "(flow manual: aggregate account folds these events at the next `step`; until then `state account a-1` finds no key a-1)",
            "movements ← accounts p0 @0 Deposited → count a-1",
        ])
        #expect(Self.run(shell, output, #"send withdraw {"account":"a-1","amount":30}"#).first == "appended accounts p0 @1 Withdrawn")
        func flow() -> [String] { Self.run(shell, output, "show flow") }
        var picture = flow()
        #expect(picture.contains("accounts ──▶ auditor (lag 2) ──▶ audit-log"))
        #expect(picture.contains("accounts ──▶ projection balances (lag 2, 0 rows) ──▶ `query balances`"))
        #expect(picture.contains("accounts ━━▶ aggregate account (0 keys, 0 events, 2 behind)"))

        #expect(Self.run(shell, output, "step") == ["aggregate account folded 2 events of accounts", "auditor ← accounts p0 @0 Deposited (no rule emitted)"])
        picture = flow()
        #expect(picture.contains("accounts ──▶ auditor (lag 1, 1 in, 0 out) ──▶ audit-log"))
        // Aggregates catch up at each step, as tables do.
        #expect(picture.contains("accounts ━━▶ aggregate account (1 key, 2 events, up to date)"))
        #expect(Self.run(shell, output, "step") == ["auditor ← accounts p0 @1 Withdrawn → audit-log p0 @0 Audited"])
        #expect(flow().contains("accounts ──▶ projection balances (lag 2, 0 rows) ──▶ `query balances`"))

        #expect(Self.run(shell, output, "step") == ["balances ← accounts p0 @0 Deposited → sum 100 to a-1"])
        #expect(flow().contains("accounts ──▶ projection balances (lag 1, 1 row) ──▶ `query balances`"))
        #expect(Self.run(shell, output, "step") == ["balances ← accounts p0 @1 Withdrawn → sum -30 to a-1"])
        #expect(flow().contains("accounts ──▶ projection balances (lag 0, 1 row) ──▶ `query balances`"))
        #expect(Self.run(shell, output, "step") == ["nothing to deliver: every running service and projection has read all its records"])
    }

    @Test("serve's opening line names the aggregates and projections too, paused ones so marked")
    func runningFlows() throws {
        let (shell, output, _) = try Self.shell(Self.loop + ["projection pause balances"])
        shell.sayRunningFlows()
        #expect(output.text == "flows: service auditor (reads accounts); aggregate account (folds accounts); projection balances (reads accounts, paused); projection movements (reads accounts)\n")
    }

    @Test("with only an aggregate, a projection or a command, show flow draws it rather than the hint to start", arguments: [
        #"aggregate create account --from accounts --key $.account"#, "projection create balances --from accounts",
    ])
    func alone(definition: String) throws {
        let (shell, output, _) = try Self.shell(["topic create accounts", definition])
        let picture = Self.run(shell, output, "show flow")
        #expect(picture.first?.hasPrefix("accounts ") == true)
        #expect(!picture.contains { $0.contains("no services or tables yet") })
    }

    @Test("flow export with nothing built, and step, name every kind; help says aggregates and projections wait for step")
    func texts() throws {
        let (shell, output, _) = try Self.shell([])
        #expect(Self.run(shell, output, "flow export") == ["nothing to export: there are no services, tables, aggregates, projections or commands yet"])
        #expect(shell.execute("flow manual"))
        #expect(!shell.execute("step"))
        #expect(output.text.contains("there are no services, tables, aggregates or projections to step"))
        for help in ["help flow manual", "help step", "help show flow"] {
            let text = Self.run(shell, output, help).joined(separator: " ")
            #expect(text.contains("aggregate") && text.contains("projection"), "\(help)")
        }
        #expect(Self.run(shell, output, "help show flow").joined(separator: " ").contains("━━▶"))
        #expect(FlowScript.heading.contains("aggregates, projections and commands"))
    }
}
