import EventLabCore
import EventLabPatterns
@testable import EventLabShell
import EventLabTestSupport
import Synchronization
import Testing

/// A flow store in memory: what a workspace would keep on disk.
final class CommandKeptFlows: FlowStore {
    private let text = Mutex<String?>(nil)

    func load() -> String? { text.withLock { $0 } }
    func save(_ text: String) { self.text.withLock { $0 = text } }
}

/// The account aggregate over `accounts`: deposits add, withdrawals subtract.
private func account() throws -> Aggregate {
    var account = try Aggregate(
        name: "account", source: "accounts", key: try Expression("$.account"), initial: try JSONParser.parse(#"{"balance":0}"#))
    try account.add(AggregateRule("on Deposited set balance = state.balance + $.amount"))
    try account.add(AggregateRule("on Withdrawn set balance = state.balance - $.amount"))
    return account
}

private let deposit = #"command deposit --aggregate account emit accounts {"type":"Deposited","account":$.account,"amount":$.amount}"#
private let withdraw = #"command withdraw --aggregate account when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount} else reject "insufficient funds: balance is " + string(state.balance)"#

@Suite("command and send: the write side of CQRS")
struct CommandCommandsTests {
    /// A shell with `accounts` (three partitions), the account aggregate, and deposit and withdraw.
    func shell(_ test: TestBroker, store: CommandKeptFlows? = nil) throws -> (Shell, CapturedOutput) {
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        shell.flowStore = store
        #expect(shell.execute("topic create accounts --partitions 3"))
        try shell.changeFlows { try $0.add(account()) }
        #expect(shell.execute(deposit))
        #expect(shell.execute(withdraw))
        output.clear()
        return (shell, output)
    }

    func run(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> [String] {
        output.clear()
        #expect(shell.execute(line), "\(line): \(output.text)")
        return output.text.split(separator: "\n").map(String.init)
    }

    func fail(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> String {
        output.clear()
        #expect(!shell.execute(line), "\(line) should fail: \(output.text)")
        return output.errors.joined(separator: "\n")
    }

    let partition = Partitioner.partition(forKey: Array("a-1".utf8), count: 3)

    func end(_ test: TestBroker) throws -> Int64 { try test.broker.offsets("accounts", partition: partition).logEndOffset }

    @Test("send appends what a command decides, or says it was rejected and that nothing was written", arguments: Backend.allCases)
    func send(backend: Backend) throws {
        let test = try TestBroker(backend)
        let (shell, output) = try shell(test)
        let p = "accounts p\(partition)"
        #expect(run(shell, output, #"send deposit {"account":"a-1","amount":100}"#) == [
            "appended \(p) @0 Deposited", #"account a-1 is at version 1: {"balance":100}"#,
        ])
        #expect(run(shell, output, #"send withdraw {"account":"a-1","amount":30}"#) == [
            "appended \(p) @1 Withdrawn", #"account a-1 is at version 2: {"balance":70}"#,
        ])
        #expect(run(shell, output, #"send withdraw {"account":"a-1","amount":100}"#) == [
            "rejected: insufficient funds: balance is 70", #"nothing was written; account a-1 stays at version 2: {"balance":70}"#,
        ])
        #expect(try end(test) == 2)
        #expect(run(shell, output, #"send deposit {"account":"a-1","amount":5} --expect-version 1"#) == [
            "rejected: expected version 1, but account a-1 is at version 2: it has moved on since; look at its state and send again",
            #"nothing was written; account a-1 stays at version 2: {"balance":70}"#,
        ])
        #expect(run(shell, output, #"send deposit {"account":"a-1","amount":5} --expect-version 2"#) == [
            "appended \(p) @2 Deposited", #"account a-1 is at version 3: {"balance":75}"#,
        ])
        let records = try test.broker.read("accounts", partition: partition, from: 0, maxRecords: 10)
        #expect(records.map { $0.key.map { String(decoding: $0, as: UTF8.self) } } == ["a-1", "a-1", "a-1"])
    }

    @Test("command defines, lists, describes, replaces and deletes; flow export and the store keep the definitions")
    func lifecycle() throws {
        let test = try TestBroker(.memory)
        let store = CommandKeptFlows()
        let (shell, output) = try shell(test, store: store)
        #expect(run(shell, output, "command list") == [
            "COMMAND   AGGREGATE  BRANCHES", "deposit   account    1 branch, always emits", "withdraw  account    1 branch, else reject",
        ])
        #expect(run(shell, output, "command describe withdraw") == [
            "command withdraw validates against aggregate account, keyed by $.account (the aggregate's key)",
            #"  1. when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount}"#,
            #"  else reject "insufficient funds: balance is " + string(state.balance)"#,
            "sent this session: 0 accepted, 0 rejected",
        ])
        let export = run(shell, output, "flow export")
        #expect(export.contains(String(deposit)))
        #expect(export.contains(String(withdraw)))
        #expect(store.load()?.contains(withdraw + "\n") == true)
        #expect(run(shell, output, #"command withdraw --aggregate account --key $.account emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount}"#) == [
            "command withdraw replaced: `send withdraw JSON` validates it against aggregate account's state for the key $.account and appends its events to accounts",
        ])
        // A definition spread over lines by backslashes reads as one.
        #expect(shell.execute("command close --aggregate account \\\n  when state.balance == 0 \\\n  emit accounts {\"type\":\"Closed\",\"account\":$.account}"))
        #expect(shell.flows.commands["close"]?.source == #"--aggregate account when state.balance == 0 emit accounts {"type":"Closed","account":$.account}"#)
        #expect(run(shell, output, "command delete close").count == 1)
        #expect(run(shell, output, "command delete withdraw") == ["command withdraw deleted; the events it appended stay in the log"])
        #expect(store.load()?.contains("withdraw") == false)
        #expect(run(shell, output, "command list") == ["COMMAND  AGGREGATE  BRANCHES", "deposit  account    1 branch, always emits"])
    }

    @Test("a command that cannot be defined or sent is an error that changes nothing", arguments: [
        (#"command open --aggregate ledger emit accounts {"type":"Opened"}"#,
         "there is no aggregate named ledger: the aggregates are account"),
        (#"command open --aggregate account emit payments {"type":"Opened","account":$.account}"#,
         "the command at column 26: the events go to payments, but aggregate account reads accounts: emit to accounts, or the aggregate would never see them and the next command would validate against a state without them"),
        (#"command open --aggregate account when $.x > emit accounts {"type":"Opened"}"#,
         "the command at column 31: in the condition of branch 1: expected a value after `>`, found the end of the expression"),
        ("command list --aggregate account", "unknown option '--aggregate'; `command list` takes no options"),
        ("command open", "`command open` needs a definition: say `command open --aggregate AGGREGATE when CONDITION emit TOPIC TEMPLATE else reject MESSAGE`; `help command` explains it"),
        (#"command bad/name --aggregate account emit accounts {"type":"X"}"#, "'bad/name' cannot name a command: use letters, digits, '.', '_' and '-', as in withdraw or open-account"),
        (#"send close {"account":"a-1"}"#, "there is no command named close: the commands are deposit, withdraw"),
        (#"send deposit {"account":"a-1","amount":}"#, #"the payload is not JSON (at byte 26: expected a value, found `}`): {"account":"a-1","amount":}; send an object such as `send deposit {"account":"a-1","amount":30}`"#),
        (#"send deposit {"amount":5}"#, "the payload has no key for aggregate account: the key $.account at column 1: the payload has no field $.account"),
        (#"send withdraw {"account":"a-1"}"#, "the condition of branch 1 at column 43: the payload has no field $.amount"),
        (#"send deposit {"account":"a-1","amount":5} --expect-version x"#, "--expect-version needs a whole number, not 'x'"),
    ])
    func errors(line: String, message: String) throws {
        let test = try TestBroker(.memory)
        let store = CommandKeptFlows()
        let (shell, output) = try shell(test, store: store)
        let saved = store.load()
        #expect(fail(shell, output, line) == "error: \(message)")
        #expect(store.load() == saved)
        #expect(shell.flows.commands.keys.sorted() == ["deposit", "withdraw"])
        #expect(try test.broker.describeTopic("accounts").partitions.allSatisfy { $0.logEndOffset == 0 })
    }

    @Test("an aggregate a command validates against is not deleted, so no command is left deciding on nothing, in the session or after a restart")
    func aggregateKept() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = try shell(test)
        let before = FlowScript.text(shell.flows)
        #expect(fail(shell, output, "aggregate delete account")
            == "error: commands deposit, withdraw validate against aggregate account, so it stays: `command delete` them first, e.g. `command delete deposit`")
        #expect(FlowScript.text(shell.flows) == before)
        _ = run(shell, output, "command delete deposit")
        #expect(fail(shell, output, "aggregate delete account")
            == "error: command withdraw validates against aggregate account, so it stays: `command delete` it first, e.g. `command delete withdraw`")
        _ = run(shell, output, "command delete withdraw")
        #expect(run(shell, output, "aggregate delete account") == ["aggregate account deleted; accounts keeps the events to fold it again"])
    }

    @Test("the definitions and the events survive a restart: the reopened workspace sends on from the key's version", arguments: Backend.allCases)
    func restart(backend: Backend) throws {
        let test = try TestBroker(backend)
        let store = CommandKeptFlows()
        let output = CapturedOutput()
        do {
            let (first, firstOutput) = try shell(test, store: store)
            _ = run(first, firstOutput, #"send deposit {"account":"a-1","amount":100}"#)
        }
        // The first shell is let go, with the broker whose storage holds the workspace's lock.
        try test.reopen(clean: true)
        let reopened = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        reopened.flowStore = store
        reopened.restoreFlows()
        #expect(output.text.isEmpty, "\(output.text)")
        #expect(reopened.flows.commands.keys.sorted() == ["deposit", "withdraw"])
        #expect(run(reopened, output, #"send withdraw {"account":"a-1","amount":40}"#) == [
            "appended accounts p\(partition) @1 Withdrawn", #"account a-1 is at version 2: {"balance":60}"#,
        ])
    }

    @Test("a workspace reopened without the aggregate keeps the command's line, as a comment saying why")
    func restoredWithoutAggregate() throws {
        let test = try TestBroker(.memory)
        let store = CommandKeptFlows()
        store.save("# EventLab flows\n" + withdraw + "\n")
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 80)
        shell.flowStore = store
        shell.restoreFlows()
        #expect(shell.flows.commands.isEmpty)
        #expect(output.errors.first?.hasPrefix("warning: flow definition line 2 was left out: ") == true)
        #expect(output.errors.first?.hasSuffix("(the line: \(withdraw)); the workspace's flows file keeps it, as a comment once the flows are next saved") == true)
        #expect(store.load() == "# EventLab flows\n" + withdraw + "\n", "opening rewrites nothing")
        #expect(shell.flows.leftOut.map(\.line) == [withdraw])
        try shell.changeFlows { try $0.add(account()) }
        #expect(store.load()?.contains("# " + withdraw) == true, "the next save keeps it as a comment")
    }

    @Test("send says each time it validated again because another write landed, before what it came to")
    func validatedAgain() throws {
        let state = AggregateState(state: try JSONParser.parse(#"{"balance":20}"#), version: 2, offset: 1, partition: 1)
        let report = CommandReport(
            key: "a-1", topic: "accounts", partition: 1, conflicts: [CommandConflict(validatedAt: 1, endedAt: 2)],
            outcome: .rejected("insufficient funds: balance is 20", current: state))
        #expect(Send.lines(report, aggregate: "account") == [
            "validated again: another write landed in accounts p1 (its end moved from @1 to @2) between validating and appending",
            "rejected: insufficient funds: balance is 20",
            #"nothing was written; account a-1 stays at version 2: {"balance":20}"#,
        ])
    }

    @Test("after a rule change without rebuild, send says it validated under the rules as they are now, which `state` may not show")
    func mixedRules() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = try shell(test)
        _ = run(shell, output, #"send deposit {"account":"a-1","amount":100}"#)
        _ = run(shell, output, #"send withdraw {"account":"a-1","amount":40}"#)
        _ = run(shell, output, "aggregate account replace 2 on Withdrawn set balance = state.balance - $.amount, overdrawn = state.balance < $.amount")
        #expect(run(shell, output, #"send withdraw {"account":"a-1","amount":1000}"#) == [
            "rejected: insufficient funds: balance is 60",
            #"nothing was written; account a-1 stays at version 2: {"balance":60,"overdrawn":false}"#,
            "(validated against a-1's events folded under account's rules as they are now; the live states of aggregate account mix earlier rules, so `state account a-1` may differ until `aggregate rebuild account`)",
        ])
        #expect(run(shell, output, "state account a-1").first == #"{"balance":60}"#)
        _ = run(shell, output, "aggregate rebuild account")
        #expect(run(shell, output, #"send withdraw {"account":"a-1","amount":1000}"#).count == 2)
        #expect(run(shell, output, "state account a-1").first == #"{"balance":60,"overdrawn":false}"#)
    }

    @Test("in manual flow, send says the aggregate folds its events at the next step, and what `state` shows until then")
    func manualFlow() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = try shell(test)
        _ = run(shell, output, "flow manual")
        #expect(run(shell, output, #"send deposit {"account":"a-1","amount":10}"#) == [
            "appended accounts p\(partition) @0 Deposited",
            #"account a-1 is at version 1: {"balance":10}"#,
            "(flow manual: aggregate account folds these events at the next `step`; until then `state account a-1` finds no key a-1)",
        ])
        #expect(fail(shell, output, "state account a-1").contains("aggregate account has no key a-1"))
        _ = run(shell, output, "step")
        #expect(run(shell, output, #"send deposit {"account":"a-1","amount":10}"#).last
            == "(flow manual: aggregate account folds these events at the next `step`; until then `state account a-1` shows version 1)")
        #expect(run(shell, output, "state account a-1").first == #"{"balance":10}"#)
        _ = run(shell, output, "step")
        #expect(run(shell, output, "state account a-1").first == #"{"balance":20}"#)
    }

    @Test("send that gives up says each try it validated again, the error then saying nothing was written")
    func gaveUp() throws {
        let contention = CommandContention(
            command: "deposit", topic: "accounts", partition: 0,
            conflicts: [CommandConflict(validatedAt: 27, endedAt: 30), CommandConflict(validatedAt: 30, endedAt: 31)])
        #expect(Send.lines(contention) == [
            "validated again: another write landed in accounts p0 (its end moved from @27 to @30) between validating and appending",
            "validated again: another write landed in accounts p0 (its end moved from @30 to @31) between validating and appending",
        ])
        #expect(contention.description == "another writer appended to accounts p0 each of the 2 times deposit validated, so nothing was written: send it again")
    }

    @Test("help explains commands and send, and command names complete")
    func helpAndCompletion() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = try shell(test)
        let command = run(shell, output, "help command").joined(separator: " ")
        #expect(command.contains("CQRS (command query responsibility segregation) splits writing from reading."))
        #expect(command.contains("the REPL's own commands (topic, publish, service …) are listed by `help`"))
        let send = run(shell, output, "help send").joined(separator: " ")
        #expect(send.contains("Kafka itself has no conditional append"))
        #expect(send.contains("Real systems keep one writer per key"))
        let completer = Completer(broker: test.broker, flows: { shell.flows })
        #expect(completer.complete("send w").candidates == ["withdraw"])
        #expect(completer.complete("command describe d").candidates == ["deposit"])
        #expect(completer.complete("command ").candidates.contains("list"))
    }
}
