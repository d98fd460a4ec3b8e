import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Goals over the flows: services, tables, aggregates, commands and projections as the shell holds them")
struct FlowGoalTests {
    @Test("a service exists or is absent, runs, stops, lags and emits", arguments: Backend.allCases)
    func services(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create orders", "topic create payments")
        try state.unmet("service billing exists", "service billing does not exist")
        try state.met("service billing absent", "service billing does not exist")
        try state.unmet("service billing lag == 0", "service billing does not exist; the goal is lag 0")
        try state.unmet("service billing state == running", "service billing does not exist; the goal is state running")
        try state.unmet("service billing emitted >= 1", "service billing does not exist; the goal is at least 1 emitted record")
        state.run("service create billing --from orders")
        state.run(#"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id,"cents":$.total * 100}"#)
        try state.met("service billing exists", "service billing exists")
        try state.unmet("service billing absent", "service billing exists; the goal is that it does not")
        try state.met("service billing state == running", "service billing is running")
        try state.unmet("service billing emitted >= 1", "service billing has emitted 0 records; the goal is at least 1")
        state.run("service stop billing")
        try state.unmet("service billing state == running", "service billing is stopped; the goal is running")
        try state.met("service billing state != Running", "service billing is stopped")
        state.run(#"publish orders {"type":"OrderPlaced","id":"o-1","total":2}"#)
        state.run(#"publish orders {"type":"OrderPlaced","id":"o-2","total":3}"#)
        try state.unmet("service billing lag == 0", "service billing has lag 2; the goal is 0")
        try state.met("service billing lag > 1", "service billing has lag 2")
        state.run("service start billing")
        try state.met("service billing lag == 0", "service billing has lag 0")
        try state.met("service billing emitted == 2", "service billing has emitted 2 records")
        state.run(#"publish orders {"type":"OrderPlaced","id":"o-3","total":"lots"}"#)
        try state.met("service billing state == poisoned", "service billing is poisoned")
        try state.met("service billing lag == 1", "service billing has lag 1")
        state.run("service skip billing")
        state.run("service crash billing --before-commit")
        state.run(#"publish orders {"type":"OrderPlaced","id":"o-4","total":1}"#)
        try state.met("service billing state == crashed", "service billing is crashed")
        state.run("service delete billing")
        try state.met("service billing absent", "service billing does not exist")
    }

    @Test("a dead letter is counted apart, not as emitted: describe, show flow, the drain's line and the goal agree", arguments: Backend.allCases)
    func deadLettersAreNotEmitted(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create orders", "topic create payments", "topic create billing-dlq")
        state.run("service create billing --from orders --dead-letter billing-dlq")
        state.run(#"service billing on OrderPlaced emit payments {"order":$.id,"cents":$.total * 100}"#)
        state.run(#"publish orders {"type":"OrderPlaced","id":"o-1","total":2}"#)
        state.run(#"publish orders {"type":"OrderPlaced","id":"o-2","total":"lots"}"#)
        try state.met("service billing emitted == 1", "service billing has emitted 1 record")
        state.output.clear()
        state.run("service describe billing")
        #expect(state.output.lines.contains("  this session: read 2, emitted 1, skipped 0, dead-lettered 1"), "\(state.output.lines)")
        state.output.clear()
        state.run("show flow")
        #expect(state.output.lines.contains { $0.contains("(lag 0, 2 in, 1 out)") }, "\(state.output.lines)")
        // Many records at once are told a line per service, which counts them the same way.
        state.output.clear()
        state.run(#"publish orders --repeat 30 {"type":"OrderPlaced","id":"p-{n}","total":"lots"}"#)
        #expect(state.output.lines.contains("billing read 30, emitted 0, dead-lettered 30"), "\(state.output.lines)")
        try state.met("service billing emitted == 1", "service billing has emitted 1 record")
    }

    @Test("a table exists, holds keys, and a key's value has fields", arguments: Backend.allCases)
    func tables(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create customers --compact")
        try state.unmet("table view exists", "table view does not exist")
        try state.met("table view absent", "table view does not exist")
        try state.unmet("table view keys == 1", "table view does not exist; the goal is 1 key")
        try state.unmet("table view key c-1 field city == Oslo", "table view does not exist; the goal is city Oslo for key c-1")
        state.run("table create view --from customers")
        try state.met("table view exists", "table view exists")
        try state.unmet("table view absent", "table view exists; the goal is that it does not")
        try state.unmet("table view keys >= 1", "table view has 0 keys; the goal is at least 1")
        try state.unmet("table view key c-1 exists", "table view has no key c-1; the goal is that it has")
        try state.unmet("table view key c-1 field city == Oslo", "table view has no key c-1; the goal is city Oslo for key c-1")
        state.run(#"publish customers key=c-1 {"name":"Ada","city":"Paris","age":36,"address":{"zip":"75001"}}"#)
        state.run(#"publish customers key=c-2 {"name":"Bo","city":"Oslo"}"#)
        try state.met("table view keys == 2", "table view has 2 keys")
        try state.met("table view key c-1 exists", "table view has key c-1")
        try state.unmet("table view key c-1 field city == Oslo", "table view key c-1 has city Paris; the goal is Oslo")
        try state.met("table view key c-1 field city != Oslo", "table view key c-1 has city Paris")
        try state.met("table view key c-1 field age > 9", "table view key c-1 has age 36")
        try state.met("table view key c-1 field address.zip == 75001", "table view key c-1 has address.zip 75001")
        try state.unmet("table view key c-1 field phone == 1", "table view key c-1 has no field phone; the goal is phone 1")
        state.run("publish customers key=c-2 --tombstone")
        try state.met("table view key c-2 absent", "table view has no key c-2")
        try state.unmet("table view key c-1 absent", "table view has key c-1; the goal is that it has not")
        try state.met("table view keys == 1", "table view has 1 key")
    }

    @Test("a table lags behind its topic until it reads it: in manual flow, until a step", arguments: Backend.allCases)
    func tableLag(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create customers --compact")
        try state.unmet("table view lag == 0", "table view does not exist; the goal is lag 0")
        state.run("table create view --from customers")
        try state.met("table view lag == 0", "table view has lag 0")
        state.run("flow manual")
        state.run(#"publish customers key=c-1 {"name":"Ada"}"#)
        state.run(#"publish customers key=c-2 {"name":"Bo"}"#)
        try state.unmet("table view lag == 0", "table view has lag 2; the goal is 0")
        try state.met("table view lag >= 1", "table view has lag 2")
        state.run("step")
        try state.met("table view lag == 0", "table view has lag 0")
    }

    @Test("an aggregate exists, has rules and keys, and each key a version and a state", arguments: Backend.allCases)
    func aggregates(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create bank --partitions 2")
        try state.unmet("aggregate account exists", "aggregate account does not exist")
        try state.met("aggregate account absent", "aggregate account does not exist")
        try state.unmet("aggregate account key a-1 version == 1", "aggregate account does not exist; the goal is version 1 for key a-1")
        state.run(#"aggregate create account --from bank --key $.account --init {"balance":0,"status":"open"}"#)
        state.run("aggregate account on Deposited set balance = state.balance + $.amount")
        try state.met("aggregate account exists", "aggregate account exists")
        try state.unmet("aggregate account absent", "aggregate account exists; the goal is that it does not")
        try state.unmet("aggregate account rules >= 2", "aggregate account has 1 rule; the goal is at least 2")
        try state.met("aggregate account key a-1 version == 0", "aggregate account key a-1 is at version 0")
        try state.met("aggregate account key a-1 field balance == 0", "aggregate account key a-1 has balance 0")
        state.run("aggregate account on Withdrawn when $.amount <= state.balance set balance = state.balance - $.amount")
        try state.met("aggregate account rules == 2", "aggregate account has 2 rules")
        state.run(#"publish bank key=a-1 {"type":"Deposited","account":"a-1","amount":10}"#)
        state.run(#"publish bank key=a-1 {"type":"Withdrawn","account":"a-1","amount":2.5}"#)
        state.run(#"publish bank key=a-2 {"type":"Deposited","account":"a-2","amount":5}"#)
        try state.met("aggregate account keys == 2", "aggregate account has 2 keys")
        try state.met("aggregate account key a-1 version == 2", "aggregate account key a-1 is at version 2")
        try state.unmet("aggregate account key a-1 version > 2", "aggregate account key a-1 is at version 2; the goal is more than 2")
        try state.unmet("aggregate account key a-1 field balance >= 10", "aggregate account key a-1 has balance 7.5; the goal is at least 10")
        try state.met("aggregate account key a-1 field balance == 7.50", "aggregate account key a-1 has balance 7.5")
        try state.met("aggregate account key a-1 field balance > 7.25", "aggregate account key a-1 has balance 7.5")
        try state.met("aggregate account key a-1 field status == open", "aggregate account key a-1 has status open")
        try state.unmet("aggregate account key a-1 field status < abc", "aggregate account key a-1 has status open; the goal is less than abc")
        try state.unmet("aggregate account key a-1 field owner == Ada", "aggregate account key a-1 has no field owner; the goal is owner Ada")
    }

    @Test("a command exists or is absent", arguments: Backend.allCases)
    func commands(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create bank", #"aggregate create account --from bank --key $.account --init {"balance":0}"#)
        try state.unmet("command withdraw exists", "command withdraw does not exist")
        try state.met("command withdraw absent", "command withdraw does not exist")
        state.run(#"command withdraw --aggregate account when state.balance >= $.amount emit bank {"type":"Withdrawn","account":$.account,"amount":$.amount} else reject "insufficient funds""#)
        try state.met("command withdraw exists", "command withdraw exists")
        try state.unmet("command withdraw absent", "command withdraw exists; the goal is that it does not")
    }

    @Test("a command's sends are counted as accepted or rejected, a version that moved on included, and forgotten with the command", arguments: Backend.allCases)
    func commandSends(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create bank", #"aggregate create account --from bank --key $.account --init {"balance":0}"#,
                                  "aggregate account on Deposited set balance = state.balance + $.amount")
        try state.unmet("command deposit accepted >= 1", "command deposit does not exist; the goal is at least 1 accepted send")
        state.run(#"command deposit --aggregate account when $.amount > 0 emit bank {"type":"Deposited","account":$.account,"amount":$.amount} else reject "more than 0""#)
        try state.unmet("command deposit accepted >= 1", "command deposit has 0 accepted sends; the goal is at least 1")
        state.run(#"send deposit {"account":"a-1","amount":5}"#)
        state.run(#"send deposit {"account":"a-1","amount":0}"#)
        state.run(#"send deposit {"account":"a-1","amount":5} --expect-version 0"#)
        try state.met("command deposit accepted == 1", "command deposit has 1 accepted send")
        try state.met("command deposit rejected == 2", "command deposit has 2 rejected sends")
        state.run("command delete deposit")
        state.run(#"command deposit --aggregate account emit bank {"type":"Deposited","account":$.account,"amount":$.amount}"#)
        try state.met("command deposit rejected == 0", "command deposit has 0 rejected sends")
    }

    @Test("a projection exists, runs or is paused, lags, and holds rows with counts, sums and fields", arguments: Backend.allCases)
    func projections(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create accounts --partitions 2")
        try state.unmet("projection balances exists", "projection balances does not exist")
        try state.met("projection balances absent", "projection balances does not exist")
        try state.unmet("projection balances lag == 0", "projection balances does not exist; the goal is lag 0")
        try state.unmet("projection balances key a-1 sum >= 10", "projection balances does not exist; the goal is sum at least 10 for key a-1")
        state.run("projection create balances --from accounts")
        state.run("projection balances on Deposited sum $.amount by $.account")
        state.run("projection balances on Deposited count by $.account")
        try state.unmet("projection balances rules == 3", "projection balances has 2 rules; the goal is 3")
        state.run(#"projection balances on Opened put $.account = {"owner":$.owner}"#)
        try state.met("projection balances rules == 3", "projection balances has 3 rules")
        try state.met("projection balances exists", "projection balances exists")
        try state.unmet("projection balances absent", "projection balances exists; the goal is that it does not")
        try state.met("projection balances state == running", "projection balances is running")
        try state.unmet("projection balances key a-1 sum >= 10", "projection balances key a-1 has sum 0; the goal is at least 10")
        state.run(#"publish accounts key=a-1 {"type":"Opened","account":"a-1","owner":"Ada"}"#)
        state.run(#"publish accounts key=a-1 {"type":"Deposited","account":"a-1","amount":7.5}"#)
        try state.met("projection balances rows == 1", "projection balances has 1 row")
        try state.met("projection balances key a-1 count == 1", "projection balances key a-1 has count 1")
        try state.unmet("projection balances key a-1 sum >= 10", "projection balances key a-1 has sum 7.5; the goal is at least 10")
        try state.met("projection balances key a-1 field owner == Ada", "projection balances key a-1 has owner Ada")
        try state.unmet("projection balances key a-9 field owner == Ada", "projection balances has no row put for key a-9; the goal is owner Ada for key a-9")
        state.run("projection pause balances")
        try state.unmet("projection balances state == running", "projection balances is paused; the goal is running")
        state.run(#"publish accounts key=a-1 {"type":"Deposited","account":"a-1","amount":5}"#)
        state.run(#"publish accounts key=a-2 {"type":"Deposited","account":"a-2","amount":5}"#)
        try state.unmet("projection balances lag == 0", "projection balances has lag 2; the goal is 0")
        try state.unmet("projection balances key a-1 sum >= 10", "projection balances key a-1 has sum 7.5; the goal is at least 10")
        state.run("projection resume balances")
        try state.met("projection balances lag == 0", "projection balances has lag 0")
        try state.met("projection balances key a-1 sum >= 10", "projection balances key a-1 has sum 12.5")
        try state.met("projection balances rows == 2", "projection balances has 2 rows")
    }

    @Test("the flow's mode and its upcasters, a subject with no name", arguments: Backend.allCases)
    func flow(_ backend: Backend) throws {
        let state = try GoalState(backend, "topic create bank")
        try state.met("flow mode == auto", "flow mode is auto")
        try state.unmet("flow mode == manual", "flow mode is auto; the goal is manual")
        try state.unmet("flow upcasters >= 1", "flow has 0 upcasters; the goal is at least 1")
        state.run("flow manual")
        try state.met("flow mode == Manual", "flow mode is manual")
        try state.unmet("flow mode != manual", "flow mode is manual; the goal is anything but manual")
        state.run(#"upcast on MoneyDeposited to {"type":"Deposited","account":$.account,"cents":$.amount * 100}"#)
        try state.met("flow upcasters == 1", "flow has 1 upcaster")
    }

    @Test("goals over the flows that cannot be read say where and what would fit")
    func unreadable() {
        let bad: [(String, Int, String)] = [
            ("service billing state == asleep", 26, "'asleep' is not a service state: write running, stopped, poisoned, waiting or crashed"),
            ("service billing state == runing", 26, "'runing' is not a service state (did you mean 'running'?): write running, stopped, poisoned, waiting or crashed"),
            ("service billing state > running", 23, "'>' does not compare words: write == or !="),
            ("service billing lagg == 0", 17, "unexpected 'lagg' after `service billing` (did you mean 'lag'?): expected one of exists, absent, state, lag or emitted"),
            ("flow", 5, "`flow` ends too soon: next comes mode or upcasters"),
            ("flow mode == manaul", 14, "'manaul' is not a flow mode (did you mean 'manual'?): write auto or manual"),
            ("flow billing mode == auto", 6, "unexpected 'billing' after `flow`: expected one of mode or upcasters"),
            ("service", 8, "`service` needs a name next: a service name, such as billing, as in `service billing exists`"),
            ("table view key c-1 field", 25, "`table view key c-1 field` ends too soon: next comes a field name, such as balance"),
            ("table view key c-1 fields tier == gold", 20,
             "unexpected 'fields' after `table view key c-1` (did you mean 'field'?): expected one of exists, absent or field"),
            ("aggregate account key a-1 version == -1", 38, "'-1' is not a whole number of 0 or more, such as 3"),
            ("aggregate account key a-1 field balance => 10", 41, "'=>' is not an operator: write one of == != < <= > >="),
            ("command withdraw sent", 18, "unexpected 'sent' after `command withdraw`: expected one of exists, absent, accepted or rejected"),
            ("projection balances state == stopped", 30, "'stopped' is not a projection state: write running or paused"),
            ("projection balances key a-1 total >= 1", 29,
             "unexpected 'total' after `projection balances key a-1`: expected one of count, sum or field"),
        ]
        for (text, column, message) in bad {
            #expect(throws: GoalError(column: column, message), "\(text)") { try Goal.parse(text) }
        }
    }
}
