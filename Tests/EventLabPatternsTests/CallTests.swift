import EventLabCore
import Testing
@testable import EventLabPatterns

/// Tables that define only lookups, so calls get the protocol's default answer.
private struct TablesOnly: ExpressionTables {
    func lookup(table: String, key: String) -> TableLookup { .noSuchTable }
}

@Suite("Calls of other services' queries")
struct CallTests {
    let order = Record(
        offset: 7, timestamp: 0, key: Array("o-1".utf8),
        value: Array(#"{"type":"OrderPlaced","id":"o-1","customer":"c-1","other":"c-9"}"#.utf8))

    func value(_ source: String) throws -> String {
        try Expression(source).evaluate(order, tables: FixedTables()).description
    }

    func evaluationError(_ source: String, tables: (any ExpressionTables)? = FixedTables()) throws -> EvaluationError? {
        do {
            _ = try Expression(source).evaluate(order, tables: tables)
            return nil
        } catch let error as EvaluationError {
            return error
        }
    }

    @Test("a call evaluates its argument and gives the query's answer, which steps may read into")
    func answered() throws {
        #expect(try value("call customers.address($.customer)") == #""1 Main St""#)
        #expect(try value(#"call "customers"."address"("c-1")"#) == #""1 Main St""#)
        #expect(try value("call customers.profile($.customer).tier") == #""gold""#)
        #expect(try value(#"{"to": call customers.address($.customer)}"#) == #"{"to":"1 Main St"}"#)
    }

    @Test("a stopped service cannot answer: an error of its own kind, which `default` does not hide")
    func unavailable() throws {
        let error = try #require(try evaluationError(#"1 + call "customer-svc".address($.customer)"#))
        #expect(error.kind == .unavailable(service: "customer-svc", query: "address", reason: "service customer-svc is stopped"))
        #expect(error.description == #"at column 5: `"customer-svc".address` cannot answer now: service customer-svc is stopped"#)
        #expect(try evaluationError(#"default(call "customer-svc".address($.customer), "?")"#)?.kind
            == .unavailable(service: "customer-svc", query: "address", reason: "service customer-svc is stopped"))
    }

    @Test("an unknown service or query is an error that says what there is")
    func unknownNames() throws {
        #expect(try evaluationError("call billing.address($.customer)")?.description
            == #"at column 1: there is no service "billing" to call"#)
        #expect(try evaluationError("call billing.address($.customer)")?.kind == .call)
        #expect(try evaluationError("call customers.phone($.customer)")?.description
            == #"at column 1: the service "customers" has no query "phone": it answers `address`, `profile`"#)
        #expect(try evaluationError("call customers.address(1)", tables: nil)?.description
            == #"at column 1: there is no service "customers" to call (no services here)"#)
        // Tables that say nothing about services answer that there is none.
        #expect(try evaluationError("call customers.address(1)", tables: TablesOnly())?.kind == .call)
    }

    @Test("an answer that fails is the caller's error, placed at the call and in the answer; `default` recovers from a missing key")
    func failedAnswers() throws {
        let error = try #require(try evaluationError("call customers.address($.other)"))
        #expect(error.kind == .missing)
        #expect(error.description
            == #"at column 1: the answer of `customers.address` failed at column 15: the table "customer-view" has no key "c-9""#)
        #expect(try value(#"default(call customers.address($.other), "unknown")"#) == #""unknown""#)
        // The argument is evaluated first: its own error is placed in it.
        #expect(try evaluationError("call customers.address($.nope)")?.description == "at column 24: the event has no field $.nope")
    }

    @Test("bad calls say at which column and what was expected", arguments: [
        ("call", "at column 5: expected the service to call after `call` (in double quotes if it is not a plain word), e.g. call customers.address($.customer), found the end of the expression"),
        ("call customers", "at column 15: expected `.` and the query's name after `call customers`, found the end of the expression"),
        ("call customer-svc.address(1)", #"at column 14: expected `.` and the query's name after `call customer`, found `-`: a name that is not a plain word is written in double quotes, e.g. call "customer-svc".address(…)"#),
        ("call customer-svc(1)", #"at column 14: expected `.` and the query's name after `call customer`, found `-`: a name that is not a plain word is written in double quotes, e.g. call "customer-svc".QUERY(…)"#),
        ("call customers.by-id(1)", #"at column 18: expected `(` and the argument after `call customers.by`, e.g. call customers.by($.id), found `-`: a name that is not a plain word is written in double quotes, e.g. call customers."by-id"(…)"#),
        ("call crm.v2.address(1)", #"at column 12: expected `(` and the argument after `call crm.v2`, e.g. call crm.v2($.id), found `.`: a name that is not a plain word is written in double quotes, e.g. call "crm.v2".address(…)"#),
        (#"call "crm".by-id(1)"#, #"at column 14: expected `(` and the argument after `call crm.by`, e.g. call crm.by($.id), found `-`: a name that is not a plain word is written in double quotes, e.g. call crm."by-id"(…)"#),
        ("call customers.address -1", "at column 24: expected `(` and the argument after `call customers.address`, e.g. call customers.address($.id), found `-`"),
        (#"call "customer-svc"(1)"#, #"at column 20: expected `.` and the query's name after `call "customer-svc"`, found `(`"#),
        ("call customers.(1)", "at column 16: expected the query's name after `.` (in double quotes if it is not a plain word), found `(`"),
        ("call customers.address", "at column 23: expected `(` and the argument after `call customers.address`, e.g. call customers.address($.id), found the end of the expression"),
        ("call customers.address()", "at column 24: expected a value after `(`, found `)`"),
        ("call customers.address(1, 2)", "at column 25: a query takes one argument: call customers.address(EXPRESSION), found `,`"),
        ("call customers.address(1", "at column 25: expected `)` to close the argument of `call customers.address`, found the end of the expression"),
        ("call(1)", "at column 5: expected the service to call after `call` (in double quotes if it is not a plain word), e.g. call customers.address($.customer), found `(`"),
    ])
    func syntaxErrors(source: String, expected: String) {
        do {
            _ = try Expression(source)
            Issue.record("\(source) parsed")
        } catch {
            #expect(error.description == expected)
        }
    }
}
