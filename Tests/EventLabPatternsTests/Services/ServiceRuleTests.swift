import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Service rules")
struct ServiceRuleTests {
    func error(_ text: String) -> String? {
        do {
            _ = try ServiceRule(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func parsesTheIssuesExample() throws {
        let rule = try ServiceRule(#"on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id,"amount":$.total} key=$.id"#)
        #expect(rule.eventType == "OrderPlaced")
        #expect(rule.condition == nil)
        #expect(rule.topic.rawValue == "payments")
        #expect(rule.template.source == #"{"type":"PaymentRequested","order":$.id,"amount":$.total}"#)
        #expect(rule.key?.source == "$.id")
        #expect(rule.headers.isEmpty)
    }

    @Test func aConditionRunsToEmit() throws {
        let rule = try ServiceRule(#"on OrderPlaced when $.total > 100 and $.currency == "EUR" emit fraud-checks {"order": $.id}"#)
        #expect(rule.condition?.source == #"$.total > 100 and $.currency == "EUR""#)
        #expect(rule.topic.rawValue == "fraud-checks")
        #expect(rule.template.source == #"{"order": $.id}"#)
        #expect(rule.key == nil)
    }

    @Test func spacesAndOptionWordsInsideATemplateDoNotEndIt() throws {
        let rule = try ServiceRule(#"on A emit out {"note": " key=x --header ", "n": [1, 2]} --header source="billing" key=$.id + "-p""#)
        #expect(rule.template.source == #"{"note": " key=x --header ", "n": [1, 2]}"#)
        #expect(rule.headers.map(\.name) == ["source"])
        #expect(rule.headers.first?.value.source == #""billing""#)
        #expect(rule.key?.source == #"$.id + "-p""#)
    }

    @Test func aQuotedHeaderNameLosesItsQuotesAsEverywhereInTheLanguage() throws {
        let rule = try ServiceRule(#"on A emit out $ --header "h-3"=2 --header "a=b"=$.x --header plain="p""#)
        #expect(rule.headers.map(\.name) == ["h-3", "a=b", "plain"])
        #expect(rule.headers.map(\.value.source) == ["2", "$.x", #""p""#])
        #expect(error(#"on A emit b $ --header "h" =1"#) == #"at column 24: expected NAME=EXPRESSION after `--header`, found `"h"`"#)
        #expect(error(#"on A emit b $ --header "h"=1 +"#)?.hasPrefix("at column 31: in the header h: expected a value after `+`") == true)
    }

    @Test func aKeyComparisonIsNotAnOption() throws {
        let rule = try ServiceRule(#"on A when key=="k" emit out $"#)
        #expect(rule.condition?.source == #"key=="k""#)
        #expect(rule.template.source == "$")
    }

    @Test func badRulesNameTheColumnAndWhatWasExpected() {
        #expect(error("") == "at column 1: expected `on` and the event type the rule reacts to, found the end of the rule")
        #expect(error("when A emit b $") == "at column 1: expected `on` and the event type the rule reacts to, found `when`")
        #expect(error("on") == "at column 3: expected an event type after `on`, found the end of the rule")
        #expect(error("on A send b $") == "at column 6: expected `when` or `emit` after the event type, found `send`")
        #expect(error("on A when emit b $") == "at column 11: expected a condition after `when`, found `emit`")
        #expect(error("on A when $.x > 1") == "at column 18: expected `emit` and a topic after the condition, found the end of the rule")
        #expect(error("on A emit") == "at column 10: expected a topic after `emit`, found the end of the rule")
        #expect(error("on A emit pay/ments $") == "at column 11: expected a topic after `emit`: 1 to 249 of a-z A-Z 0-9 . _ - (not `.` or `..`), found `pay/ments`")
        #expect(error("on A emit {\"a\":\n1} $") == #"at column 11: expected a topic after `emit`: 1 to 249 of a-z A-Z 0-9 . _ - (not `.` or `..`), found `{"a":\n1}`"#)
        #expect(error("on A emit b") == #"at column 12: expected a template after the topic, e.g. {"order": $.id}, found the end of the rule"#)
        #expect(error("on A emit b key=$.id") == #"at column 13: expected a template after the topic, e.g. {"order": $.id}, found `key=$.id`"#)
        #expect(error("on A emit b $ key=") == "at column 19: expected an expression after `key=`, e.g. key=$.id")
        #expect(error("on A emit b $ key=$.a key=$.b") == "at column 23: the rule already has a key: give `key=` once")
        #expect(error("on A emit b $ --header") == "at column 23: expected NAME=EXPRESSION after `--header`, found the end of the rule")
        #expect(error("on A emit b $ --header =1") == "at column 24: expected a header name before `=`")
    }

    @Test func expressionErrorsArePlacedInTheRule() {
        #expect(error(#"on A when $.total > emit b $"#) == "at column 20: in the condition: expected a value after `>`, found the end of the expression")
        #expect(error(#"on A emit b {"a": $.x +}"#) == "at column 24: in the template: expected a value after `+`, found `}`")
        #expect(error(#"on A emit b $ key=total"#) == "at column 19: in the key: unknown name `total`: a field of the event is written `$.total`, text is written in double quotes")
        #expect(error(#"on A emit b $ --header h=1 +"#)?.hasPrefix("at column 29: in the header h: expected a value after `+`") == true)
    }
}
