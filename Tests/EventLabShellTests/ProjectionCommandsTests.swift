import EventLabCore
import EventLabShell
import EventLabTestSupport
import Synchronization
import Testing

/// A flow store in memory: what a workspace would keep on disk.
private final class KeptFlows: FlowStore {
    private let text = Mutex<String?>(nil)

    func load() -> String? { text.withLock { $0 } }
    func save(_ text: String) { self.text.withLock { $0 = text } }
}

/// A shell on `test`'s broker and clock, and what it printed.
private func shell(_ test: TestBroker, width: Int = 80, store: KeptFlows? = nil) -> (Shell, CapturedOutput) {
    let output = CapturedOutput()
    let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: width)
    shell.flowStore = store
    return (shell, output)
}

/// Runs `line`, expecting it to succeed, and returns the lines it printed.
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

/// Two accounts opened on a one-partition topic, a-1 with a deposit of 100.
private let accounts = [
    "topic create accounts",
    #"publish accounts key=a-1 {"type":"Opened","account":"a-1"}"#,
    #"publish accounts key=a-1 {"type":"Deposited","account":"a-1","amount":100}"#,
    #"publish accounts key=a-2 {"type":"Opened","account":"a-2"}"#,
].joined(separator: "; ")

private func deposit(_ account: String, _ amount: Int) -> String {
    #"publish accounts key=\#(account) {"type":"Deposited","account":"\#(account)","amount":\#(amount)}"#
}

