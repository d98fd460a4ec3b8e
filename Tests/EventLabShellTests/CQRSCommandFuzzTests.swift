import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Bad aggregate, command, projection and upcaster definitions")
struct CQRSCommandFuzzTests {
    static let setup = [
        "topic create accounts --partitions 2 --retention forever",
        #"aggregate create account --from accounts --key $.account --init {"balance":0} --snapshot-every 3"#,
        "aggregate account on Deposited set balance = state.balance + $.amount",
        "aggregate account on Withdrawn when $.amount <= state.balance set balance = state.balance - $.amount",
        #"command deposit --aggregate account emit accounts {"type":"Deposited","account":$.account,"amount":$.amount}"#,
        #"command withdraw --aggregate account when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":$.account,"amount":$.amount} else reject "insufficient funds: balance is " + string(state.balance)"#,
        "projection create balances --from accounts",
        "projection balances on Deposited sum $.amount by $.account",
        "projection create owners --from accounts --inline",
        "projection owners on Opened put $.account = $.owner",
    ]
    static let seeds = setup + [
        #"aggregate create ledger --from accounts --key $.account --type-field kind --init {"n":0}"#,
        "aggregate account replace 2 on Withdrawn set balance = state.balance - $.amount * 2", "aggregate account remove 1",
        "aggregate rebuild account", "aggregate snapshot account", "aggregate describe account", "aggregate list", "aggregate delete ledger",
        "state account a-1", "state account a-1 --at 2", "state account a-1 --version 1", "state account a-1 --trace",
        "state account a-1 --at 2024-01-01T00:00:00Z", "show aggregate account a-1",
        #"send deposit {"account":"a-1","amount":30}"#, #"send withdraw {"account":"a-1","amount":500}"#,
        #"send withdraw {"account":"a-1","amount":5} --expect-version 1"#, "command list", "command describe withdraw",
        "command delete deposit", "projection pause balances", "projection resume balances", "projection rebuild balances",
        "projection balances on Withdrawn count by $.account", "projection balances remove 1", "projection describe balances",
        "query balances", "query balances a-1", "show projection balances", "projection delete owners",
        #"upcast on Deposited when $.cents != null to {"type":"Deposited","account":$.account,"amount":$.cents / 100}"#,
        "upcast remove 1", "upcast list", #"upcast try {"type":"Deposited","account":"a-1","cents":250}"#,
        #"publish accounts key=a-1 {"type":"Deposited","account":"a-1","amount":"lots"}"#,
        "flow manual", "step 2", "flow auto", "flow export", "show flow",
    ]
    static let pieces = ["--", "'", "\"", "{", "}", "[", "]", ";", "\\", "=", "$", "$.", "-1", "99999999999999999999", "on", "set",
                         "when", "emit", "else", "reject", "put", "sum", "by", "count", "--at", "--version", "--trace",
                         "--expect-version", "--inline", "--key", "--init", "(", ")", "+", "*", "/ 0", "é", "🎉", "\u{0}", "\t",
                         "accounts", "account", "balances", "a-1", "9223372036854775807", "\n", "--from", "replace", "remove", "state."]

    /// A shell with two topics' worth of accounts, an aggregate, two commands and two projections.
    func shell() throws -> (Shell, CapturedOutput) {
        let clock = LogicalClock()
        let broker = try Broker(clock: clock, ids: SeededIdSource(seed: 0))
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: clock, output: output, width: 80)
        for line in Self.setup { #expect(shell.execute(line), "\(line): \(output.text)") }
        return (shell, output)
    }

    @Test("10,000 random and mutated aggregate, command, projection and upcaster lines never crash; each failure is one clear error")
    func randomDefinitions() throws {
        var random = SplitMix(seed: 16)
        let (shell, output) = try shell()
        var succeeded = 0
        for round in 0..<10_000 {
            var scalars = Array(Self.seeds[Int(random.next() % UInt64(Self.seeds.count))].unicodeScalars)
            for _ in 0..<Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(scalars.count + 1))
                let piece = Array(Self.pieces[Int(random.next() % UInt64(Self.pieces.count))].unicodeScalars)
                switch random.next() % 3 {
                case 0: scalars.insert(contentsOf: piece, at: position)
                case 1: if position < scalars.count { scalars.removeSubrange(position..<min(scalars.count, position + Int(random.next() % 6) + 1)) }
                default: if position < scalars.count { scalars.replaceSubrange(position...position, with: piece) }
                }
            }
            let line = String(String.UnicodeScalarView(scalars))
            output.clear()
            if shell.execute(line) {
                succeeded += 1
                continue
            }
            // Aggregates and projections that fail on what they read warn too; the command's own failure is one error.
            let errors = output.errors.filter { $0.hasPrefix("error") }
            #expect(errors.count == 1, "round \(round): `\(line)` printed \(output.errors)")
            #expect((errors.first?.count ?? 0) > "error: ".count + 10, "round \(round): `\(line)` printed \(output.errors)")
        }
        #expect(succeeded > 1_000, "too few lines ran for the definitions to be exercised: \(succeeded)")
    }

    @Test("the same commands print the same output, byte for byte, in two fresh shells")
    func deterministic() throws {
        var outputs: [String] = []
        for _ in 0..<2 {
            let (shell, output) = try shell()
            for line in Self.seeds { _ = shell.execute(line) }
            outputs.append(output.text + output.errors.joined(separator: "\n"))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].contains("rejected: insufficient funds"))
    }
}
