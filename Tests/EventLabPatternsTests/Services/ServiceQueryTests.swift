import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Queries a service answers")
struct ServiceQueryTests {
    func customers(_ definitions: String...) throws -> Service {
        var service = Service(name: "customers", sources: ["customer-events"])
        for definition in definitions { try service.add(try ServiceQuery(definition)) }
        return service
    }

    @Test("parses NAME(PARAMETER) = EXPRESSION, keeping the text as written")
    func parses() throws {
        let query = try ServiceQuery(#"  address ( id ) = table("customer-view", id).address "#)
        #expect(query.name == "address")
        #expect(query.parameter == "id")
        #expect(query.source == #"address ( id ) = table("customer-view", id).address"#)
        #expect(query.description == query.source)
    }

    @Test("answers from tables and the parameter, read by its name as often as needed")
    func answers() throws {
        let service = try customers(
            #"address(id) = table("customer-view", id).address"#, #"label(name) = upper(name) + " " + lower(name)"#)
        #expect(service.answer(query: "address", argument: .string("c-1"), tables: FixedTables()) == .answer(.string("1 Main St")))
        #expect(service.answer(query: "label", argument: .string("Ann"), tables: nil) == .answer(.string("ANN ann")))
    }

    @Test("a failing answer is an evaluation error placed in the definition; an unknown query names those there are")
    func failures() throws {
        let service = try customers(#"address(id) = table("customer-view", id).address"#, "double(n) = n * 2")
        #expect(service.answer(query: "address", argument: .string("c-9"), tables: FixedTables())
            == .failed(EvaluationError(.missing, column: 15, #"the table "customer-view" has no key "c-9""#)))
        #expect(service.answer(query: "double", argument: .string("x"), tables: nil)
            == .failed(EvaluationError(.type, column: 15, "`*` needs two numbers, found a string and a number")))
        #expect(service.answer(query: "phone", argument: .null, tables: nil) == .noSuchQuery(known: ["address", "double"]))
        #expect(try customers().answer(query: "phone", argument: .null, tables: nil) == .noSuchQuery(known: []))
    }

    @Test("bad definitions say at which column and what was expected", arguments: [
        ("", "at column 1: expected the query's name, a plain word such as `address`, found the end of the definition"),
        ("1x(id) = 1", "at column 1: expected the query's name, a plain word such as `address`, found `1`"),
        (#""address"(id) = 1"#, #"at column 1: expected the query's name, a plain word such as `address`, found `"`"#),
        ("address = 1", "at column 9: expected `(` and the parameter after the query's name, e.g. address(id) = …, found `=`"),
        ("address() = 1", "at column 9: expected the parameter's name after `(`, a plain word such as `id`, found `)`"),
        ("address(key) = 1", "at column 9: `key` has a meaning of its own in the language: call the parameter something else, e.g. `id`"),
        ("address( call ) = 1", "at column 10: `call` has a meaning of its own in the language: call the parameter something else, e.g. `id`"),
        ("address(id, x) = 1", "at column 11: expected `)` after the parameter `id` (a query takes one), found `,`"),
        ("address(id) == 1", "at column 13: expected `=` and the answer after `address(id)`, found `=`"),
        ("address(id)", "at column 12: expected `=` and the answer after `address(id)`, found the end of the definition"),
        ("address(id) =  ", #"at column 14: expected the answer after `=`, e.g. address(id) = table("customer-view", id)"#),
        ("address(id) = $.x", "at column 15: in the answer: an answer has no event, so `$` cannot be used in it: its input is the parameter `id`"),
        ("address(id) = id + offset", "at column 20: in the answer: an answer has no event, so `offset` cannot be used in it: its input is the parameter `id`"),
        (#"address(id) = header("ce_type")"#, "at column 15: in the answer: an answer has no event, so `header` cannot be used in it: its input is the parameter `id`"),
        ("address(id) = call other.address(id)", "at column 15: in the answer: an answer cannot call a service: it answers from tables and its parameter `id`"),
        ("address(id) = idd", "at column 15: in the answer: unknown name `idd`: the answer's parameter is `id`, text is written in double quotes"),
        ("address(id) = id +", "at column 19: in the answer: expected a value after `+`, found the end of the expression"),
    ])
    func syntaxErrors(text: String, expected: String) {
        do {
            _ = try ServiceQuery(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("queries are added, replaced in place and removed by name; describe lists them after the rules")
    func addReplaceRemove() throws {
        var service = try customers("address(id) = id", "tier(id) = 1")
        try service.add(ServiceRule(#"on CustomerMoved emit audit {"id":$.id}"#))
        #expect(throws: ServiceError("service customers already answers `address`: replace it to change its answer")) {
            try service.add(try ServiceQuery("address(x) = x"))
        }
        try service.replace(try ServiceQuery(#"address(id) = table("customer-view", id).address"#))
        #expect(service.describe().suffix(3) == [
            #"  1. on CustomerMoved emit audit {"id":$.id}"#,
            #"  answers address(id) = table("customer-view", id).address"#,
            "  answers tier(id) = 1",
        ])
        try service.removeQuery(named: "tier")
        #expect(service.queries.map(\.name) == ["address"])
        #expect(throws: ServiceError("service customers has no query `tier`: it answers `address`")) {
            try service.removeQuery(named: "tier")
        }
        try service.removeQuery(named: "address")
        #expect(throws: ServiceError("service customers has no query `phone`: it answers no queries")) {
            try service.replace(try ServiceQuery("phone(id) = id"))
        }
        #expect(service.describe().last == #"  1. on CustomerMoved emit audit {"id":$.id}"#)
    }
}
