import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Random and mutated service rules")
struct ServiceFuzzTests {
    /// A rule built from random expressions, with and without a condition, key and headers.
    static func rule(using generator: inout SeededGenerator) -> String {
        func part(_ generator: inout SeededGenerator) -> String { ExpressionFuzzTests.expression(depth: 1, using: &generator) }
        var text = "on " + ["OrderPlaced", "T", "order.placed"].randomElement(using: &generator)!
        if Bool.random(using: &generator) { text += " when " + part(&generator) }
        text += " emit " + ["payments", "fraud-checks", "a.b_c"].randomElement(using: &generator)! + " " + part(&generator)
        if Bool.random(using: &generator) { text += " key=" + part(&generator) }
        if Bool.random(using: &generator) { text += " --header h=" + part(&generator) }
        return text
    }

    @Test("12,000 random and mutated rules each parse or give one error with a column in range, and react the same twice")
    func noCrashOneClearError() {
        var generator = SeededGenerator(seed: 15)
        var parsed = 0
        var refused = 0
        var handled = 0
        var poisoned = 0
        var blocked = 0
        for round in 0..<12_000 {
            let valid = Self.rule(using: &generator)
            let text = round % 2 == 0 ? valid : ExpressionFuzzTests.mutated(valid, using: &generator)
            let width = text.unicodeScalars.count + 1
            do throws(RuleSyntaxError) {
                var service = Service(
                    name: "s", sources: ["orders"], typeSource: round % 3 == 0 ? .header("ce_type") : .field("type"),
                    deadLetter: round % 4 == 0 ? "dlq" : nil)
                let rule = try ServiceRule(text)
                #expect(throws: Never.self) { try service.add(rule) }
                parsed += 1
                for record in ExpressionFuzzTests.records {
                    let reaction = service.react(to: record, topic: "orders", partition: 1, tables: FixedTables())
                    #expect(reaction == service.react(to: record, topic: "orders", partition: 1, tables: FixedTables()), "\(text)")
                    switch reaction {
                    case .handled: handled += 1
                    case .skipped: break
                    case .poison(let poison):
                        #expect(!poison.description.contains("\n") && (poison.deadLetter != nil) == (round % 4 == 0), "\(text): \(poison)")
                        poisoned += 1
                    case .blocked(let failure):
                        #expect(failure.service == "customer-svc" && !failure.description.contains("\n"), "\(text): \(failure)")
                        blocked += 1
                    }
                }
            } catch {
                #expect((1...width).contains(error.column), "\(text): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                refused += 1
            }
        }
        #expect(parsed > 3_000 && refused > 3_000 && handled > 1_000 && poisoned > 1_000 && blocked > 50)
    }
}