@Suite("projection commands and queries: the read side of CQRS")
struct ProjectionCommandsTests {
    @Test("rules given before any event arrives all apply from the log start: nothing was read under fewer of them")
    func rulesBeforeEvents() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create accounts --partitions 2; projection create balances --from accounts"))
        _ = run(shell, output, "projection balances on Deposited sum $.amount by $.account")
        #expect(run(shell, output, "projection balances on Withdrawn sum -$.amount by $.account") == [
            "rule 2 added to projection balances; it applies from the log start: balances has read nothing yet",
        ])
        _ = run(shell, output, "flow manual")
        #expect(run(shell, output, "projection create opened --from accounts") == [
            "projection opened reads accounts from the log start as consumer group opened; the flow is manual: it catches up at each `step`; give it rules with `projection opened on TYPE put KEY = VALUE`",
        ])
    }

    @Test("create, a rule that reads the log from its start, query, list, describe, and the group's lag", arguments: Backend.allCases)
    func lifecycle(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = shell(test)
        #expect(shell.execute(accounts))
        #expect(run(shell, output, "projection create balances --from accounts") == [
            "projection balances reads accounts from the log start as consumer group balances; it catches up after every command; give it rules with `projection balances on TYPE put KEY = VALUE`",
        ])
        #expect(run(shell, output, "projection balances on Deposited sum $.amount by $.account") == [
            "rule 1 added to projection balances; it applies from the log start: balances has read nothing yet",
            "balances ← accounts p0 @0 Opened → no rule for Opened",
            "balances ← accounts p0 @1 Deposited → sum 100 to a-1",
            "balances ← accounts p0 @2 Opened → no rule for Opened",
        ])
        #expect(run(shell, output, "query balances") == ["KEY  SUM", "a-1  100", "balances is up to date: it has read accounts p0 up to @2"])
        #expect(run(shell, output, "query balances a-1") == ["KEY  SUM", "a-1  100", "balances is up to date: it has read accounts p0 up to @2"])
        #expect(run(shell, output, "query balances a-9") == ["balances has no row a-9", "balances is up to date: it has read accounts p0 up to @2"])
        #expect(run(shell, output, "projection list") == [
            "PROJECTION  READS     RULES  ROWS  STATE           LAG", "balances    accounts  1      1     running, async  0",
        ])
        #expect(run(shell, output, "projection describe balances") == [
            "projection balances reads accounts", "  event type: $.type", "  1. on Deposited sum $.amount by $.account",
            "  state: running, async", "  read model: 1 row; events applied 1, skipped 2, failed 0",
            "  balances is up to date: it has read accounts p0 up to @2",
        ])
        #expect(test.broker.committedOffsets(groupId: "balances")[TopicPartition("accounts", 0)]?.offset == 3)
        #expect(run(shell, output, deposit("a-2", 7)).contains("balances ← accounts p0 @3 Deposited → sum 7 to a-2"))
        #expect(run(shell, output, "projection delete balances") == [
            "projection balances deleted with its read model; consumer group balances keeps its committed offsets",
        ])
        #expect(run(shell, output, "projection list") == ["no projections yet: `projection create NAME --from TOPIC` creates one"])
    }

    @Test("a failed projection command says what would be right and changes nothing")
    func errors() throws {
        let test = try TestBroker(.memory)
        let store = KeptFlows()
        let (shell, output) = shell(test, store: store)
        #expect(shell.execute(accounts + "; projection create balances --from accounts; projection balances on Deposited sum $.amount by $.account"))
        let saved = store.load()
        let failures = [
            ("projection create other", "`projection create` needs --from TOPIC"),
            ("projection create other --from nowhere", "topic 'nowhere' does not exist"),
            ("projection create list --from accounts", "a projection cannot be called 'list'"),
            ("projection create bad/name --from accounts", "'bad/name' cannot name a projection"),
            ("projection create other --from accounts,accounts", "names accounts twice"),
            ("projection create other --from accounts --type-header h --type-field f", "not both"),
            ("projection create balances --from accounts", "there is already a projection named balances"),
            ("projection balances on Deposited frobnicate", "the rule at column"),
            ("projection balances replace 9 on Deposited count by $.account", "no rule 9"),
            ("projection balances remove 9", "no rule 9"),
            ("projection balances remove x", "`remove` needs a rule number"),
            ("projection balances", "`projection balances` needs a rule"),
            ("projection balances frobnicate", "'frobnicate' after `projection balances` is not a rule"),
            ("projection nobody on A count by $.x", "there is no projection named nobody: the projections are balances"),
            ("query nobody", "there is no projection named nobody"),
            ("projection pause nobody", "there is no projection named nobody"),
            ("projection rebuild nobody", "there is no projection named nobody"),
            ("show projection nobody", "there is no projection named nobody"),
        ]
        let before = run(shell, output, "flow export") + run(shell, output, "query balances")
        for (line, message) in failures {
            let error = fail(shell, output, line)
            #expect(error.contains(message), "\(line): \(error)")
        }
        #expect(run(shell, output, "flow export") + run(shell, output, "query balances") == before)
        #expect(store.load() == saved)
    }

    @Test("a paused projection answers stale and says how far behind it is; resumed, it catches up", arguments: Backend.allCases)
    func pauseResume(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = shell(test)
        #expect(shell.execute(accounts + "; projection create balances --from accounts; projection balances on Deposited sum $.amount by $.account"))
        #expect(run(shell, output, "projection pause balances") == [
            "projection balances paused: events wait in the log and its queries grow stale; `projection resume balances` catches up",
        ])
        #expect(run(shell, output, deposit("a-1", 5)) == ["accounts p0 @3  (key a-1 → murmur2 mod 1)"])
        #expect(run(shell, output, deposit("a-1", 6)) == ["accounts p0 @4  (key a-1 → murmur2 mod 1)"])
        #expect(run(shell, output, "query balances a-1") == [
            "KEY  SUM", "a-1  100",
            "balances is 2 events behind, so this answer may be stale: it has read accounts p0 up to @2 of @4 (paused: `projection resume balances` catches up)",
        ])
        #expect(try test.broker.describeGroup("balances").partitions.first?.lag == 2)
        #expect(run(shell, output, "projection list").last == "balances    accounts  1      1     paused, async  2")
        #expect(run(shell, output, "projection resume balances") == [
            "projection balances resumed: it catches up now",
            "balances ← accounts p0 @3 Deposited → sum 5 to a-1",
            "balances ← accounts p0 @4 Deposited → sum 6 to a-1",
        ])
        #expect(run(shell, output, "query balances a-1") == ["KEY  SUM", "a-1  111", "balances is up to date: it has read accounts p0 up to @4"])
    }

    @Test("a changed rule applies from the position on; a rebuild replays the log and says what changed", arguments: Backend.allCases)
    func rebuild(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = shell(test)
        #expect(shell.execute(accounts + "; projection create balances --from accounts; projection balances on Deposited sum $.amount by $.account"))
        #expect(run(shell, output, #"projection balances on Opened put $.account = "open""#) == [
            #"rule 2 added to projection balances; it applies from its position (accounts p0 @3); the read model keeps what the old rules built until `projection rebuild balances` replays the log under the rules as they are now"#,
        ])
        #expect(run(shell, output, "query balances") == ["KEY  SUM", "a-1  100", "balances is up to date: it has read accounts p0 up to @2"])
        #expect(run(shell, output, "projection rebuild balances") == [
            "projection balances rebuilt from the log start: replayed 3 events from accounts under its 2 rules; now at accounts p0 @3",
            "read model: 2 rows (was 1): 1 added (a-2); 1 changed (a-1); none removed",
        ])
        #expect(run(shell, output, "query balances") == [
            #"KEY  VALUE   SUM"#, #"a-1  "open"  100"#, #"a-2  "open"  -"#, "balances is up to date: it has read accounts p0 up to @2",
        ])
        #expect(test.broker.committedOffsets(groupId: "balances")[TopicPartition("accounts", 0)]?.offset == 3)
    }

    @Test("an inline projection is caught up by the call a command makes after appending; an async one waits for the drain")
    func inline() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(accounts + "; flow manual"))
        #expect(run(shell, output, "projection create now --from accounts --inline") == [
            "projection now reads accounts from the log start as consumer group now; it is inline: `send` brings it up to date before it returns; give it rules with `projection now on TYPE put KEY = VALUE`",
        ])
        #expect(shell.execute("projection now on Deposited sum $.amount by $.account; projection create later --from accounts; projection later on Deposited sum $.amount by $.account"))
        output.clear()
        shell.catchUpInlineProjections()
        #expect(output.text.split(separator: "\n").map(String.init) == [
            "now ← accounts p0 @0 Opened → no rule for Opened",
            "now ← accounts p0 @1 Deposited → sum 100 to a-1",
            "now ← accounts p0 @2 Opened → no rule for Opened",
        ])
        #expect(run(shell, output, "query now").last == "now is up to date: it has read accounts p0 up to @2")
        #expect(run(shell, output, "query later") == [
            "later has no rows yet", "later is 3 events behind, so this answer may be stale: it has read accounts p0 none of @0–@2 (flow manual: `step` delivers them)",
        ])
    }

    @Test("in manual flow a step delivers one record to the first projection that has one")
    func step() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(accounts + "; flow manual; projection create balances --from accounts; projection balances on Deposited sum $.amount by $.account"))
        #expect(run(shell, output, "step") == ["balances ← accounts p0 @0 Opened → no rule for Opened"])
        #expect(run(shell, output, "step 3") == [
            "balances ← accounts p0 @1 Deposited → sum 100 to a-1",
            "balances ← accounts p0 @2 Opened → no rule for Opened",
            "nothing more to deliver after 2 steps",
        ])
        #expect(test.broker.committedOffsets(groupId: "balances")[TopicPartition("accounts", 0)]?.offset == 3)
    }

    @Test("the trace tells what the rules did with the event as upcast: its new type, the rule that applied, or none")
    func upcastTrace() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create t; projection create p --from t; projection p on B sum $.n by $.k; projection p on B2 count by $.k"))
        #expect(shell.execute(#"upcast on B to {"type":"B2","k":$.k}; upcast on A to {"type":"B","k":$.k,"n":$.n}; upcast on C to {"type":"Zed"}"#))
        #expect(run(shell, output, #"publish t {"type":"B","k":"x","n":2}"#).last == "p ← t p0 @0 B2 (upcast from B) → count x")
        // Upcasters chain in number order: A's (2) comes after B's (1), so an A is read as a B.
        #expect(run(shell, output, #"publish t {"type":"A","k":"x","n":2}"#).last == "p ← t p0 @1 B (upcast from A) → sum 2 to x")
        #expect(run(shell, output, #"publish t {"type":"C","k":"x"}"#).last == "p ← t p0 @2 Zed (upcast from C) → no rule for Zed")
        #expect(shell.execute(#"upcast on D when $.n > 0 to {"type":"D","k":$.k,"n":$.n * 10}; projection p on D sum $.n by $.k"#))
        #expect(run(shell, output, #"publish t {"type":"D","k":"y","n":2}"#).last == "p ← t p0 @3 D (upcast) → sum 20 to y")
        #expect(run(shell, output, #"publish t {"type":"D","k":"y","n":0}"#).last == "p ← t p0 @4 D → sum 0 to y")
        #expect(run(shell, output, "query p") == ["KEY  COUNT  SUM", "x    1      2", "y    0      20", "p is up to date: it has read t p0 up to @4"])
    }

    @Test("show projection draws positions, lag and rows within 80 columns")
    func picture() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create accounts --partitions 2; projection create balances --from accounts; projection balances on Deposited sum $.amount by $.account"))
        for index in 0..<12 { #expect(shell.execute(deposit("account-with-a-long-name-\(index)", index))) }
        #expect(shell.execute("projection pause balances; " + deposit("a-1", 1)))
        let lines = run(shell, output, "show projection balances")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.first == "projection balances (paused, async) ← accounts · 1 rule")
        #expect(lines.contains("  queries are 1 event behind the log until `projection resume balances`"))
        #expect(lines.contains("  … 2 more rows: `query balances` lists them all"))
        #expect(run(shell, output, "show projection balances") == lines)
    }

    @Test("a reopened workspace restores its projections, rebuilt from the log up to their groups' offsets")
    func restart() throws {
        let test = try TestBroker(.memory)
        let store = KeptFlows()
        let (first, _) = shell(test, store: store)
        #expect(first.execute(accounts + "; projection create balances --from accounts; projection balances on Deposited sum $.amount by $.account"))
        #expect(first.execute("projection pause balances; " + deposit("a-1", 5)))
        let (second, output) = shell(test, store: store)
        second.restoreFlows()
        #expect(run(second, output, "query balances") == [
            "KEY  SUM", "a-1  100",
            "balances is 1 event behind, so this answer may be stale: it has read accounts p0 up to @2 of @3 (paused: `projection resume balances` catches up)",
        ])
        #expect(run(second, output, "flow export") == [
            "projection create balances --from accounts", "projection balances rule 1 on Deposited sum $.amount by $.account",
            "projection pause balances",
        ])
    }

    @Test("Tab completes projection names and the keys a read model holds")
    func completion() throws {
        let test = try TestBroker(.memory)
        let (shell, _) = shell(test)
        #expect(shell.execute(accounts + "; projection create balances --from accounts; projection balances on Opened put $.account = $"))
        let completer = Completer(broker: test.broker, flows: { shell.flows })
        #expect(completer.complete("query b").candidates == ["balances"])
        #expect(completer.complete("projection rebuild ").candidates == ["balances"])
        #expect(completer.complete("show projection bal").candidates == ["balances"])
        #expect(completer.complete("query balances a-").candidates == ["a-1", "a-2"])
        #expect(completer.complete("projection bal").candidates == ["balances"])
    }
}

