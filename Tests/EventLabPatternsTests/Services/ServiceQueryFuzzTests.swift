import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Random and mutated query definitions")
struct ServiceQueryFuzzTests {
    /// The leaves of answers: the parameter, literals and lookups, and now and then what an
    /// answer may not use (the event, its metadata, a call).
    static let answerLeaves = Array(repeating: [
        "id", "id", "1", "2.5", #""text""#, "true", "null", #"table("customer-view", id)"#,
        #"table("customer-view", id).address"#, #"table("customer-view", "c-1").tier"#, #"table("other", id)"#,
    ], count: 4).flatMap { $0 } + ["$.id", "key", #"header("h")"#, "call customers.address(id)", "other"]

    static func definition(using generator: inout SeededGenerator) -> String {
        let name = ["address", "tier", "q_1"].randomElement(using: &generator)!
        let parameter = ["id", "id", "id", "id", "id", "id", "id", "id", "key", "x y"].randomElement(using: &generator)!
        let answer = ExpressionFuzzTests.expression(depth: 1, leaves: answerLeaves, using: &generator)
        return "\(name)(\(parameter)) = \(answer)"
    }

    @Test("12,000 random and mutated definitions each parse or give one error with a column in range, and answer the same twice")
    func noCrashOneClearError() {
        var generator = SeededGenerator(seed: 1515)
        let arguments: [JSON] = [.string("c-1"), .string("c-9"), .number(ExactNumber(3)), .null]
        var parsed = 0
        var refused = 0
        var answered = 0
        var failed = 0
        for round in 0..<12_000 {
            let valid = Self.definition(using: &generator)
            let text = round % 2 == 0 ? valid : ExpressionFuzzTests.mutated(valid, using: &generator)
            let width = text.unicodeScalars.count + 1
            do throws(ExpressionSyntaxError) {
                let query = try ServiceQuery(text)
                var service = Service(name: "customers", sources: ["customers"])
                try? service.add(query)
                parsed += 1
                for argument in arguments {
                    let answer = service.answer(query: query.name, argument: argument, tables: FixedTables())
                    #expect(answer == service.answer(query: query.name, argument: argument, tables: FixedTables()), "\(text)")
                    switch answer {
                    case .answer: answered += 1
                    case .failed(let error):
                        #expect((1...width).contains(error.column), "\(text): \(error)")
                        #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                        failed += 1
                    default: Issue.record("\(text): \(answer)")
                    }
                }
            } catch {
                #expect((1...width).contains(error.column), "\(text): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                refused += 1
            }
        }
        #expect(parsed > 3_000 && refused > 3_000 && answered > 1_000 && failed > 1_000)
    }
}
