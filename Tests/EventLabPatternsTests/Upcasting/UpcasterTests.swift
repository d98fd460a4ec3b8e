import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("Upcasters rewrite old events into their new shape as they are read")
struct UpcasterTests {
    static func upcasters(_ texts: String...) throws -> Upcasters {
        var upcasters = Upcasters()
        for text in texts { try upcasters.add(Upcaster(text)) }
        return upcasters
    }

    static func record(_ value: String?, headers: [RecordHeader] = []) -> Record {
        Record(offset: 4, timestamp: 9, key: Array("a-1".utf8), value: value.map { Array($0.utf8) }, headers: headers)
    }

    static func value(_ result: Result<Record, UpcastFailure>) -> String? {
        guard case .success(let record) = result else { return nil }
        return record.value.map { String(decoding: $0, as: UTF8.self) }
    }

    static let v1 = #"on Deposited when $.version == 1 to {"type":"Deposited","version":2,"account":$.account,"cents":$.amount * 100}"#

    @Test("an upcaster rewrites the events of its type whose condition holds, and keeps the rest of the record")
    func matchAndCondition() throws {
        let upcasters = try Self.upcasters(Self.v1)
        let old = Self.record(#"{"type":"Deposited","version":1,"account":"a-1","amount":2.5}"#, headers: [RecordHeader(key: "h", value: Array("x".utf8))])
        guard case .success(let upcast) = upcasters.upcast(old) else { Issue.record("the upcaster failed"); return }
        #expect(upcast.applied == [1])
        #expect(upcast.record.value.map { String(decoding: $0, as: UTF8.self) } == #"{"type":"Deposited","version":2,"account":"a-1","cents":250}"#)
        #expect(upcast.record.key == old.key && upcast.record.headers == old.headers)
        #expect(upcast.record.offset == 4 && upcast.record.timestamp == 9)
        // The new shape fails the condition, so it is read as it is; so are other types and tombstones.
        let new = Self.record(#"{"type":"Deposited","version":2,"account":"a-1","cents":7}"#)
        #expect(upcasters.upcast(new) == .success(Upcasters.Upcast(record: new, applied: [])))
        let other = Self.record(#"{"type":"Withdrawn","amount":1}"#)
        #expect(upcasters.apply(other) == .success(other))
        #expect(upcasters.apply(Self.record(nil)) == .success(Self.record(nil)))
        #expect(Upcasters().apply(old) == .success(old))
    }

    @Test("upcasters apply in number order as a chain: v1 to v2, then v2 to v3")
    func chain() throws {
        let upcasters = try Self.upcasters(
            #"on Registered.v1 to {"type":"Registered.v2","name":$.first + " " + $.last}"#,
            #"on Registered.v2 to {"type":"Registered.v3","name":$.name,"country":"unknown"}"#)
        let old = Self.record(#"{"type":"Registered.v1","first":"Ada","last":"L"}"#)
        guard case .success(let upcast) = upcasters.upcast(old) else { Issue.record("the chain failed"); return }
        #expect(upcast.applied == [1, 2])
        #expect(upcast.record.value.map { String(decoding: $0, as: UTF8.self) } == #"{"type":"Registered.v3","name":"Ada L","country":"unknown"}"#)
        #expect(Self.value(upcasters.apply(Self.record(#"{"type":"Registered.v2","name":"B"}"#))) == #"{"type":"Registered.v3","name":"B","country":"unknown"}"#)

        // In the other order a v1 event stops at v2: the v3 upcaster came before it.
        var reversed = try Self.upcasters(#"on Registered.v2 to {"type":"Registered.v3","name":$.name}"#)
        try reversed.add(Upcaster(#"on Registered.v1 to {"type":"Registered.v2","name":$.first}"#))
        #expect(Self.value(reversed.apply(old)) == #"{"type":"Registered.v2","name":"Ada"}"#)
    }

    @Test("a failing upcaster names itself and where it failed; a template must give an object")
    func failure() throws {
        let upcasters = try Self.upcasters(
            #"on Deposited when $.amount > 0 to {"type":"Deposited","cents":$.amount * 100}"#, "on Closed to $.reason")
        #expect(upcasters.apply(Self.record(#"{"type":"Deposited","amount":"x"}"#)) == .failure(UpcastFailure(
            upcaster: 1, reason: "the condition at column 28 (near `… $.amount > 0 to {\"ty…`): `>` compares two numbers or two texts, found a string and a number")))
        #expect(upcasters.apply(Self.record(#"{"type":"Closed","reason":"done"}"#)) == .failure(UpcastFailure(
            upcaster: 2, reason: "the template at column 14 gives a string, but an event must be a JSON object")))
        #expect(UpcastFailure(upcaster: 2, reason: "r").description == "upcaster 2: r")
    }

    @Test("a reader that finds types in a header matches upcasters by the header, which stays as it is")
    func headerTypes() throws {
        let upcasters = try Self.upcasters(
            #"on Deposited when default($.cents, null) == null to {"cents":$.amount * 100}"#, #"on Deposited to {"cents":$.cents,"seen":true}"#)
        let old = Self.record(#"{"amount":1}"#, headers: [RecordHeader(key: "ce_type", value: Array("Deposited".utf8))])
        guard case .success(let upcast) = upcasters.upcast(old, typeSource: .header("ce_type")) else { Issue.record("failed"); return }
        #expect(upcast.applied == [1, 2])
        #expect(upcast.record.headers == old.headers)
        #expect(upcast.record.value.map { String(decoding: $0, as: UTF8.self) } == #"{"cents":100,"seen":true}"#)
        // Read by field, the record has no type, so no upcaster applies.
        #expect(upcasters.apply(old) == .success(old))
    }

    @Test("upcasters are numbered for good: numbers are never given twice, and errors say what there is")
    func numbering() throws {
        var upcasters = try Self.upcasters("on A to {}", "on B to {}", "on C to {}")
        try upcasters.remove(3)
        #expect(try upcasters.add(Upcaster("on D to {}")) == 4)
        try upcasters.replace(2, with: Upcaster(#"on B to {"b":1}"#))
        #expect(upcasters.lines == ["1. on A to {}", #"2. on B to {"b":1}"#, "4. on D to {}"])
        #expect(throws: UpcastError("there is no upcaster 3: the upcasters are 1, 2, 4")) { try upcasters.remove(3) }
        #expect(throws: UpcastError("there is already an upcaster 2: `upcast replace 2 on …` changes it")) {
            try upcasters.add(Upcaster("on E to {}"), number: 2)
        }
        #expect(throws: UpcastError("there is no upcaster 1: there are no upcasters; add one with `upcast on TYPE to TEMPLATE`")) {
            var none = Upcasters()
            try none.remove(1)
        }
    }

    @Test("an upcaster that does not parse says where, and one may not read tables or call services")
    func syntax() {
        func error(_ text: String) -> String? {
            do { _ = try Upcaster(text); return nil } catch { return "\(error.column): \(error.message)" }
        }
        #expect(error("to {}") == "1: expected `on` and the event type the rule rewrites, found `to`")
        #expect(error("on A {}") == "6: expected `when` or `to` after the event type, found `{}`")
        #expect(error("on A to") == "8: expected the new shape after `to`, e.g. {\"type\":\"Deposited.v2\",\"cents\":$.amount * 100}, found the end of the upcaster")
        let shape = "the new shape must be a JSON object, as {\"type\":\"Deposited.v2\",\"cents\":$.amount * 100}, but this one is "
        #expect(error("on A to [1, 2]") == "9: " + shape + "an array")
        #expect(error("on A to 5") == "9: " + shape + "a number")
        #expect(error(#"on A to "x""#) == "9: " + shape + "a string")
        #expect(error("on A to $") == nil)
        #expect(error("on A when to {}") == "11: expected a condition after `when`, found `to`")
        let why = "it reads only its event, so that replaying the log always gives the same events; carry the value in the event"
        #expect(error(#"on A to {"c": table("t", $.id)}"#) == "15: in the template: an upcaster cannot look up a table: " + why)
        #expect(error(#"on A when call c.ok($.id) to {}"#) == "11: in the condition: an upcaster cannot call a service: " + why)
    }
}
