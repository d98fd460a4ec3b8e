import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Random and mutated projection rules")
struct ProjectionFuzzTests {
    /// The leaves of a rule's expressions: the event's, less the lookups and calls a projection
    /// refuses (the grammar still writes some).
    static let leaves = ExpressionFuzzTests.eventLeaves.filter { !$0.hasPrefix("call ") && !$0.hasPrefix("table(") }

    /// A rule built from random expressions: each action, with and without a condition.
    static func rule(using generator: inout SeededGenerator) -> String {
        func part(_ generator: inout SeededGenerator) -> String { ExpressionFuzzTests.expression(depth: 1, leaves: leaves, using: &generator) }
        var text = "on " + ["OrderPlaced", "T", "order.placed"].randomElement(using: &generator)!
        if Bool.random(using: &generator) { text += " when " + part(&generator) }
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: text += " put " + part(&generator) + " = " + part(&generator)
        case 1: text += " delete " + part(&generator)
        case 2: text += " count by " + part(&generator)
        default: text += " sum " + part(&generator) + " by " + part(&generator)
        }
        return text
    }

    @Test("12,000 random and mutated rules each parse or give one error with a column in range, and apply the same twice")
    func noCrashOneClearError() {
        var generator = SeededGenerator(seed: 16)
        var parsed = 0
        var refused = 0
        var applied = 0
        var failed = 0
        for round in 0..<12_000 {
            let valid = Self.rule(using: &generator)
            let text = round % 2 == 0 ? valid : ExpressionFuzzTests.mutated(valid, using: &generator)
            let width = text.unicodeScalars.count + 1
            do throws(RuleSyntaxError) {
                var projection = Projection(name: "p", sources: ["orders"], typeSource: round % 3 == 0 ? .header("ce_type") : .field("type"))
                let rule = try ProjectionRule(text)
                #expect(throws: Never.self) { try projection.add(rule) }
                parsed += 1
                var once = ReadModel(projection)
                var twice = ReadModel(projection)
                for record in ExpressionFuzzTests.records {
                    let change = once.apply(record, topic: "orders", partition: 1)
                    #expect(change == twice.apply(record, topic: "orders", partition: 1), "\(text)")
                    switch change {
                    case .applied: applied += 1
                    case .failed(let failure):
                        #expect(!failure.description.contains("\n") && !failure.reason.isEmpty, "\(text): \(failure)")
                        if let column = Self.column(failure.reason) { #expect((1...width).contains(column), "\(text): \(failure)") }
                        failed += 1
                    case .skipped, .alreadyApplied: break
                    }
                }
                #expect(once.entries.map { "\($0.key)\($0.row)" } == twice.entries.map { "\($0.key)\($0.row)" }, "\(text)")
            } catch {
                #expect((1...width).contains(error.column), "\(text): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                refused += 1
            }
        }
        #expect(parsed > 3_000 && refused > 3_000 && applied > 150 && failed > 500, "\(parsed) \(refused) \(applied) \(failed)")
    }

    /// The column a failure's reason names, as `the key at column 12: …` writes it.
    static func column(_ reason: String) -> Int? {
        guard let range = reason.range(of: " at column ") else { return nil }
        return Int(reason[range.upperBound...].prefix { $0.isNumber })
    }
}
