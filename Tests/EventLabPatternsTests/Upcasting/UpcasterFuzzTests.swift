import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Random and mutated upcasters")
struct UpcasterFuzzTests {
    /// The leaves of upcaster expressions: the event's, less the lookups and calls an upcaster refuses.
    static let leaves = ExpressionFuzzTests.eventLeaves.filter { !$0.hasPrefix("call ") && !$0.hasPrefix("table(") }

    static func upcaster(using generator: inout SeededGenerator) -> String {
        let expression = { (generator: inout SeededGenerator) in ExpressionFuzzTests.expression(depth: 1, leaves: leaves, using: &generator) }
        var text = "on " + ["OrderPlaced", "T", "OrderPlaced.v2"].randomElement(using: &generator)!
        if Bool.random(using: &generator) { text += " when " + expression(&generator) }
        let type = ["OrderPlaced", "OrderPlaced.v2", "T"].randomElement(using: &generator)!
        text += " to " + (Int.random(in: 0..<4, using: &generator) == 0
            ? expression(&generator) : #"{"type":"\#(type)","v":\#(expression(&generator))}"#)
        return text
    }

    @Test("8,000 random and mutated upcasters each parse or give one error with a column in range, and upcast the same twice")
    func noCrashOneClearError() {
        var generator = SeededGenerator(seed: 1617)
        var (parsed, refused, applied, failed) = (0, 0, 0, 0)
        var chain = Upcasters()
        for round in 0..<8_000 {
            let valid = Self.upcaster(using: &generator)
            let text = round % 2 == 0 ? valid : ExpressionFuzzTests.mutated(valid, using: &generator)
            let width = text.unicodeScalars.count + 1
            let upcaster: Upcaster
            do throws(RuleSyntaxError) {
                upcaster = try Upcaster(text)
            } catch {
                #expect((1...width).contains(error.column), "\(text): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(text): \(error)")
                refused += 1
                continue
            }
            parsed += 1
            // A chain of the last few upcasters, so types changed by one meet the next.
            if chain.all.count == 3, let first = chain.all.first { try? chain.remove(first.number) }
            _ = try? chain.add(upcaster)
            for record in ExpressionFuzzTests.records {
                for typeSource in [EventTypeSource.field("type"), .header("ce_type")] {
                    let upcast = chain.upcast(record, partition: 1, typeSource: typeSource)
                    #expect(upcast == chain.upcast(record, partition: 1, typeSource: typeSource), "\(text)")
                    switch upcast {
                    case .success(let result) where !result.applied.isEmpty:
                        applied += 1
                        #expect(result.record.key == record.key && result.record.headers == record.headers)
                    case .success: break
                    case .failure(let failure):
                        #expect(!failure.reason.isEmpty && !failure.reason.contains("\n"), "\(text): \(failure)")
                        failed += 1
                    }
                }
            }
        }
        #expect(parsed > 2_000 && refused > 2_000 && applied > 500 && failed > 500, "parsed \(parsed), refused \(refused), applied \(applied), failed \(failed)")
    }
}
