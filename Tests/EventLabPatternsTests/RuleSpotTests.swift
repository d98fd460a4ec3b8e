@testable import EventLabPatterns
import Testing

@Suite("Where in a rule a failure is: its column and the text around it")
struct RuleSpotTests {
    @Test("the text ten characters either side of the column, marked where it is cut")
    func excerpt() {
        let rule = #"on OrderPlaced emit bills {"id":$.id,"due":$.total * 1.2}"#
        #expect(RuleSpot.describe("template", column: 52, in: rule) == #"the template at column 52 (near `…":$.total * 1.2}`)"#)
        #expect(RuleSpot.describe("condition", column: 1, in: "on X when $.a > 1 set b = 2") == "the condition at column 1 (near `on X when $…`)")
    }

    @Test("columns count Unicode scalars, as the lexer does: an e and its combining accent are two")
    func decomposed() {
        // Two decomposed é (e + U+0301) before the column: counted in characters, the excerpt
        // would start two further to the right.
        let rule = "on X set n = \"e\u{301}e\u{301}\", total = $.total * 2"
        #expect(RuleSpot.describe("value", column: 30, in: rule) == "the value at column 30 (near `…, total = $.total * 2`)")
        #expect(RuleSpot.describe("value", column: 16, in: rule) == "the value at column 16 (near `…set n = \"e\u{301}e\u{301}\", total…`)")
    }

    @Test("a column outside the rule gives the column alone, never a crash")
    func outside() {
        #expect(RuleSpot.describe("key", column: 0, in: "on X") == "the key at column 0")
        #expect(RuleSpot.describe("key", column: 9, in: "on X") == "the key at column 9")
    }
}
