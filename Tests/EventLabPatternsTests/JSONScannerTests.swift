import Testing
@testable import EventLabPatterns

@Suite("The field scanner")
struct JSONScannerTests {
    func scan(_ path: [JSONPathStep], _ text: String) throws -> String? {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            try JSONScanner.find(path, in: buffer).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
    }

    @Test("finds the raw bytes of a field, an element, and nested ones")
    func finds() throws {
        let text = #" {"id" : "o-1", "order": {"lines": [ {"sku":"a"}, {"sku" : "b\"c"} ], "total": 12.50}, "x\u0041": 1} "#
        #expect(try scan([.member("id")], text) == #""o-1""#)
        #expect(try scan([.member("order"), .member("total")], text) == "12.50")
        #expect(try scan([.member("order"), .member("lines"), .index(1), .member("sku")], text) == #""b\"c""#)
        #expect(try scan([.member("order"), .member("lines"), .index(0)], text) == #"{"sku":"a"}"#)
        #expect(try scan([.member("xA")], text) == "1")
        #expect(try scan([], text) != nil)
    }

    @Test("a path that leads nowhere is nil, not an error")
    func missing() throws {
        let text = #"{"a": {"b": [1, 2]}, "s": "text"}"#
        #expect(try scan([.member("z")], text) == nil)
        #expect(try scan([.member("a"), .member("b"), .index(2)], text) == nil)
        #expect(try scan([.member("s"), .member("x")], text) == nil)
        #expect(try scan([.index(0)], text) == nil)
        #expect(try scan([.member("a"), .member("b"), .member("c")], text) == nil)
    }

    @Test("a document broken on the way to the field is an error")
    func broken() {
        for text in [#"{"a" 1, "b": 2}"#, #"{"a": [1, {"x": "}], "b": 2}"#, #"{"a": "unterminated"#, #"{"a": [1}, "b": 2}"#, "{"] {
            #expect(throws: JSONError.self) { try scan([.member("b")], text) }
        }
    }

    @Test("agrees with the full parser on many random documents and paths")
    func agreesWithParser() throws {
        var generator = SeededGenerator(seed: 42)
        var found = 0
        for _ in 0..<3_000 {
            let value = RandomJSON.value(depth: 0, using: &generator)
            let text = RandomJSON.spaced(value, using: &generator)
            let bytes = Array(text.utf8)
            #expect(try JSONParser.parse(bytes) == value)
            for _ in 0..<5 {
                let path = RandomJSON.path(into: value, using: &generator)
                let expected = path.reduce(Optional(value)) { partial, step in partial.flatMap { Evaluator.step($0, step) } }
                let range = try bytes.withUnsafeBufferPointer { try JSONScanner.find(path, in: $0) }
                let actual = try range.map { try JSONParser.parse(bytes[$0]) }
                #expect(actual == expected, "\(text) at \(path)")
                if actual != nil { found += 1 }
            }
        }
        #expect(found > 3_000)
    }
}

extension JSONScannerTests {
    @Test("mutated documents give a range inside the bytes or an error, never a trap")
    func mutatedDocuments() {
        var generator = SeededGenerator(seed: 7)
        let foreign = Array(#"{}[]:,"\ 0e-"#.utf8) + [0xFF, 0x00]
        var answered = 0
        for _ in 0..<5_000 {
            let value = RandomJSON.value(depth: 0, using: &generator)
            var bytes = Array(RandomJSON.spaced(value, using: &generator).utf8)
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                if Bool.random(using: &generator) { bytes.remove(at: index) } else { bytes[index] = foreign.randomElement(using: &generator)! }
            }
            let path = RandomJSON.path(into: value, using: &generator)
            if let range = try? bytes.withUnsafeBufferPointer({ try JSONScanner.find(path, in: $0) }) {
                #expect(range.lowerBound >= 0 && range.upperBound <= bytes.count)
                answered += 1
            }
        }
        #expect(answered > 0)
    }
}

/// Random JSON documents and paths for the scanner and parser tests.
enum RandomJSON {
    static let names = ["id", "type", "a", "b", "total", "x-y", "é", "q\"", ""]

    static func value(depth: Int, using generator: inout SeededGenerator) -> JSON {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number((try? ExactNumber(mantissa: Int64.random(in: -100_000...100_000, using: &generator), scale: Int.random(in: 0...3, using: &generator))) ?? ExactNumber(0))
        case 3, 4: return .string(["", "o-1", "Paid", "tab\there", "quote\"", "ü", "\u{1}", "back\\slash"].randomElement(using: &generator)!)
        case 5: return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in value(depth: depth + 1, using: &generator) })
        default:
            var members: [(key: String, value: JSON)] = []
            for name in names.shuffled(using: &generator).prefix(Int.random(in: 0...4, using: &generator)) {
                members.append((name, value(depth: depth + 1, using: &generator)))
            }
            return .object(members)
        }
    }

    /// The value printed with random whitespace and escapes, as other writers might.
    static func spaced(_ value: JSON, using generator: inout SeededGenerator) -> String {
        let space = { (generator: inout SeededGenerator) in [" ", "", "\n", "\t "].randomElement(using: &generator)! }
        switch value {
        case .array(let elements):
            return "[" + space(&generator) + elements.map { spaced($0, using: &generator) + space(&generator) }.joined(separator: "," + space(&generator)) + "]"
        case .object(let members):
            return "{" + space(&generator) + members.map { member in
                escaped(member.key, using: &generator) + space(&generator) + ":" + space(&generator) + spaced(member.value, using: &generator)
            }.joined(separator: space(&generator) + ",") + space(&generator) + "}"
        case .string(let text): return escaped(text, using: &generator)
        default: return value.description
        }
    }

    /// A string sometimes written with `\u` escapes for its ASCII letters.
    static func escaped(_ text: String, using generator: inout SeededGenerator) -> String {
        let canonical = JSON.string(text).description
        guard Bool.random(using: &generator) else { return canonical }
        return "\"" + text.unicodeScalars.map { scalar -> String in
            if scalar.properties.isAlphabetic && scalar.isASCII { return "\\u00" + String(scalar.value, radix: 16) }
            return String(JSON.string(String(scalar)).description.dropFirst().dropLast())
        }.joined() + "\""
    }

    static func path(into value: JSON, using generator: inout SeededGenerator) -> [JSONPathStep] {
        var path: [JSONPathStep] = []
        var current: JSON? = value
        while Int.random(in: 0..<4, using: &generator) != 0 {
            switch current {
            case .object(let members)? where !members.isEmpty && Bool.random(using: &generator):
                let member = members.randomElement(using: &generator)!
                path.append(.member(member.key))
                current = member.value
            case .array(let elements)? where !elements.isEmpty && Bool.random(using: &generator):
                let index = Int.random(in: 0..<elements.count, using: &generator)
                path.append(.index(index))
                current = elements[index]
            default:
                path.append(Bool.random(using: &generator) ? .member(names.randomElement(using: &generator)!) : .index(Int.random(in: 0...3, using: &generator)))
                current = current.flatMap { Evaluator.step($0, path.last!) }
            }
        }
        return path
    }
}
