import Testing
@testable import EventLabPatterns

@Suite("The JSON parser and printer")
struct JSONParserTests {
    @Test("prints compact and canonical: member order kept, minimal escapes, exact numbers")
    func canonicalPrinting() throws {
        let value = try JSONParser.parse(#" { "type" : "Paid", "amount" : 10.50, "tags" : [ true, null, -0 ], "a" : {} } "#)
        #expect(value.description == #"{"type":"Paid","amount":10.5,"tags":[true,null,0],"a":{}}"#)
        let text = try JSONParser.parse(#""quote \" back \\ slash \/ tab \t nl \n bell \u0007 é \u00e9 😀 \ud83d\ude00""#)
        #expect(text.description == "\"quote \\\" back \\\\ slash / tab \\t nl \\n bell \\u0007 é é 😀 😀\"")
        #expect(JSON.string("\u{1F}\u{08}\u{0C}\r").description == #""\u001f\b\f\r""#)
    }

    @Test("equality ignores member order; printing keeps it")
    func memberOrder() throws {
        let a = try JSONParser.parse(#"{"x":1,"y":2}"#)
        let b = try JSONParser.parse(#"{"y":2,"x":1.0}"#)
        #expect(a == b)
        #expect(a.description != b.description)
    }

    @Test("printing then parsing gives the same value back")
    func roundTrip() throws {
        for text in [#"[1,-2.25,"a\"b",{"k":[{}]},false]"#, #""\u0000""#, "123456789012345678", "0.000000000000000001"] {
            let value = try JSONParser.parse(text)
            #expect(try JSONParser.parse(JSONPrinter.bytes(value)) == value)
            #expect(value.description == text)
        }
    }

    @Test("refuses what RFC 8259 refuses, saying at which byte", arguments: [
        ("", 0, "expected a value"), ("{", 1, "member name"), ("[1,]", 3, "expected a value"),
        ("{\"a\":1,}", 7, "member name"), ("01", 1, "must not start with `0`"), ("1.", 2, "after the decimal point"),
        ("-", 1, "expected a digit"), ("1e", 2, "exponent"), ("+1", 0, "expected a value"), ("NaN", 0, "expected a value"),
        ("'a'", 0, "expected a value"), ("\"a", 2, "end the string"), ("\"\t\"", 1, "control character"),
        ("\"\\x\"", 2, "after `\\`"), ("\"\\ud800\"", 7, "low surrogate"), ("\"\\udc00\"", 7, "low surrogate"),
        ("[1 2]", 3, "`,` or `]`"), ("{\"a\" 1}", 5, "`:`"), ("tru", 3, "`true`"), ("nul", 3, "`null`"),
        ("1 2", 2, "end of the document"), ("{\"a\":1,\"a\":2}", 7, "appears twice"), ("// c\n1", 0, "expected a value"),
    ] as [(String, Int, String)])
    func strictness(text: String, offset: Int, words: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONError else { return false }
            return error.offset == offset && error.message.contains(words)
        }
    }

    @Test("refuses invalid UTF-8 inside strings")
    func invalidUTF8() throws {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82]] {
            #expect(throws: JSONError.self) { try JSONParser.parse(bytes) }
        }
        #expect(try JSONParser.parse([0x22, 0xE2, 0x82, 0xAC, 0x22]) == .string("€"))
    }

    @Test("nesting deeper than the limit is an error, not a stack overflow")
    func depthLimit() throws {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(deep) }
        let ok = String(repeating: "[", count: JSONParser.maxDepth) + String(repeating: "]", count: JSONParser.maxDepth)
        _ = try JSONParser.parse(ok)
        let tooDeep = "[" + ok + "]"
        #expect(throws: JSONError.self) { try JSONParser.parse(tooDeep) }
    }

    @Test("any bytes give a value or an error, never a trap")
    func randomBytes() {
        var generator = SeededGenerator(seed: 15)
        let alphabet = Array(#"{}[]:,"\ -+.eE0123456789truefalsnul"#.utf8) + [0x80, 0xC3, 0xA9, 0xFF, 0x00, 0x0A]
        var parsed = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...24, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            if (try? JSONParser.parse(bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 0)
    }
}

/// A small deterministic generator (SplitMix64), so random tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
