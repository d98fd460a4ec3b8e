import EventLabCore
import EventLabPatterns
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

/// A bank of two partitions kept forever, the account aggregate with two rules, and four
/// events: a-1 deposits 10, a-2 deposits 5, a-1 withdraws 3, a-1 deposits 4.
private let bank = [
    "topic create bank --partitions 2 --retention forever",
    #"aggregate create account --from bank --key $.account --init {"balance":0}"#,
    "aggregate account on Deposited set balance = state.balance + $.amount",
    "aggregate account on Withdrawn when $.amount <= state.balance set balance = state.balance - $.amount",
    #"publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":10}"#,
    #"publish bank key=a-2 {"type":"Deposited","account":"a-2","amount":5}"#,
    #"publish bank key=a-1 {"type":"Withdrawn","account":"a-1","amount":3}"#,
    #"publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":4}"#,
].joined(separator: "; ")

@Suite("aggregate commands: event sourcing")
struct AggregateCommandsTests {
    @Test("create says the record key must be the aggregate key and warns of finite retention; rules fold live; list, describe and delete")
    func lifecycle() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create shop; topic create bank --retention forever"))
        #expect(run(shell, output, "aggregate create cart --from shop --key $.cart") == [
            "aggregate cart folds shop by $.cart, each key starting at {}; give it rules with `aggregate cart on TYPE set FIELD = EXPR`",
            "publish each event to shop with its aggregate key, the value of $.cart, as its record key: a key's events then live in one partition, in order",
            "warning: shop deletes records (cleanup.policy=delete, retention 7d): once they go, cart's history is incomplete and a rebuild gives other states, without an error; keep every event with `topic alter shop --retention forever`",
        ])
        #expect(run(shell, output, #"aggregate create account --from bank --key $.account --init {"balance":0}"#).count == 2)
        #expect(run(shell, output, "aggregate account on Deposited set balance = state.balance + $.amount") == [
            "rule 1 added to aggregate account; account holds no state yet, so all it folds follows the rules as they are",
        ])
        #expect(shell.execute(#"publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":10}"#))
        #expect(run(shell, output, "state account a-1") == [#"{"balance":10}"#, "version 1, its last event at bank p0 @0"])
        #expect(run(shell, output, "aggregate account on Closed set closed = true") == [
            "rule 2 added to aggregate account; it applies to the events account folds from now on; `aggregate rebuild account` replays the whole log under the rules as they are",
        ])
        #expect(run(shell, output, "aggregate list") == [
            "AGGREGATE  TOPIC  KEY        KEYS  EVENTS  RULES  BEHIND",
            "account    bank   $.account  1     1       2      0",
            "cart       shop   $.cart     0     0       0      0",
        ])
        let described = run(shell, output, "aggregate describe account")
        #expect(described.first == "aggregate account folds bank by $.account")
        #expect(described.contains("  1. on Deposited set balance = state.balance + $.amount"))
        #expect(described.contains("  folded 1 key from bank read up to p0 @0 (up to date)"))
        #expect(described.last == "  its states mix rules: rules or upcasters changed after it folded events; `aggregate rebuild account` replays the log under the rules as they are")
        #expect(run(shell, output, "aggregate account remove 2") == [
            "rule 2 removed from aggregate account; the other rules keep their numbers; it applies to the events account folds from now on; `aggregate rebuild account` replays the whole log under the rules as they are",
        ])
        #expect(run(shell, output, "aggregate delete cart") == ["aggregate cart deleted; shop keeps the events to fold it again"])
        #expect(fail(shell, output, "aggregate describe cart") == "error: there is no aggregate named cart: the aggregates are account")
    }

    @Test("bad input is one clear error and changes nothing")
    func errors() throws {
        let test = try TestBroker(.memory)
        let store = KeptFlows()
        let (shell, output) = shell(test, store: store)
        #expect(shell.execute(bank))
        let saved = store.load()
        let states = shell.flows.aggregates["account"]?.states
        let cases: [(String, String)] = [
            ("aggregate create other --from nowhere --key $.x", "error: topic 'nowhere' does not exist"),
            ("aggregate create other --from bank", "error: `aggregate create` needs --key EXPR: which aggregate each event belongs to, e.g. --key $.account"),
            ("aggregate create other --from bank --key $.", "error: --key '$.' does not parse"),
            (#"aggregate create other --from bank --key table("fx",$.a)"#, "error: --key 'table(fx,$.a)' does not parse at column 1: a fold cannot look up a table"),
            ("aggregate create other --from bank --key $.x --init [1]", "error: --init '[1]' is not a JSON object: give the state of a key before its first event, such as {\"balance\":0}"),
            ("aggregate create other --from bank --key $.x --snapshot-every 0", "error: --snapshot-every must be at least 1, not 0"),
            ("aggregate create account --from bank --key $.x", "error: there is already an aggregate named account: pick another name, or `aggregate delete account` first"),
            ("aggregate create list --from bank --key $.x", "error: an aggregate cannot be called 'list': `aggregate list` is a command of its own; pick another name, such as lists"),
            ("aggregate account on Deposited set balance = state.balance +", "error: the rule at column "),
            ("aggregate account replace 9 on Deposited set balance = 1", "error: aggregate account has no rule 9"),
            ("aggregate account remove x", "error: `remove` needs a rule number after it"),
            ("aggregate remove 1", "error: `aggregate remove` needs the aggregate's name first: say `aggregate NAME remove …`, e.g. `aggregate account remove 2`"),
            ("aggregate nobody on X set a = 1", "error: there is no aggregate named nobody: the aggregates are account"),
            ("state nobody a-1", "error: there is no aggregate named nobody: the aggregates are account"),
            ("state account a-9", "error: aggregate account has no key a-9: no event of bank it folded has that key (its keys include a-1, a-2)"),
            ("state account a-9 --trace", "error: aggregate account has no key a-9"),
            ("state account a-1 --version x", "error: --version needs a whole number, not 'x'"),
            ("state account a-1 --version 9", "error: --version 9 is past a-1's history: it has 3 events under the current rules"),
            ("state account a-1 --at -1", "error: --at takes an offset (a whole number of 0 or more) or a UTC time such as 2024-01-01T00:00:05Z, not '-1'"),
            ("state account a-1 --at soon", "error: --at takes an offset (a whole number of 0 or more) or a UTC time such as 2024-01-01T00:00:05Z, not 'soon'"),
            ("state account a-1 --at 2023-12-31T00:00:00Z", "error: --at 2023-12-31T00:00:00Z is before a-1's first event, at 2024-01-01T00:00:00Z: there was no state of a-1 yet"),
            ("state account a-2 --at 0 --version 1", "error: give --at or --version, not both"),
            ("show aggregate account a-9", "error: aggregate account has no key a-9"),
            ("aggregate rebuild nobody", "error: there is no aggregate named nobody"),
        ]
        for (line, error) in cases {
            #expect(fail(shell, output, line).hasPrefix(error), "\(line)")
            #expect(store.load() == saved, "\(line)")
            #expect(shell.flows.aggregates["account"]?.states == states, "\(line)")
            #expect(shell.flows.aggregates.count == 1, "\(line)")
        }
        #expect(!test.broker.topics().contains { $0.name == "account-snapshots" })
    }

    @Test("state travels in time: at an offset, a time or a version, as the pure fold gives it, and traces every event", arguments: Backend.allCases)
    func timeTravel(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create bank --retention forever"))
        #expect(shell.execute(#"aggregate create account --from bank --key $.account --init {"balance":0}"#))
        #expect(shell.execute("aggregate account on Deposited set balance = state.balance + $.amount"))
        for amount in [10, 20, 30] {
            #expect(shell.execute(#"publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":\#(amount)}"#))
            #expect(shell.execute("clock advance 1m"))
        }
        let aggregate = try #require(shell.flows.aggregates["account"]?.aggregate)
        let points: [(String, AggregatePoint)] = [
            ("--at 1", .offset(1)), ("--at 2024-01-01T00:01:30Z", .time(1_704_067_200_000 + 90_000)), ("--version 1", .version(1)), ("--at 2", .offset(2)),
        ]
        for (option, point) in points {
            let oracle = try aggregate.state(key: "a-1", at: point, in: test.broker)
            #expect(run(shell, output, "state account a-1 \(option)").first == oracle.state.description, "\(option)")
        }
        #expect(run(shell, output, "state account a-1 --at 1") == [
            #"{"balance":30}"#, "version 2 of 3, its last event Deposited at bank p0 @1 (2024-01-01T00:01:00Z)",
        ])
        #expect(run(shell, output, "state account a-1 --trace") == [
            #"v0  initial                                 {"balance":0}"#,
            #"v1  p0 @0  2024-01-01T00:00:00Z  Deposited  {"balance":10}"#,
            #"v2  p0 @1  2024-01-01T00:01:00Z  Deposited  {"balance":30}"#,
            #"v3  p0 @2  2024-01-01T00:02:00Z  Deposited  {"balance":60}"#,
        ])
        #expect(run(shell, output, "state account a-1 --trace --version 2").count == 3)
        #expect(run(shell, output, "state account a-1") == [#"{"balance":60}"#, "version 3, its last event at bank p0 @2"])
    }

    @Test("a trace pads its columns, so the states line up past v9 and with event types of other lengths")
    func traceColumns() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create bank --retention forever"))
        #expect(shell.execute(#"aggregate create account --from bank --key $.account --init {"n":0}"#))
        #expect(shell.execute("aggregate account on Deposited set n = state.n + 1"))
        for type in Array(repeating: "Deposited", count: 9) + ["Noted"] {
            #expect(shell.execute(#"publish bank key=a-1 {"type":"\#(type)","account":"a-1"}"#))
        }
        let lines = run(shell, output, "state account a-1 --trace")
        #expect(lines.count == 11)
        #expect(lines.first == #"v0   initial                                 {"n":0}"#)
        #expect(lines[9] == #"v9   p0 @8  2024-01-01T00:00:00Z  Deposited  {"n":9}"#)
        #expect(lines.last == #"v10  p0 @9  2024-01-01T00:00:00Z  Noted      {"n":9}"#)
    }

    @Test("each drain warns once, with a count, of events keyed otherwise, and of a fold failure with where, which rule and why; the aggregate goes on")
    func drainWarnings() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(bank))
        let publishTwo = #"publish bank key=x {"type":"Deposited","account":"a-1","amount":1}; publish bank key=y {"type":"Deposited","account":"a-2","amount":1}"#
        let warnings = run(shell, output, publishTwo).filter { $0.hasPrefix("warning:") }
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.contains("folded 1 event whose record key is not the aggregate key $.account") })
        let failed = run(shell, output, #"publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":"ten"}; publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":1}"#)
        #expect(failed.contains { $0.hasPrefix("warning: aggregate account could not fold bank p0 @") && $0.contains(": rule 1: the value of balance at column ") && $0.contains("that key's state stays as it was and account goes on; fix it with `aggregate account replace 1 on …`, then `aggregate rebuild account`") })
        #expect(run(shell, output, "state account a-1") == [#"{"balance":13}"#, "version 5, its last event at bank p0 @6"])
    }

    @Test("a topic deleted is said once and keeps the states; created again, it is folded from its start")
    func topicDeleted() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(bank))
        #expect(run(shell, output, "topic delete bank").last == "warning: aggregate account could not read its topic: topic 'bank' does not exist (there are no topics yet; create one with `topic create bank`); create bank again, or `aggregate delete account`")
        #expect(!run(shell, output, "aggregate list").contains { $0.hasPrefix("warning") })
        #expect(run(shell, output, "state account a-2").first == #"{"balance":5}"#)
        #expect(run(shell, output, "topic create bank").last == "warning: aggregate account was folded again from the start of bank: the topic was deleted and created again")
        #expect(fail(shell, output, "state account a-2").hasPrefix("error: aggregate account has no key a-2"))
    }

    @Test("a retention that deletes folded events is warned of once: the history is incomplete")
    func retention() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create bank --retention 2records --segment-records 1"))
        #expect(shell.execute("aggregate create account --from bank --key $.account; aggregate account on Deposited set n = default(state.n, 0) + 1"))
        for _ in 0..<3 { #expect(shell.execute(#"publish bank key=a-1 {"type":"Deposited","account":"a-1"}"#)) }
        let lines = run(shell, output, "retention run")
        #expect(lines.last == "warning: retention deleted 1 event of bank that aggregate account had folded: its history is now incomplete, and a rebuild from the log alone would give a different state; keep events with `topic alter bank --retention forever`")
        #expect(!run(shell, output, "aggregate list").contains { $0.hasPrefix("warning") })
        #expect(run(shell, output, "aggregate rebuild account").suffix(2) == ["1 key changed:", #"  a-1: {"n":3} → {"n":2}"#])
    }

    @Test("rebuild shows what changed per key; snapshots let it replay only the events after them, and rules changed make it ignore them, saying why", arguments: Backend.allCases)
    func rebuildAndSnapshots(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = shell(test)
        #expect(shell.execute(bank))
        #expect(run(shell, output, "aggregate rebuild account") == [
            "aggregate account rebuilt under its current rules from the whole of bank: replayed 4 events into 2 keys (no snapshots: `aggregate snapshot account` makes some)",
            "no key changed",
        ])
        #expect(run(shell, output, "aggregate snapshot account") == [
            "created account-snapshots with cleanup.policy=compact: it keeps the newest snapshot per key",
            "published 2 snapshots to account-snapshots: each key's state with the events before bank p0 @3, p1 @1 folded in, under rules fingerprint \(shell.flows.aggregates["account"]!.aggregate.fingerprint); `aggregate rebuild account` starts from them and replays only the events after",
        ])
        #expect(try test.broker.describeTopic("account-snapshots").config.cleanupPolicy == .compact)
        #expect(shell.execute(#"publish bank key=a-2 {"type":"Deposited","account":"a-2","amount":1}"#))
        #expect(run(shell, output, "aggregate rebuild account") == [
            "aggregate account rebuilt under its current rules: its 2 keys started from their snapshots in account-snapshots, then replayed 1 of the 5 events of bank instead of all 5",
            "no key changed",
        ])
        #expect(shell.execute("aggregate account replace 1 on Deposited set balance = state.balance + $.amount * 2"))
        #expect(fail(shell, output, "aggregate snapshot account").hasPrefix("error: aggregate account's states mix rules"))
        #expect(run(shell, output, "aggregate rebuild account") == [
            "aggregate account rebuilt under its current rules from the whole of bank: replayed 5 events into 2 keys",
            "ignored 2 snapshots in account-snapshots: 2 made under other rules; a key without a usable snapshot was replayed from the start",
            "2 keys changed:",
            #"  a-1: {"balance":11} → {"balance":25}"#,
            #"  a-2: {"balance":6} → {"balance":12}"#,
        ])
        #expect(run(shell, output, "state account a-1") == [#"{"balance":25}"#, "version 3, its last event at bank p0 @2"])
    }

    @Test("a rebuild from snapshots says how many of its keys started from one when a key is newer than them")
    func rebuildWithKeyNewerThanSnapshots() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(bank + "; aggregate snapshot account"))
        #expect(shell.execute(#"publish bank key=a-3 {"type":"Deposited","account":"a-3","amount":2}"#))
        #expect(run(shell, output, "aggregate rebuild account") == [
            "aggregate account rebuilt under its current rules: 2 of its 3 keys started from their snapshots in account-snapshots, then replayed 1 of the 5 events of bank instead of all 5",
            "no key changed",
        ])
    }

    @Test("--snapshot-every publishes every key's state after each N events folded")
    func automaticSnapshots() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create bank --retention forever"))
        #expect(run(shell, output, "aggregate create account --from bank --key $.account --snapshot-every 2").contains(
            "it publishes every key's state to account-snapshots after each 2 events folded"))
        #expect(shell.execute("aggregate account on Deposited set n = default(state.n, 0) + 1"))
        for account in ["a-1", "a-2", "a-1"] { #expect(shell.execute(#"publish bank key=\#(account) {"type":"Deposited","account":"\#(account)"}"#)) }
        // After the second event: a snapshot of both keys; the third waits for the fourth.
        #expect(try test.broker.offsets("account-snapshots", partition: 0).logEndOffset == 2)
        #expect(shell.execute(#"publish bank key=a-2 {"type":"Deposited","account":"a-2"}"#))
        #expect(try test.broker.offsets("account-snapshots", partition: 0).logEndOffset == 4)
    }

    @Test("describe says whether a snapshot was written and where, and counts the events since it or since the start, across a rebuild")
    func snapshotCount() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create bank --retention forever"))
        #expect(shell.execute("aggregate create wallet --from bank --key key --snapshot-every 5"))
        #expect(shell.execute("aggregate wallet on Credited set n = default(state.n, 0) + 1"))
        func credit(_ count: Int) {
            for _ in 0..<count { #expect(shell.execute(#"publish bank key=a {"type":"Credited"}"#)) }
        }
        func snapshots() -> String? { run(shell, output, "aggregate describe wallet").first { $0.hasPrefix("  snapshots:") } }
        credit(2)
        #expect(snapshots() == "  snapshots: every key's state to wallet-snapshots after each 5 events folded; no snapshot of these states yet, 2 events folded since the start")
        // A rule added now: the states mix rules, so the fifth event writes no snapshot.
        #expect(shell.execute("aggregate wallet on Debited set n = state.n - 1"))
        credit(4)
        #expect(snapshots() == "  snapshots: every key's state to wallet-snapshots after each 5 events folded; no snapshot of these states yet, 6 events folded since the start")
        #expect(shell.execute("aggregate rebuild wallet"))
        #expect(snapshots() == "  snapshots: every key's state to wallet-snapshots after each 5 events folded; no snapshot of these states yet, 0 events folded since the last rebuild")
        credit(5)
        #expect(try test.broker.offsets("wallet-snapshots", partition: 0).logEndOffset == 1)
        #expect(snapshots() == "  snapshots: every key's state to wallet-snapshots after each 5 events folded; the last with bank read up to p0 @10, 0 events folded since it")
        credit(1)
        #expect(shell.execute("aggregate snapshot wallet"))
        #expect(snapshots() == "  snapshots: every key's state to wallet-snapshots after each 5 events folded; the last with bank read up to p0 @11, 0 events folded since it")
        // A rebuild starting from that snapshot replays only what came after it.
        credit(2)
        #expect(snapshots() == "  snapshots: every key's state to wallet-snapshots after each 5 events folded; the last with bank read up to p0 @11, 2 events folded since it")
        #expect(shell.execute("aggregate rebuild wallet"))
        #expect(snapshots() == "  snapshots: every key's state to wallet-snapshots after each 5 events folded; the last with bank read up to p0 @11, 0 events folded since the last rebuild")
    }

    @Test("a snapshot due while the states mix rules is not written, and it says so once, why, and what to do")
    func snapshotRefused() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create bank --retention forever"))
        #expect(shell.execute("aggregate create wallet --from bank --key key --snapshot-every 2"))
        #expect(shell.execute("aggregate wallet on Credited set n = default(state.n, 0) + 1"))
        #expect(shell.execute(#"publish bank key=a {"type":"Credited"}"#))
        #expect(shell.execute("aggregate wallet on Debited set n = state.n - 1"))
        let warning = "warning: aggregate wallet wrote no snapshot after 2 events folded (--snapshot-every 2): its states mix rules (rules or upcasters changed after it folded events), so a snapshot would hold states its rules do not give; `aggregate rebuild wallet` folds them under the rules as they are, and snapshots go on"
        #expect(run(shell, output, #"publish bank key=a {"type":"Credited"}"#).contains(warning))
        #expect((try? test.broker.describeTopic("wallet-snapshots")) == nil)
        // Said once: the next events are not refused again.
        #expect(!run(shell, output, #"publish bank key=a {"type":"Credited"}"#).contains(warning))
        #expect(run(shell, output, "aggregate describe wallet").suffix(2) == [
            "  its states mix rules: rules or upcasters changed after it folded events; `aggregate rebuild wallet` replays the log under the rules as they are",
            "  a snapshot is due (3 events folded, each 2 write one) but not written: its states mix rules, so a snapshot would hold states its rules do not give; `aggregate rebuild wallet` folds them under the rules as they are, and snapshots go on",
        ])
        #expect(shell.execute("aggregate rebuild wallet"))
        #expect(!run(shell, output, "aggregate describe wallet").contains { $0.contains("not written") })
        // The count starts again from the rebuild.
        #expect(shell.execute(#"publish bank key=a {"type":"Credited"}; publish bank key=a {"type":"Credited"}"#))
        #expect(try test.broker.offsets("wallet-snapshots", partition: 0).logEndOffset == 1)
    }

    @Test("aggregate alter sets, changes or turns off --snapshot-every on an aggregate that exists; flow export and a reopened workspace keep it")
    func alterSnapshots() throws {
        let test = try TestBroker(.memory)
        let store = KeptFlows()
        do {
            let (shell, output) = shell(test, store: store)
            #expect(shell.execute("topic create bank --retention forever"))
            #expect(shell.execute("aggregate create wallet --from bank --key key"))
            #expect(shell.execute("aggregate wallet on Credited set n = default(state.n, 0) + 1"))
            for _ in 0..<3 { #expect(shell.execute(#"publish bank key=a {"type":"Credited"}"#)) }
            #expect(fail(shell, output, "aggregate alter wallet") == "error: `aggregate alter` needs --snapshot-every N: how many events folded between snapshots, or 0 for none, e.g. `aggregate alter wallet --snapshot-every 100`")
            #expect(fail(shell, output, "aggregate alter wallet --snapshot-every 0") == "error: nothing to change: aggregate wallet already publishes no snapshots by itself; give --snapshot-every N of 1 or more to turn them on")
            #expect(fail(shell, output, "aggregate alter wallet --snapshot-every -1") == "error: --snapshot-every must be at least 0, not -1")
            #expect(run(shell, output, "aggregate alter wallet --snapshot-every 2") == [
                "aggregate wallet publishes every key's state to wallet-snapshots after each 2 events folded",
                "  snapshots: every key's state to wallet-snapshots after each 2 events folded; no snapshot of these states yet, 3 events folded since the start",
            ])
            #expect(store.load()?.contains("aggregate create wallet --from bank --key key --snapshot-every 2\n") == true)
            #expect(run(shell, output, "flow export").contains("aggregate create wallet --from bank --key key --snapshot-every 2"))
            // Overdue: the next event folded writes every key's state.
            #expect(shell.execute(#"publish bank key=a {"type":"Credited"}"#))
            #expect(try test.broker.offsets("wallet-snapshots", partition: 0).logEndOffset == 1)
            #expect(fail(shell, output, "aggregate alter wallet --snapshot-every 2") == "error: nothing to change: aggregate wallet already publishes every key's state to wallet-snapshots after each 2 events folded")
            #expect(run(shell, output, "aggregate alter wallet --snapshot-every 0") == [
                "aggregate wallet publishes no snapshots by itself now; `aggregate snapshot wallet` still does, and wallet-snapshots keeps those written",
                "  snapshots: every key's state to wallet-snapshots on `aggregate snapshot` only; the last with bank read up to p0 @3, 0 events folded since it",
            ])
            #expect(store.load()?.contains("aggregate create wallet --from bank --key key\n") == true)
            #expect(shell.execute("aggregate alter wallet --snapshot-every 5"))
        }
        let (reopened, _) = shell(test, store: store)
        reopened.restoreFlows()
        #expect(try reopened.flows.aggregate("wallet").snapshotEvery == 5)
    }

    @Test("a table of a topic an aggregate or projection reads does not advise compacting it: the log keeps every event they fold")
    func tableOfEventLog() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test, width: 400)
        #expect(shell.execute("topic create bank --retention forever; topic create notes"))
        #expect(run(shell, output, "table create plain --from notes").contains(
            "  notes is not compacted, so a rebuild reads every update it keeps; a compacted topic (`topic create notes --compact`) keeps only the last per key"))
        #expect(shell.execute("aggregate create wallet --from bank --key key; aggregate wallet on Credited set n = 1"))
        #expect(shell.execute(#"publish bank key=a {"type":"Credited"}"#))
        let note = "  bank is not compacted, so a rebuild reads every event; it is the event log aggregate wallet reads: the table keeps the last event per key, while the log keeps them all"
        #expect(run(shell, output, "table create last --from bank") == ["table last built from bank: read 1 record, keeps 1 key", "  read: 1 value, 0 tombstones", note])
        #expect(run(shell, output, "table rebuild last").last == note)
        #expect(TableSourceNote.uncompacted("bank", eventLogReaders: ["aggregate wallet", "projection balances"])
            == "bank is not compacted, so a rebuild reads every event; it is the event log aggregate wallet and projection balances read: the table keeps the last event per key, while the log keeps them all")
    }

    @Test("create keyed by the record key itself says so plainly instead of asking for the record key to be the value of key")
    func keyedByRecordKey() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute("topic create bank --retention forever"))
        #expect(run(shell, output, "aggregate create wallet --from bank --key key")[1]
            == "each event's aggregate key is its record key, so a key's events live in one partition, in order; publish every event to bank with a key, as `publish bank key=ID {…}`: one without a key is not folded")
        #expect(run(shell, output, "aggregate create other --from bank --key $.key")[1]
            == "publish each event to bank with its aggregate key, the value of $.key, as its record key: a key's events then live in one partition, in order")
    }

    @Test("show aggregate draws a key's events with the state after each and the snapshot a rebuild starts from, within the width")
    func picture() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(bank + "; aggregate snapshot account"))
        #expect(shell.execute(#"publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":1}"#))
        #expect(run(shell, output, "show aggregate account a-1") == [
            "aggregate account · key a-1 · 4 events of bank",
            "  ○ initial",
            #"  │   {"balance":0}"#,
            "  ● v1 Deposited  (p0 @0)",
            #"  │   {"balance":10}"#,
            "  ● v2 Withdrawn  (p0 @1)",
            #"  │   {"balance":7}"#,
            "  ● v3 Deposited  (p0 @2)",
            #"  │   {"balance":11}"#,
            "  │ ◆ snapshot v3 in account-snapshots (events before p0 @3, p1 @1 folded in)",
            "  ● v4 Deposited  (p0 @3)",
            #"      {"balance":12}"#,
            "a rebuild starts a-1 from its snapshot at v3 and replays 1 event",
        ])
        let long = String(repeating: "x", count: 200)
        #expect(shell.execute(#"aggregate account on Noted set note = $.note; publish bank key=a-1 {"type":"Noted","account":"a-1","note":"\#(long)"}"#))
        let lines = run(shell, output, "show aggregate account a-1")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.contains { $0.hasSuffix("…") })
        #expect(run(shell, output, "show aggregate account a-1") == lines)
    }

    @Test("the definitions keep aggregates and their rule numbers: after a restart they fold again, from their snapshots", arguments: [Backend.disk])
    func restored(backend: Backend) throws {
        let test = try TestBroker(backend)
        let store = KeptFlows()
        do {
            let (first, _) = shell(test, store: store)
            #expect(first.execute(bank + "; aggregate account on Closed set closed = true; aggregate account remove 3"))
            #expect(first.execute("aggregate create cart --from bank --key $.cart --type-header ce_type --snapshot-every 5"))
            #expect(first.execute("aggregate rebuild account; aggregate snapshot account"))
            #expect(store.load() == """
                # EventLab flows: the commands that define this workspace's services, tables, aggregates, projections and commands
                aggregate create account --from bank --key $.account --init '{"balance":0}' --next-rule 4
                aggregate account rule 1 on Deposited set balance = state.balance + $.amount
                aggregate account rule 2 on Withdrawn when $.amount <= state.balance set balance = state.balance - $.amount
                aggregate create cart --from bank --key $.cart --type-header ce_type --snapshot-every 5

                """)
        }
        try test.reopen(clean: true)

        let (second, output) = shell(test, store: store)
        second.restoreFlows()
        #expect(output.lines == [])
        #expect(run(second, output, "state account a-1") == [#"{"balance":11}"#, "version 3, its last event at bank p0 @2"])
        #expect(run(second, output, "aggregate account on Closed set closed = true").first?.hasPrefix("rule 4 added") == true)
        #expect(run(second, output, "flow export").contains("aggregate account rule 4 on Closed set closed = true"))
    }

    @Test("aggregate names complete where an aggregate is expected, and its keys after its name")
    func completion() throws {
        let test = try TestBroker(.memory)
        let (shell, _) = shell(test)
        #expect(shell.execute(bank))
        let completer = Completer(broker: test.broker, flows: { shell.flows })
        #expect(completer.complete("aggregate describe a").candidates == ["account"])
        #expect(completer.complete("state ").candidates == ["account"])
        #expect(completer.complete("state account a-").candidates == ["a-1", "a-2"])
        #expect(completer.complete("show aggregate account a-").candidates == ["a-1", "a-2"])
    }
}

@Suite("aggregate help")
struct AggregateHelpTests {
    @Test("help aggregate and help state say what they teach: event sourcing, the log as source of truth, time travel, snapshots")
    func teaches() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        let aggregate = run(shell, output, "help aggregate").joined(separator: " ")
        for idea in ["Event sourcing", "source of truth", "Snapshots", "aggregate rebuild", "aggregate NAME on TYPE"] {
            #expect(aggregate.contains(idea), "\(idea)")
        }
        let state = run(shell, output, "help state").joined(separator: " ")
        for idea in ["Time travel", "--at", "--version", "--trace"] { #expect(state.contains(idea), "\(idea)") }
    }
}

@Suite("aggregates in manual flow")
struct AggregateManualFlowTests {
    @Test("while the flow is manual an aggregate folds only at a step, as a table reads")
    func folds() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(bank + "; flow manual"))
        #expect(shell.execute(#"publish bank key=a-2 {"type":"Deposited","account":"a-2","amount":1}"#))
        #expect(run(shell, output, "state account a-2") == [
            #"{"balance":5}"#, "version 1, its last event at bank p1 @0",
            "(aggregate account has not read 1 record of bank yet: the flow is manual, so `step` folds it)",
        ])
        #expect(shell.execute("step"))
        #expect(run(shell, output, "state account a-2") == [#"{"balance":6}"#, "version 2, its last event at bank p1 @1"])
    }
}

@Suite("aggregates under a flow watch")
struct AggregateWatchTests {
    @Test("an aggregate with a rule is watched: its state keeps up with records clients add")
    func watched() throws {
        let broker = try Broker()
        let shell = Shell(broker: broker, logicalClock: nil, output: CapturedOutput())
        let wakes = Atomic(0)
        shell.flowWatch = FlowWatch { wakes.add(1, ordering: .relaxed) }
        #expect(shell.execute("topic create bank --retention forever; aggregate create account --from bank --key $.account"))
        #expect(shell.execute("aggregate account on Deposited set n = default(state.n, 0) + 1"))
        _ = try broker.publish("bank", [ProducerRecord(key: Array("a-1".utf8), value: Array(#"{"type":"Deposited","account":"a-1"}"#.utf8))])
        #expect(wakes.load(ordering: .relaxed) == 1)
        shell.runFlows()
        #expect(shell.flows.aggregates["account"]?.states["a-1"]?.version == 1)
    }
}