@Suite("projection rebuild over a failing rule")
struct ProjectionFailingRuleTests {
    @Test("a rule failing on an event keeps the event's other rules from it too, and the rebuild says so and what mends it")
    func failingRuleSkipsTheEvent() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        for line in [accounts,
            "projection create balances --from accounts",
            "projection balances on Deposited sum $.amount by $.account",
            "projection balances on Deposited count by $.acount",
        ] { _ = run(shell, output, line) }
        output.clear()
        #expect(shell.execute("projection rebuild balances"), "\(output.text)")
        let warning = try #require(output.errors.last)
        #expect(warning.contains("1 event failed a rule in the replay, so none of their rules applied them: the read model lacks them entirely; the last: accounts p0 @"), "\(warning)")
        #expect(warning.hasSuffix("mend the rule with `projection balances replace 2 on …` (or `remove 2`) and rebuild"), "\(warning)")
        // The sum rule held, yet a-1's deposit is not in the read model.
        #expect(run(shell, output, "query balances").first == "balances has no rows yet")
    }

    @Test("a failing upcaster is named as what to fix, not a rule")
    func failingUpcaster() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        for line in [
            "topic create orders",
            #"publish orders {"type":"Placed","total":"x"}"#,
            #"upcast on Placed to {"type":"Placed","total":$.total * 2}"#,
            "projection create totals --from orders",
            "projection totals on Placed sum $.total by $.type",
        ] { _ = run(shell, output, line) }
        output.clear()
        #expect(shell.execute("projection rebuild totals"), "\(output.text)")
        let warning = try #require(output.errors.last)
        #expect(warning.contains("1 event failed an upcaster in the replay, so none of their rules applied them: the read model lacks them entirely; the last: orders p0 @0: upcaster 1: "), "\(warning)")
        #expect(warning.hasSuffix("; the upcaster fails, not a rule: fix it with `upcast replace 1 on …`, or give it a `when` that selects only the old shape, then `projection rebuild totals`"), "\(warning)")
        #expect(!warning.contains("mend the rule"), "\(warning)")
    }
}
