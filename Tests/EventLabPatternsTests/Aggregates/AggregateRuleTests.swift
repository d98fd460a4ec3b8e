import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Aggregate rules")
struct AggregateRuleTests {
    func error(_ text: String) -> String? {
        do {
            _ = try AggregateRule(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func parsesTheIssuesExample() throws {
        let rule = try AggregateRule("on Deposited set balance = state.balance + $.amount")
        #expect(rule.eventType == "Deposited")
        #expect(rule.condition == nil)
        #expect(rule.assignments.map(\.field) == ["balance"])
        #expect(rule.assignments.map(\.value.source) == ["state.balance + $.amount"])
        #expect(rule.assignments.map(\.column) == [28])
    }

    @Test func aConditionRunsToSetAndAssignmentsSplitAtTopLevelCommas() throws {
        let rule = try AggregateRule(
            #"on Withdrawn when state.balance >= $.amount set balance = state.balance - $.amount, last = {"a": [1, 2], "b": default($.x, ", ")} , "opened-at"=timestamp"#)
        #expect(rule.condition?.source == "state.balance >= $.amount")
        #expect(rule.assignments.map(\.field) == ["balance", "last", "opened-at"])
        #expect(rule.assignments.map(\.value.source) == ["state.balance - $.amount", #"{"a": [1, 2], "b": default($.x, ", ")}"#, "timestamp"])
    }

    @Test func badRulesNameTheColumnAndWhatWasExpected() {
        #expect(error("") == "at column 1: expected `on` and the event type the rule folds, found the end of the rule")
        #expect(error("on") == "at column 3: expected an event type after `on`, found the end of the rule")
        #expect(error("on A emit b $") == "at column 6: expected `when` or `set` after the event type, found `emit`")
        #expect(error("on A when $.x") == "at column 14: expected `set` and the fields to set after the condition, found the end of the rule")
        #expect(error("on A when set a = 1") == "at column 11: expected a condition after `when`, found `set`")
        #expect(error("on A set") == "at column 9: expected FIELD = EXPRESSION after `set`, e.g. set balance = state.balance + $.amount")
        #expect(error("on A set a == 1") == "at column 12: expected `=` and the value after the field `a`, found `=`")
        #expect(error("on A set a = ") == "at column 13: expected the value of `a` after `=`, e.g. a = state.a + $.amount, found the end of the rule")
        #expect(error("on A set a = 1,") == "at column 16: expected a field of the state to set (a plain word, or a name in double quotes), found the end of the rule")
        #expect(error("on A set a = 1, a = 2") == "at column 17: the rule already sets `a`: set each field once")
        #expect(error("on A set 1 = 2") == "at column 10: expected a field of the state to set (a plain word, or a name in double quotes), found `1`")
        #expect(error("on A set a = state.b +") == "at column 23: in the value of a: expected a value after `+`, found the end of the expression")
        #expect(error("on A when balance > 1 set a = 1") == "at column 11: in the condition: unknown name `balance`: a field of the event is written `$.balance`, of the state `state.balance`, text in double quotes")
    }

    @Test("a fold may read the event, its metadata and headers beside the state, but call no service and look up no table")
    func whatAFoldMayRead() {
        let why = "replaying the log must give the same `state` every time, so it reads only the event and `state`; "
            + "a table or a service changes over time, so carry the value in the event (a service can add it when the event is made)"
        #expect(error(#"on A set a = $.x + state.a + offset + length(header("h"))"#) == nil)
        #expect(error("on A set a = call customers.address($.id)") == "at column 14: in the value of a: a fold cannot call a service: " + why)
        #expect(error(#"on A set a = state.a * table("fx", "eur")"#) == "at column 24: in the value of a: a fold cannot look up a table: " + why)
        #expect(error(#"on A when table("fx", $.c) > 1 set a = 1"#) == "at column 11: in the condition: a fold cannot look up a table: " + why)
    }
}
