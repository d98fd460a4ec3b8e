import EventLabCore
import Testing
@testable import EventLabPatterns

/// Tables and services for the tests: `customer-view` knows c-1; the service `customers` answers
/// `address` and `profile` from it, and `customer-svc` is stopped.
struct FixedTables: ExpressionTables {
    static let customers: Service = {
        var service = Service(name: "customers", sources: ["customers"])
        try! service.add(ServiceQuery(#"address(id) = table("customer-view", id).address"#))
        try! service.add(ServiceQuery(#"profile(id) = table("customer-view", id)"#))
        return service
    }()

    func lookup(table: String, key: String) -> TableLookup {
        guard table == "customer-view" else { return .noSuchTable }
        return key == "c-1" ? .found(try! JSONParser.parse(#"{"address":"1 Main St","tier":"gold"}"#)) : .missing
    }

    func call(service: String, query: String, argument: JSON) -> CallAnswer {
        switch service {
        case "customers": Self.customers.answer(query: query, argument: argument, tables: self)
        case "customer-svc": .unavailable(reason: "service customer-svc is stopped")
        default: .noSuchService
        }
    }
}

@Suite("The expression language")
struct ExpressionTests {
    let order = Record(
        offset: 7, timestamp: 1_700_000_000_000, key: Array("o-1".utf8),
        value: Array(#"{"type":"OrderPlaced","id":"o-1","total":120.50,"customer":"c-1","items":[{"sku":"a","qty":2}],"order-no":5,"note":null}"#.utf8),
        headers: [RecordHeader(key: "ce_type", value: Array("OrderPlaced".utf8))])

    func value(_ source: String) throws -> String {
        try Expression(source).evaluate(order, partition: 2, tables: FixedTables()).description
    }

    func evaluationError(_ source: String) throws -> EvaluationError? {
        do {
            _ = try Expression(source).evaluate(order, partition: 2, tables: FixedTables())
            return nil
        } catch let error as EvaluationError {
            return error
        }
    }

    func syntaxError(_ source: String) -> String? {
        do {
            _ = try Expression(source)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("reads fields, elements, quoted names, headers and record metadata")
    func fields() throws {
        #expect(try value("$.id") == #""o-1""#)
        #expect(try value("$.total") == "120.5")
        #expect(try value("$.items[0].sku") == #""a""#)
        #expect(try value(#"$."order-no""#) == "5")
        #expect(try value("$.note") == "null")
        #expect(try value(#"header("ce_type")"#) == #""OrderPlaced""#)
        #expect(try value("key") == #""o-1""#)
        #expect(try value("offset") == "7")
        #expect(try value("partition") == "2")
        #expect(try value("timestamp") == "1700000000000")
        #expect(try value("$.items").hasPrefix("[{"))
    }

    @Test("fills object and array templates, printed compact in template order")
    func templates() throws {
        #expect(try value(#"{"type":"PaymentRequested","order":$.id,"amount":$.total}"#)
            == #"{"type":"PaymentRequested","order":"o-1","amount":120.5}"#)
        #expect(try value(#"[ $.id , 1 + 1 , [ ] , { } ]"#) == #"["o-1",2,[],{}]"#)
        let rendered = try Expression(#"{"z":1,"a":$.items[0].qty * 3}"#).render(order)
        #expect(String(decoding: rendered, as: UTF8.self) == #"{"z":1,"a":6}"#)
    }

    @Test("arithmetic is exact, with the usual precedence")
    func arithmetic() throws {
        #expect(try value("0.1 + 0.2") == "0.3")
        #expect(try value("0.1 + 0.2 == 0.3") == "true")
        #expect(try value("1 + 2 * 3 - 4 / 2") == "5")
        #expect(try value("(1 + 2) * 3") == "9")
        #expect(try value("-$.total") == "-120.5")
        #expect(try value("7 % 3") == "1")
        #expect(try value("10 / 3") == "3.3333333333")
        #expect(try value("$.total * 2") == "241")
        #expect(try value("- - 3") == "3")
    }

    @Test("compares, joins text and decides")
    func logic() throws {
        #expect(try value("$.total > 100 and $.type == \"OrderPlaced\"") == "true")
        #expect(try value("$.total < 100 or not ($.id != \"o-1\")") == "true")
        #expect(try value(#""a" < "b""#) == "true")
        #expect(try value(#""o" + "-" + $.id"#) == #""o-o-1""#)
        #expect(try value(#"if $.total >= 100 then "big" else "small""#) == #""big""#)
        #expect(try value(#"if false then 1 else if true then 2 else 3"#) == "2")
        #expect(try value("1 == \"1\"") == "false")
        #expect(try value(#"{"a":1,"b":[1]} == {"b":[1.0],"a":1}"#) == "true")
        // `and` and `or` do not look at their right side when the left decides.
        #expect(try value("false and $.nothing") == "false")
        #expect(try value("true or $.nothing") == "true")
    }

    @Test("functions: length, lower, upper, default, number, string")
    func functions() throws {
        #expect(try value("length($.id)") == "3")
        #expect(try value("length($.items)") == "1")
        #expect(try value(#"upper($.type) + lower("ÀB")"#) == #""ORDERPLACEDàb""#)
        #expect(try value("default($.missing, 0) + 1") == "1")
        #expect(try value("default($.note, \"none\")") == #""none""#)
        #expect(try value("default($.total, 0)") == "120.5")
        #expect(try value(#"default(header("absent"), "x")"#) == #""x""#)
        #expect(try value(#"number("12.50") + 1"#) == "13.5")
        #expect(try value(#"string($.total) + "€""#) == #""120.5€""#)
        #expect(try value(#"string($.items)"#) == #""[{\"sku\":\"a\",\"qty\":2}]""#)
    }

    @Test("looks values up in tables named in double quotes, so `-` is part of the name")
    func tables() throws {
        #expect(try value(#"table("customer-view", $.customer).address"#) == #""1 Main St""#)
        #expect(try value(#"default(table("customer-view", "c-9").tier, "none")"#) == #""none""#)
        #expect(try evaluationError(#"table("nope", $.customer)"#)?.kind == .table)
        #expect(try evaluationError(#"table("customer-view", "c-9")"#)?.description
            == #"at column 1: the table "customer-view" has no key "c-9""#)
    }

    @Test("a missing field is an error that names it; default recovers")
    func missing() throws {
        let error = try #require(try evaluationError("1 + $.order.id"))
        #expect(error.kind == .missing)
        #expect(error.description == "at column 5: the event has no field $.order.id")
        #expect(try evaluationError(#"$.items[3]"#)?.kind == .missing)
        #expect(try evaluationError(#"table("customer-view", "c-1").zip"#)?.description == "at column 30: an object has no field zip")
        let tombstone = Record(offset: 0, timestamp: 0, key: nil as [UInt8]?, value: nil)
        #expect(throws: EvaluationError.self) { try Expression("$.id").evaluate(tombstone) }
        #expect(throws: EvaluationError.self) { try Expression("key").evaluate(tombstone) }
    }

    @Test("type errors and number errors are values that say where and what")
    func evaluationErrors() throws {
        #expect(try evaluationError(#"$.id + 1"#)?.description
            == "at column 6: `+` needs two numbers or two texts, found a string and a number; `+` joins two texts, so turn the other into text with string(…)")
        #expect(try evaluationError("$.total / 0")?.description == "at column 9: division by zero")
        #expect(try evaluationError("9223372036854775807 + 1")?.kind == .number)
        #expect(try evaluationError("$.id < 3")?.kind == .type)
        #expect(try evaluationError("not $.total")?.description == "at column 1: `not` needs true or false, found a number")
        #expect(try evaluationError("if $.id then 1 else 2")?.kind == .type)
        #expect(try evaluationError("length(1)")?.description == "at column 1: `length` needs a text, an array or an object, found a number")
        #expect(try evaluationError(#"number("abc")"#)?.kind == .type)
        let broken = Record(offset: 0, timestamp: 0, key: nil, value: Array(#"{"a": 1, "b": tru}"#.utf8))
        #expect(throws: EvaluationError(.invalidRecord, column: 1, "the record's value is not JSON: invalid JSON at byte 17: expected `true`, found `}`")) {
            try Expression("$.b").evaluate(broken)
        }
        #expect(throws: EvaluationError.self) { try Expression("$.total").test(order) }
        #expect(try Expression("$.total > 100").test(order))
    }

    @Test("syntax errors say at which column and what was expected", arguments: [
        (#"{"type":"x","amount":$.total + }"#, #"at column 32: expected a value after `+`, found `}`"#),
        ("", "at column 1: expected a value, found the end of the expression"),
        ("1 +", "at column 4: expected a value after `+`, found the end of the expression"),
        ("customer-view", #"at column 1: unknown name `customer`: text is written in double quotes, `"customer-view"`, and a field of the event `$."customer-view"`"#),
        ("customer - view", "at column 1: unknown name `customer`: a field of the event is written `$.customer`, text is written in double quotes"),
        (#"table(customer-view, $.id)"#, #"at column 7: unknown name `customer`: text is written in double quotes, `"customer-view"`, and a field of the event `$."customer-view"`"#),
        ("$.order-no", #"at column 3: `order-no` is not a plain word: a field name with `-` is written in double quotes, `$."order-no"`"#),
        ("$.a.order-no-2 + 1", #"at column 5: `order-no-2` is not a plain word: a field name with `-` is written in double quotes, `$.a."order-no-2"`"#),
        ("$.total - no", "at column 11: unknown name `no`: a field of the event is written `$.no`, text is written in double quotes"),
        ("$.", "at column 3: expected a field name after `.` (in double quotes if it is not a plain word), found the end of the expression"),
        ("$.items[-1]", "at column 9: expected a whole number of 0 or more after `[`, found `-`"),
        ("(1 + 2", "at column 7: expected `)` to close the `(` at column 1, found the end of the expression"),
        ("1 < 2 < 3", "at column 7: comparisons do not chain: join two comparisons with `and`, found `<`"),
        ("if $.a then 1", "at column 14: expected `else` after the `then` branch, found the end of the expression"),
        ("if $.a 1 else 2", "at column 8: expected `then` after the condition of `if`, found `1`"),
        ("lenght($.id)", "at column 1: unknown function `lenght`; the functions are length, lower, upper, default, number, string, header, table"),
        ("default($.a)", "at column 1: `default` takes two arguments: default(value, fallback)"),
        ("upper($.a, 1)", "at column 1: `upper` takes one argument: upper(value)"),
        ("$.a = 1", "at column 5: unexpected `=` (equality is `==`)"),
        ("$.a && $.b", "at column 5: unexpected `&` (write `not`, `and`, `or`)"),
        ("'text'", "at column 1: unexpected `'` (text and names that are not plain words are written in double quotes)"),
        (#"{"a":1 "b":2}"#, #"at column 8: expected `}` or `,` after a member's value, found `"b"`"#),
        (#"{"a":1,"a":2}"#, #"at column 8: the member name `"a"` appears twice"#),
        ("{a:1}", "at column 2: expected a member name in double quotes, found `a`"),
        ("\"open", "at column 1: expected `\"` to end the text that starts here, found the end of the expression"),
        ("1 2", "at column 3: expected an operator or the end of the expression after `1`, found `2`"),
        ("12abc", "at column 3: expected a digit or an operator after a number, found `a`"),
        ("01", "at column 1: a number must not start with `0` followed by more digits"),
        ("99999999999999999999", "at column 1: the number does not fit in 64 bits (at most 9223372036854775807 without decimals)"),
        ("é + and", "at column 1: unexpected a character that is not part of the language"),
        ("\"é\" + and", "at column 7: expected a value after `+`, found `and`"),
    ])
    func syntaxErrors(source: String, expected: String) {
        #expect(syntaxError(source) == expected)
    }

    @Test("deep nesting is an error, not a stack overflow")
    func depth() {
        #expect(syntaxError(String(repeating: "(", count: 10_000))?.contains("nests deeper than 64 levels") == true)
        #expect(syntaxError(String(repeating: "-", count: 10_000) + "1")?.contains("nests deeper") == true)
        #expect(syntaxError(String(repeating: "not ", count: 10_000) + "true")?.contains("nests deeper") == true)
        #expect(syntaxError(String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)) == nil)
        // A long chain of one operator nests as deeply when evaluated.
        #expect(syntaxError(Array(repeating: "1", count: 10_000).joined(separator: " + "))?.contains("nests deeper") == true)
        #expect(syntaxError(Array(repeating: "true", count: 10_000).joined(separator: " and "))?.contains("nests deeper") == true)
        #expect(syntaxError(#"table("t", 1)"# + String(repeating: ".a", count: 10_000))?.contains("nests deeper") == true)
        #expect(syntaxError(Array(repeating: "1", count: 30).joined(separator: " + ")) == nil)
        #expect(syntaxError("$" + String(repeating: ".a", count: 1_000)) == nil)
    }

    @Test("a value as text: text as itself, anything else as its compact JSON")
    func text() throws {
        #expect(JSON.string("o-1").text == "o-1")
        #expect(try JSONParser.parse(#"{"a": [1.50, "x"]}"#).text == #"{"a":[1.5,"x"]}"#)
        #expect(try Expression(#"table("customer-view", string("c-") + "1").tier"#).evaluate(order, tables: FixedTables()) == .string("gold"))
    }

    @Test("expressions may span lines; newlines are whitespace")
    func multiline() throws {
        #expect(try value("{\n  \"order\": $.id,\n  \"big\": $.total > 100\n}") == #"{"order":"o-1","big":true}"#)
    }
}
