import Testing
@testable import EventLabPatterns

@Suite("Projection rules parse into one action, or say where they go wrong")
struct ProjectionRuleTests {
    @Test("each action parses with its expressions")
    func actions() throws {
        let put = try ProjectionRule(#"  on CustomerMoved when $.city != "" put $.customer = {"city": $.city}  "#)
        #expect(put.eventType == "CustomerMoved" && put.condition?.source == #"$.city != """#)
        guard case .put(let key, let value) = put.action else { Issue.record("not a put"); return }
        #expect(key.source == "$.customer" && value.source == #"{"city": $.city}"#)
        #expect(put.source.hasPrefix("on CustomerMoved") && put.expressions.count == 3)

        guard case .delete(let deleted) = try ProjectionRule("on CustomerLeft delete key").action else { Issue.record("not a delete"); return }
        #expect(deleted.source == "key")
        guard case .count(let group) = try ProjectionRule("on OrderPlaced count by $.customer").action else { Issue.record("not a count"); return }
        #expect(group.source == "$.customer")
        guard case .sum(let amount, let by) = try ProjectionRule(#"on OrderPlaced sum $.total * 2 by lower($.customer)"#).action else {
            Issue.record("not a sum"); return
        }
        #expect(amount.source == "$.total * 2" && by.source == "lower($.customer)")
    }

    @Test("words inside quotes and brackets never split a rule")
    func quotedWords() throws {
        let rule = try ProjectionRule(#"on T when $.x == "put" put {"by": "a = b"} = [$.sum, "by"]"#)
        guard case .put(let key, let value) = rule.action else { Issue.record("not a put"); return }
        #expect(key.source == #"{"by": "a = b"}"# && value.source == #"[$.sum, "by"]"#)
    }

    @Test("a wrong rule gives one error at the column of what is wrong", arguments: [
        ("count by $.c", 1, "expected `on`"),
        ("on", 3, "expected an event type after `on`, found the end of the rule"),
        ("on count by $.c", 4, "expected an event type"),
        ("on T emit x {}", 6, "expected `when` or `put`, `delete`, `count` or `sum` after the event type, found `emit`"),
        ("on T when $.x > 1", 18, "after the condition, found the end of the rule"),
        ("on T when count by $.c", 11, "expected a condition after `when`, found `count`"),
        ("on T put $.id $", 16, "expected ` = ` and a value after the key"),
        ("on T put = $", 10, "expected the key after `put`, e.g. put $.id = $, found `=`"),
        ("on T put $.id =", 16, "expected the value after `=`"),
        ("on T delete", 12, "expected the key after `delete`"),
        ("on T count $.c", 12, "expected `by` and the group after `count`, e.g. count by $.customer, found `$.c`"),
        ("on T count by", 14, "expected the group after `by`"),
        ("on T sum $.total", 17, "expected `by` and the group after the amount"),
        ("on T sum by $.c", 10, "expected the amount after `sum`"),
        ("on T sum $.total by", 20, "expected the group after `by`"),
        ("on T when $.x > put $.id = 1", 16, "in the condition:"),
        ("on T sum $.total by $.c +", 26, "in the group:"),
        ("on T put $.id = {\"a\" 1}", 22, "in the value:"),
        (#"on T sum $.n * table("fx", "eur") by $.a"#, 16, "in the amount: a projection cannot look up a table: rebuilding it from the log must give the same read model every time, so it reads only the event; a table or a service changes over time, so carry the value in the event"),
        ("on T put $.id = call customers.address($.id)", 17, "in the value: a projection cannot call a service: rebuilding it"),
    ])
    func errors(text: String, column: Int, message: String) {
        #expect(throws: RuleSyntaxError.self) { try ProjectionRule(text) }
        do throws(RuleSyntaxError) {
            _ = try ProjectionRule(text)
        } catch {
            #expect(error.column == column, "\(text): \(error)")
            #expect(error.message.contains(message), "\(text): \(error)")
        }
    }

    @Test("rules keep their numbers: removed ones are never reused, replaced ones keep theirs")
    func numbering() throws {
        var projection = Projection(name: "p", sources: ["orders"])
        #expect(try projection.add(ProjectionRule("on A count by $.c")) == 1)
        #expect(try projection.add(ProjectionRule("on B count by $.c")) == 2)
        try projection.remove(2)
        #expect(try projection.add(ProjectionRule("on C count by $.c")) == 3)
        try projection.replace(1, with: ProjectionRule("on A sum $.n by $.c"))
        #expect(projection.describe() == [
            "projection p reads orders", "  event type: $.type", "  1. on A sum $.n by $.c", "  3. on C count by $.c",
        ])
        #expect(throws: ProjectionError("projection p has no rule 2: its rules are 1, 3")) { try projection.remove(2) }
        #expect(throws: ProjectionError("projection p already has a rule 3: `projection p replace 3 on …` changes it")) {
            try projection.add(ProjectionRule("on D count by $.c"), number: 3)
        }
        #expect(try projection.add(ProjectionRule("on D count by $.c"), number: 2) == 2)
        #expect(projection.rules.map(\.number) == [1, 2, 3] && projection.nextNumber == 4)
    }
}
