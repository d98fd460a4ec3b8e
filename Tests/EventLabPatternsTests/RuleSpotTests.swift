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

    @Test("a column outside the rule gives the column alone, never a crash")
    func outside() {
        #expect(RuleSpot.describe("key", column: 0, in: "on X") == "the key at column 0")
        #expect(RuleSpot.describe("key", column: 9, in: "on X") == "the key at column 9")
    }
}
