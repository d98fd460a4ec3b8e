import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Service reactions")
struct ServiceReactTests {
    func event(_ json: String, offset: Int64 = 3, key: String? = "o-1", headers: [RecordHeader] = []) -> Record {
        Record(offset: offset, timestamp: 0, key: key.map { Array($0.utf8) }, value: Array(json.utf8), headers: headers)
    }

    func billing(deadLetter: String? = nil, typeSource: EventTypeSource = .field("type"), _ rules: String...) throws -> Service {
        var service = Service(name: "billing", sources: ["orders"], typeSource: typeSource, deadLetter: deadLetter)
        for rule in rules { try service.add(ServiceRule(rule)) }
        return service
    }

    func emitted(_ reaction: Reaction) -> [String] {
        guard case .handled(_, let emissions) = reaction else { return ["not handled: \(reaction)"] }
        return emissions.map { emission in
            let key = emission.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"
            return "\(emission.topic) \(key) \(String(decoding: emission.value ?? [], as: UTF8.self))"
        }
    }

    func header(_ name: String, _ emission: Emission?) -> String? {
        emission?.headers.last { $0.key == name }.flatMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }
    }

    let order = #"{"type":"OrderPlaced","id":"o-1","total":150.25}"#

    @Test func aMatchingTypeEmitsTheRenderedTemplateAndKey() throws {
        let service = try billing(#"on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id,"amount":$.total} key=$.id"#)
        let reaction = service.react(to: event(order), topic: "orders", partition: 0)
        #expect(emitted(reaction) == [#"payments o-1 {"type":"PaymentRequested","order":"o-1","amount":150.25}"#])
        guard case .handled(let type, let emissions) = reaction else { return }
        #expect(type == "OrderPlaced")
        #expect(header("eventlab.cause", emissions.first) == "orders/0/3")
        #expect(header("eventlab.rule", emissions.first) == "billing/1")
    }

    @Test func anotherTypeEmitsNothingButIsHandled() throws {
        let service = try billing(#"on OrderPlaced emit payments $"#)
        #expect(service.react(to: event(#"{"type":"OrderShipped"}"#), topic: "orders", partition: 0)
            == .handled(eventType: "OrderShipped", emissions: []))
    }

    @Test func conditionsChooseWhichRulesEmit() throws {
        let service = try billing(
            #"on OrderPlaced when $.total > 100 emit fraud-checks {"order":$.id}"#,
            #"on OrderPlaced emit payments {"order":$.id}"#)
        #expect(emitted(service.react(to: event(order), topic: "orders", partition: 0))
            == [#"fraud-checks - {"order":"o-1"}"#, #"payments - {"order":"o-1"}"#])
        #expect(emitted(service.react(to: event(#"{"type":"OrderPlaced","id":"o-2","total":5}"#), topic: "orders", partition: 0))
            == [#"payments - {"order":"o-2"}"#])
    }

    @Test func rulesEmitInNumberOrderWhateverTheirType() throws {
        let service = try billing(
            #"on OrderPlaced emit a {"n":1}"#, #"on Other emit x $"#, #"on OrderPlaced emit b {"n":3}"#,
            #"on OrderPlaced emit c {"n":4}"#)
        #expect(emitted(service.react(to: event(order), topic: "orders", partition: 0))
            == [#"a - {"n":1}"#, #"b - {"n":3}"#, #"c - {"n":4}"#])
    }

    @Test func headersAreRenderedTextAsIsOtherValuesAsJSON() throws {
        let service = try billing(#"on OrderPlaced emit payments $ key=$.total --header source="billing" --header amount=$.total"#)
        guard case .handled(_, let emissions) = service.react(to: event(order), topic: "orders", partition: 2) else {
            Issue.record("not handled")
            return
        }
        #expect(emissions.first?.key == Array("150.25".utf8))
        #expect(emissions.first?.headers.map(\.key) == ["source", "amount", "eventlab.cause", "eventlab.rule"])
        #expect(header("source", emissions.first) == "billing")
        #expect(header("eventlab.cause", emissions.first) == "orders/2/3")
    }

    @Test func theTypeCanComeFromAHeader() throws {
        let service = try billing(typeSource: .header("ce_type"), #"on order.placed emit payments {"order":$.id}"#)
        let cloudEvent = event(#"{"id":"o-9"}"#, headers: [RecordHeader(key: "ce_type", value: Array("order.placed".utf8))])
        #expect(emitted(service.react(to: cloudEvent, topic: "orders", partition: 0)) == [#"payments - {"order":"o-9"}"#])
        #expect(service.react(to: event(order), topic: "orders", partition: 0) == .skipped(.noType))
    }

    @Test func recordsWithoutATypeAreSkippedNotPoison() throws {
        let service = try billing(#"on OrderPlaced emit payments $"#)
        for value in [#"{"id":"o-1"}"#, #"{"type":null}"#, "[1,2]", "42"] {
            #expect(service.react(to: event(value), topic: "orders", partition: 0) == .skipped(.noType))
        }
        let tombstone = Record(offset: 0, timestamp: 0, key: Array("k".utf8), value: nil)
        #expect(service.react(to: tombstone, topic: "orders", partition: 0) == .skipped(.noType))
    }

    @Test func badJSONIsPoison() throws {
        let service = try billing(#"on OrderPlaced emit payments $"#)
        guard case .poison(let poison) = service.react(to: event("not json"), topic: "orders", partition: 0) else {
            Issue.record("not poison")
            return
        }
        #expect(poison.rule == nil)
        #expect(poison.description.hasPrefix("the record's value is not JSON"))
        #expect(poison.deadLetter == nil)
    }

    @Test func aRecordBrokenWhereNoRuleReadsIsStillHandled() throws {
        // Fields are found by scanning up to them, so the broken tail is never read.
        let service = try billing(#"on OrderPlaced emit payments {"order":$.id}"#)
        let reaction = service.react(to: event(#"{"type":"OrderPlaced","id":"o-1","rest":[}"#), topic: "orders", partition: 0)
        #expect(emitted(reaction) == [#"payments - {"order":"o-1"}"#])
    }

    @Test func aTypeThatIsNotTextIsPoison() throws {
        let service = try billing(#"on OrderPlaced emit payments $"#)
        guard case .poison(let poison) = service.react(to: event(#"{"type":7}"#), topic: "orders", partition: 0) else {
            Issue.record("not poison")
            return
        }
        #expect(poison.reason == "the event type $.type is a number, not text")
    }

    @Test func anEvaluationErrorIsPoisonNamingTheRuleAndColumnAndEmitsNothing() throws {
        let service = try billing(
            #"on OrderPlaced emit audit {"seen":$.id}"#,
            #"on OrderPlaced when $.amount > 100 emit fraud-checks $"#)
        guard case .poison(let poison) = service.react(to: event(order), topic: "orders", partition: 0) else {
            Issue.record("not poison")
            return
        }
        #expect(poison.rule == 2)
        #expect(poison.description == "rule 2: the condition at column 21 (near `…aced when $.amount > …`): the event has no field $.amount")
    }

    @Test func aTypeErrorInATemplateIsPoison() throws {
        let service = try billing(#"on OrderPlaced emit payments {"label": $.id + $.total}"#)
        guard case .poison(let poison) = service.react(to: event(order), topic: "orders", partition: 0) else {
            Issue.record("not poison")
            return
        }
        #expect(poison.description.hasPrefix("rule 1: the template at column 45 (near `…el\": $.id + $.total}`): `+` needs two numbers or two texts"))
    }

    @Test func withADeadLetterTopicPoisonIsRoutedThereWithWhy() throws {
        let service = try billing(deadLetter: "billing-dlq", #"on OrderPlaced when $.amount > 100 emit fraud-checks $"#)
        let record = event(order, offset: 41, headers: [RecordHeader(key: "trace", value: Array("t-1".utf8))])
        guard case .poison(let poison) = service.react(to: record, topic: "orders", partition: 1) else {
            Issue.record("not poison")
            return
        }
        let letter = try #require(poison.deadLetter)
        #expect(letter.topic == "billing-dlq")
        #expect(letter.key == Array("o-1".utf8))
        #expect(letter.value == Array(order.utf8))
        #expect(letter.headers.map(\.key) == ["trace", "dlq.error", "dlq.service", "dlq.rule", "dlq.topic", "dlq.partition", "dlq.offset"])
        #expect(header("dlq.error", letter) == "rule 1: the condition at column 21 (near `…aced when $.amount > …`): the event has no field $.amount")
        #expect(header("dlq.service", letter) == "billing")
        #expect(header("dlq.rule", letter) == "1")
        #expect(header("dlq.topic", letter) == "orders")
        #expect(header("dlq.partition", letter) == "1")
        #expect(header("dlq.offset", letter) == "41")

        guard case .poison(let unreadable) = service.react(to: event("{oops"), topic: "orders", partition: 0) else {
            Issue.record("not poison")
            return
        }
        #expect(unreadable.deadLetter?.headers.contains { $0.key == "dlq.rule" } == false)
    }

    @Test func theCauseNamesTopicPartitionAndOffsetInDecimal() {
        #expect(Service.cause("orders", 12, 9_876_543_210) == Array("orders/12/9876543210".utf8))
        #expect(Service.cause("a.b", 0, 0) == Array("a.b/0/0".utf8))
    }

    @Test func sameRecordSameBytes() throws {
        let service = try billing(
            #"on OrderPlaced emit payments {"b":$.total * 2,"a":[$.id, 0.1 + 0.2]} key=$.id --header n=length($.id)"#)
        let first = service.react(to: event(order), topic: "orders", partition: 0)
        let second = service.react(to: event(order), topic: "orders", partition: 0)
        #expect(first == second)
        #expect(emitted(first) == [#"payments o-1 {"b":300.5,"a":["o-1",0.3]}"#])
    }
}

@Suite("Service rule numbering")
struct ServiceNumberingTests {
    @Test func removedNumbersAreNotReusedAndReplaceKeepsTheNumber() throws {
        var service = Service(name: "billing", sources: ["orders"])
        #expect(try service.add(ServiceRule("on A emit a $")) == 1)
        #expect(try service.add(ServiceRule("on A emit b $")) == 2)
        #expect(try service.add(ServiceRule("on A emit c $")) == 3)
        try service.remove(2)
        #expect(try service.add(ServiceRule("on A emit d $")) == 4)
        try service.replace(3, with: try ServiceRule("on A emit e $"))
        #expect(service.rules.map(\.number) == [1, 3, 4])
        #expect(service.describe() == [
            "service billing reads orders",
            "  event type: $.type",
            "  commit: after (at-least-once)",
            "  dead letters: none (a poison record stops the service)",
            "  1. on A emit a $",
            "  3. on A emit e $",
            "  4. on A emit d $",
        ])
        let record = Record(offset: 0, timestamp: 0, key: nil, value: Array(#"{"type":"A"}"#.utf8))
        guard case .handled(_, let emissions) = service.react(to: record, topic: "orders", partition: 0) else {
            Issue.record("not handled")
            return
        }
        #expect(emissions.map(\.topic) == ["a", "e", "d"])
    }

    @Test func unknownNumbersAreRefusedNamingTheRulesThereAre() throws {
        var service = Service(name: "billing", sources: ["orders"], commit: .before, deadLetter: "dlq")
        #expect(throws: ServiceError("service billing has no rule 1: it has no rules")) { try service.remove(1) }
        try service.add(ServiceRule("on A emit a $"))
        #expect(throws: ServiceError("service billing has no rule 5: its rules are 1")) {
            try service.replace(5, with: try ServiceRule("on A emit b $"))
        }
        #expect(service.describe()[2...3] == ["  commit: before (at-most-once)", "  dead letters: dlq"])
    }
}
