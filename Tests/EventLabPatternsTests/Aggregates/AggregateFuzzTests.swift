import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Random and mutated aggregate rules")
struct AggregateFuzzTests {
    /// The leaves of fold expressions: the state and its fields beside the event's leaves, less
    /// the lookups and calls a fold refuses (the grammar still writes some).
    static let foldLeaves = ExpressionFuzzTests.eventLeaves.filter { !$0.hasPrefix("call ") && !$0.hasPrefix("table(") }
        + Array(repeating: ["state.balance", "state.count", "state", "state.missing", #"state."x-y""#], count: 3).flatMap { $0 }

    static func rule(using generator: inout SeededGenerator) -> String {
        let type = ["OrderPlaced", "T", "Deposited"].randomElement(using: &generator)!
        let expression = { (generator: inout SeededGenerator) in
            ExpressionFuzzTests.expression(depth: 1, leaves: foldLeaves, using: &generator)
        }
        var text = "on \(type)"
        if Bool.random(using: &generator) { text += " when " + expression(&generator) }
        let fields = ["balance", "count", #""x-y""#, "last"].shuffled(using: &generator).prefix(Int.random(in: 1...3, using: &generator))
        text += " set " + fields.map { "\($0) = " + expression(&generator) }.joined(separator: ", ")
        return text
    }

    @Test("12,000 random and mutated rules each parse or give one error with a column in range, and fold the same twice")
    func noCrashOneClearError() throws {
        var generator = SeededGenerator(seed: 1616)
        let states: [JSON] = [try JSONParser.parse(#"{"balance":10,"count":1}"#), .object([])]
        var parsed = 0
        var refused = 0
        var applied = 0
        var failed = 0
        let base = try Aggregate(name: "a", source: "t", key: try Expression("$.id"))
        for round in 0..<12_000 {
            let valid = Self.rule(using: &generator)
            let text = round % 2 == 0 ? valid : ExpressionFuzzTests.mutated(valid, using: &generator)
            let width = text.unicodeScalars.count + 1
            let rule: AggregateRule
            do throws(RuleSyntaxError) {
                rule = try AggregateRule(text)
            } catch {
                #expect((1...width).contains(error.column), "\(text): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                refused += 1
                continue
            }
            var aggregate = base
            try aggregate.add(rule)
            parsed += 1
            for record in ExpressionFuzzTests.records {
                for state in states {
                    let fold = aggregate.fold(state, record, partition: 1)
                    #expect(fold == aggregate.fold(state, record, partition: 1), "\(text)")
                    switch fold {
                    case .applied: applied += 1
                    case .skipped: break
                    case .failed(let failure):
                        #expect(!failure.reason.isEmpty && !failure.reason.contains("\n"), "\(text): \(failure)")
                        if failure.rule != nil, let column = Self.column(failure.reason) {
                            #expect((1...width).contains(column), "\(text): \(failure)")
                        }
                        failed += 1
                    }
                }
            }
        }
        #expect(parsed > 3_000 && refused > 3_000 && applied > 1_000 && failed > 1_000, "parsed \(parsed), refused \(refused), applied \(applied), failed \(failed)")
    }

    /// The column in `the value of x at column N: …`.
    static func column(_ reason: String) -> Int? {
        guard let range = reason.range(of: " at column ") else { return nil }
        return Int(reason[range.upperBound...].prefix(while: \.isNumber))
    }
}
