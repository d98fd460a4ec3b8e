import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Random and mutated commands")
struct CommandFuzzTests {
    /// A definition built from random expressions: one to three branches, each emitting one or
    /// two events, with and without a key, an `else emit` or an `else reject`.
    static func definition(using generator: inout SeededGenerator) -> String {
        func part(_ generator: inout SeededGenerator) -> String { ExpressionFuzzTests.expression(depth: 1, using: &generator) }
        func pick(_ known: [String], _ generator: inout SeededGenerator) -> String {
            Int.random(in: 0..<12, using: &generator) == 0 ? part(&generator) : known.randomElement(using: &generator)!
        }
        func emits(_ generator: inout SeededGenerator) -> String {
            (0..<Int.random(in: 1...2, using: &generator)).map { _ in
                let account = pick([#""a-1""#, "$.account", "key"], &generator)
                let amount = pick(["1", "$.amount", "default($.amount, 0)", #""x""#], &generator)
                return " emit " + ["accounts", "accounts", "accounts", "payments"].randomElement(using: &generator)! + " "
                    + #"{"type":"Deposited","account":"# + account + #","amount":"# + amount + "}"
            }.joined()
        }
        var text = "--aggregate account"
        if Bool.random(using: &generator) { text += " --key " + pick([#""a-1""#, "$.account"], &generator) }
        if Int.random(in: 0..<4, using: &generator) == 0 { return text + emits(&generator) }
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            text += " when " + pick(["state.balance >= 50", "default($.amount, 0) > 10", "true", "state.balance < 0"], &generator) + emits(&generator)
        }
        switch Int.random(in: 0..<3, using: &generator) {
        case 0: text += " else reject " + pick([#""no""#, #""balance " + string(state.balance)"#], &generator)
        case 1: text += " else" + emits(&generator)
        default: break
        }
        return text
    }

    @Test("3,000 random and mutated commands each parse or give one error with a column in range, and decide the same twice")
    func noCrashOneClearError() throws {
        var generator = SeededGenerator(seed: 16)
        let account = try AggregateFoldTests.account()
        let current = AggregateState(state: try JSONParser.parse(#"{"balance":100}"#), version: 1, offset: 0, partition: 1)
        var parsed = 0
        var refused = 0
        var accepted = 0
        var rejected = 0
        var failed = 0
        for round in 0..<3_000 {
            let valid = Self.definition(using: &generator)
            let text = round % 2 == 0 ? valid : ExpressionFuzzTests.mutated(valid, using: &generator)
            let width = text.unicodeScalars.count + 1
            let command: Command
            do throws(RuleSyntaxError) {
                command = try Command(name: "c", text)
            } catch {
                #expect((1...width).contains(error.column), "\(text): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                refused += 1
                continue
            }
            parsed += 1
            for record in ExpressionFuzzTests.records {
                let payload = record.value.map(Array.init) ?? []
                func decide() -> Result<CommandDecision, CommandError> {
                    do throws(CommandError) {
                        let key = try command.key(of: payload, aggregate: account)
                        return .success(try command.decide(
                            payload, key: key, current: current, expectedVersion: nil, aggregate: account, partition: 1, end: 5, now: 0))
                    } catch {
                        return .failure(error)
                    }
                }
                let decision = decide()
                #expect(decision == decide(), "\(text)")
                switch decision {
                case .success(.accepted): accepted += 1
                case .success(.rejected): rejected += 1
                case .failure(let error):
                    #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                    failed += 1
                }
            }
        }
        #expect(parsed > 1_000 && refused > 1_000 && accepted > 50 && rejected > 50 && failed > 1_000, "\(parsed) \(refused) \(accepted) \(rejected) \(failed)")
    }
}
