import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Random and mutated expressions")
struct ExpressionFuzzTests {
    static let records = [
        Record(
            offset: 3, timestamp: 5, key: Array("k".utf8),
            value: Array(#"{"type":"OrderPlaced","id":"o-1","total":120.5,"n":-3,"items":[{"sku":"a"},2],"flag":true,"x-y":null}"#.utf8),
            headers: [RecordHeader(key: "ce_type", value: Array("T".utf8))]),
        Record(offset: 0, timestamp: 0, key: nil, value: Array(#"[1, "two", {"type": 3}"#.utf8)),
        Record(offset: 9, timestamp: 9, key: [0xFF], value: nil),
    ]

    /// The leaves of event expressions: fields, literals, metadata, lookups and calls.
    static let eventLeaves = [
        "$.id", "$.total", "$.n", "$.items[0].sku", "$.items[1]", "$.missing", #"$."x-y""#, "$", "$.flag",
        "1", "0.1", "9223372036854775807", "2.5", #""text""#, #""""#, "true", "false", "null", "key", "offset",
        "partition", "timestamp", #"header("ce_type")"#, #"header("nope")"#, #"table("customer-view", $.id)"#,
        #"table("customer-view", "c-1").address"#, #"table("other", 1)"#,
        #"call customers.address("c-1")"#, "call customers.profile($.id).tier", #"call "customer-svc".address($.id)"#,
        "call customers.phone(1)", "call nobody.address(1)",
    ]

    /// Grammar-shaped text built from `leaves`: mostly well formed, sometimes with a wrong kind
    /// of operand.
    static func expression(depth: Int, leaves: [String] = eventLeaves, using generator: inout SeededGenerator) -> String {
        if depth > 3 || Int.random(in: 0..<3, using: &generator) == 0 {
            return leaves.randomElement(using: &generator)!
        }
        let next = { (generator: inout SeededGenerator) in expression(depth: depth + 1, leaves: leaves, using: &generator) }
        switch Int.random(in: 0..<10, using: &generator) {
        case 0, 1:
            let op = ["+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "and", "or"].randomElement(using: &generator)!
            return next(&generator) + " " + op + " " + next(&generator)
        case 2: return ["-", "not "].randomElement(using: &generator)! + next(&generator)
        case 3: return "(" + next(&generator) + ")"
        case 4: return "if " + next(&generator) + " then " + next(&generator) + " else " + next(&generator)
        case 5:
            let function = ["length", "lower", "upper", "number", "string"].randomElement(using: &generator)!
            return function + "(" + next(&generator) + ")"
        case 6: return "default(" + next(&generator) + ", " + next(&generator) + ")"
        case 7: return #"{"a":"# + next(&generator) + #","b":["# + next(&generator) + "]}"
        case 8: return "call customers." + ["address", "profile"].randomElement(using: &generator)! + "(" + next(&generator) + ")"
        default: return "[" + next(&generator) + ", " + next(&generator) + "]"
        }
    }

    /// The text with a few random edits: deleted, doubled, swapped or foreign characters.
    static func mutated(_ text: String, using generator: inout SeededGenerator) -> String {
        var scalars = Array(text.unicodeScalars)
        let foreign: [Unicode.Scalar] = ["(", ")", "{", "}", "[", "]", "\"", ".", ",", ":", "$", "-", "=", "!", "'", "`", "\\", "é", "\n", "0", "a", " ", "\u{0}"]
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            let index = scalars.isEmpty ? 0 : Int.random(in: 0..<scalars.count, using: &generator)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0 where !scalars.isEmpty: scalars.remove(at: index)
            case 1 where !scalars.isEmpty: scalars.insert(scalars[index], at: index)
            case 2 where scalars.count > 1:
                scalars.swapAt(index, Int.random(in: 0..<scalars.count, using: &generator))
            default: scalars.insert(foreign.randomElement(using: &generator)!, at: index)
            }
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    @Test("12,000 random and mutated expressions each compile or give one error with a column in range")
    func noCrashOneClearError() {
        var generator = SeededGenerator(seed: 2026)
        var compiled = 0
        var refused = 0
        var evaluated = 0
        var failed = 0
        for round in 0..<12_000 {
            let valid = Self.expression(depth: 0, using: &generator)
            let source = round % 2 == 0 ? valid : Self.mutated(valid, using: &generator)
            let width = source.count + 1
            do throws(ExpressionSyntaxError) {
                let expression = try Expression(source)
                compiled += 1
                for record in Self.records {
                    do throws(EvaluationError) {
                        let value = try expression.evaluate(record, partition: 1, tables: FixedTables())
                        #expect((try? JSONParser.parse(JSONPrinter.bytes(value))) == value, "\(source)")
                        evaluated += 1
                    } catch {
                        #expect((1...width).contains(error.column), "\(source): \(error)")
                        #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(source): \(error)")
                        failed += 1
                    }
                }
            } catch {
                #expect((1...width).contains(error.column), "\(source): \(error)")
                #expect(!error.message.isEmpty && !error.message.contains("\n"), "\(source): \(error)")
                refused += 1
            }
        }
        // Both paths are well exercised.
        #expect(compiled > 3_000 && refused > 3_000 && evaluated > 1_000 && failed > 1_000)
    }
}
