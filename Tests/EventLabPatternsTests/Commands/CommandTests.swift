import EventLabPatterns
import Testing

@Suite("A command's definition parses into branches, or says at which column it is wrong")
struct CommandTests {
    static let withdraw = #"--aggregate account --key $.account when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount} else reject "insufficient funds: balance is " + string(state.balance)"#

    @Test("a definition names its aggregate, key, branches with their emits, and rejection")
    func parses() throws {
        let command = try Command(name: "withdraw", Self.withdraw)
        #expect(command.aggregate == "account")
        #expect(command.key?.source == "$.account")
        #expect(command.branches.count == 1)
        #expect(command.branches[0].condition?.source == "state.balance >= $.amount")
        #expect(command.branches[0].emits.map(\.topic) == ["accounts"])
        #expect(command.rejection?.source == #""insufficient funds: balance is " + string(state.balance)"#)
        #expect(command.describe(keyOfAggregate: nil) == [
            "command withdraw validates against aggregate account, keyed by $.account",
            #"  1. when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount}"#,
            #"  else reject "insufficient funds: balance is " + string(state.balance)"#,
        ])
    }

    @Test("branches come in order, a branch may emit several events, and a last branch without when always applies")
    func branches() throws {
        let command = try Command(name: "transfer", #"--aggregate account when $.amount > 100 emit accounts {"type":"Flagged"} emit accounts {"type":"Withdrawn","amount":$.amount} when if $.fast then true else false emit accounts {"type":"Sped"} else emit accounts {"type":"Withdrawn","amount":$.amount}"#)
        #expect(command.key == nil)
        #expect(command.branches.map(\.emits.count) == [2, 1, 1])
        #expect(command.branches.map { $0.condition?.source } == ["$.amount > 100", "if $.fast then true else false", nil])
        #expect(command.rejection == nil)
        #expect(command.describe(keyOfAggregate: try Expression("$.account"))[0] == "command transfer validates against aggregate account, keyed by $.account (the aggregate's key)")
        #expect(command.describe(keyOfAggregate: nil).last == #"  else emit accounts {"type":"Withdrawn","amount":$.amount}"#)
        let rejecting = try Command(name: "close", #"--aggregate account when state.balance == 0 emit accounts {"type":"Closed"}"#)
        #expect(rejecting.describe(keyOfAggregate: nil).last == "  else reject (no condition of close holds)")
        let always = try Command(name: "deposit", CommandSendTests.deposit)
        #expect(always.describe(keyOfAggregate: nil).last == #"  1. emit accounts {"type":"Deposited","account":$.account,"amount":$.amount}"#)
    }

    @Test("a definition that does not parse says at which column and what was expected", arguments: [
        (#"when true emit accounts {"type":"X"}"#, 1, "expected --aggregate NAME first"),
        ("--aggregate", 12, "expected the aggregate's name after --aggregate, found the end of the rule"),
        ("--aggregate account --colour red", 21, "expected --aggregate NAME, --key EXPR or a branch"),
        ("--aggregate account", 20, "expected a branch, `when CONDITION emit TOPIC TEMPLATE`"),
        (#"--aggregate account when $.a > 1 {"type":"X"}"#, 46, "expected `emit` and a topic after the condition"),
        (#"--aggregate account when emit accounts {"type":"X"}"#, 26, "expected a condition after `when`"),
        ("--aggregate account when true emit accounts", 44, "expected a template after the topic"),
        (#"--aggregate account when total > 1 emit accounts {"type":"X"}"#, 26, "in the condition of branch 1: unknown name `total`"),
        (#"--aggregate account emit accounts {"type":"X"} when true emit accounts {"type":"Y"}"#, 48, "a command that emits without `when` always emits, so no branch"),
        (#"--aggregate account emit accounts {"type":"X"} else reject "no""#, 48, "a command that emits without `when` always emits, so `else` never applies"),
        (#"--aggregate account when true emit accounts {"type":"X"} else emit accounts {"type":"Y"} when false emit accounts {"type":"Z"}"#, 90, "`else emit …` is the last branch"),
        (#"--aggregate account when true emit accounts {"type":"X"} else reject"#, 69, "expected the rejection's message after `reject`"),
        (#"--aggregate account when true emit accounts {"type":"X"} else when false emit accounts {"type":"Y"}"#, 58, "`else` takes `reject MESSAGE` or `emit TOPIC TEMPLATE`"),
        (#"--aggregate account --key state.id when true emit accounts {"type":"X"}"#, 27, "in the key: unknown name `state`"),
        (#"--aggregate account when true emit accounts {"type": $.}"#, 56, "in the template of branch 1"),
        (#"--aggregate account when true emit accounts {"type": call customers.tier($.id)}"#, 54, "in the template of branch 1: a command cannot call a service"),
        (#"--aggregate account --key call customers.id($.x) emit accounts {"type":"X"}"#, 27, "in the key: a command cannot call a service"),
        (#"--aggregate account when table("limits", $.account) > 1 emit accounts {"type":"X"}"#, 26, "in the condition of branch 1: a command cannot look up a table: it is decided on its payload and its aggregate's state alone; send the value in the payload instead"),
        (#"--aggregate account when true emit accounts {"type":"X","n":table("fx","eur")}"#, 61, "in the template of branch 1: a command cannot look up a table"),
    ])
    func errors(text: String, column: Int, message: String) {
        #expect {
            try Command(name: "c", text)
        } throws: { error in
            guard let error = error as? RuleSyntaxError else { return false }
            return error.column == column && error.message.hasPrefix(message)
        }
    }

    @Test("an option after the branches says options go first, with the definition in the right order", arguments: [
        (#"--aggregate account when state.balance >= $.amount emit accounts {"type":"W"} --key $.account"#, 79,
         "the options (--aggregate NAME, --key EXPR) go before the branches, but --key follows them: write `command c --aggregate account --key $.account when …`"),
        (#"when true emit accounts {"type":"X"} --aggregate account"#, 38,
         "the options (--aggregate NAME, --key EXPR) go before the branches, but --aggregate follows them: write `command c --aggregate account when …`"),
        (#"--key $.id emit accounts {"type":"X"} --aggregate account"#, 39,
         "the options (--aggregate NAME, --key EXPR) go before the branches, but --aggregate follows them: write `command c --key $.id --aggregate account emit …`"),
    ])
    func misplacedOption(text: String, column: Int, message: String) {
        #expect {
            try Command(name: "c", text)
        } throws: { error in
            guard let error = error as? RuleSyntaxError else { return false }
            return error.column == column && error.message == message
        }
    }

    @Test("an emit to another topic than the aggregate's is refused: the aggregate would never see its events")
    func otherTopic() throws {
        let command = try Command(name: "withdraw", #"--aggregate account when true emit payments {"type":"Withdrawn"}"#)
        #expect(throws: CommandError("at column 36: the events go to payments, but aggregate account reads accounts: emit to accounts, or the aggregate would never see them and the next command would validate against a state without them")) {
            try command.check(against: AggregateFoldTests.account())
        }
    }
}
