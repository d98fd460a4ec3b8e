import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Service reactions that call other services")
struct ServiceCallReactTests {
    let order = Record(
        offset: 5, timestamp: 0, key: Array("o-1".utf8),
        value: Array(#"{"type":"OrderPlaced","id":"o-1","customer":"c-1"}"#.utf8))

    func shipping(deadLetter: String? = nil, _ rules: String...) throws -> Service {
        var service = Service(name: "shipping", sources: ["orders"], deadLetter: deadLetter)
        for rule in rules { try service.add(ServiceRule(rule)) }
        return service
    }

    @Test func anAnsweredCallFillsTheTemplate() throws {
        let service = try shipping(#"on OrderPlaced emit shipments {"order":$.id,"to":call customers.address($.customer)}"#)
        guard case .handled(_, let emissions) = service.react(to: order, topic: "orders", partition: 0, tables: FixedTables()) else {
            Issue.record("not handled")
            return
        }
        #expect(emissions.map { String(decoding: $0.value ?? [], as: UTF8.self) } == [#"{"order":"o-1","to":"1 Main St"}"#])
    }

    @Test func aStoppedCalleeBlocksTheRecordEmittingNothingEvenWithADeadLetterTopic() throws {
        let service = try shipping(
            deadLetter: "shipping-dlq",
            #"on OrderPlaced emit audit {"seen":$.id}"#,
            #"on OrderPlaced emit shipments {"to":call "customer-svc".address($.customer)}"#)
        let reaction = service.react(to: order, topic: "orders", partition: 0, tables: FixedTables())
        let failure = CallFailure(service: "customer-svc", query: "address", reason: "service customer-svc is stopped", rule: 2)
        #expect(reaction == .blocked(failure))
        #expect(failure.description == #"rule 2: call "customer-svc".address: service customer-svc is stopped"#)
    }

    @Test func anUnknownServiceOrQueryOrAFailedAnswerIsPoison() throws {
        let unknown = try shipping(#"on OrderPlaced emit shipments {"to":call billing.address($.customer)}"#)
        guard case .poison(let poison) = unknown.react(to: order, topic: "orders", partition: 0, tables: FixedTables()) else {
            Issue.record("not poison")
            return
        }
        #expect(poison.description == #"rule 1: the template at column 37 (near `…nts {"to":call billin…`): there is no service "billing" to call"#)

        let missing = try shipping(#"on OrderPlaced emit shipments {"to":call customers.address("c-9")}"#)
        guard case .poison(let failed) = missing.react(to: order, topic: "orders", partition: 0, tables: FixedTables()) else {
            Issue.record("not poison")
            return
        }
        #expect(failed.description
            == #"rule 1: the template at column 37 (near `…nts {"to":call custom…`): the answer of `customers.address` failed at column 15: the table "customer-view" has no key "c-9""#)
    }
}
