import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("A read model applies a projection's rules to records")
struct ReadModelTests {
    static func projection(_ rules: [String], typeSource: EventTypeSource = .field("type")) throws -> Projection {
        var projection = Projection(name: "p", sources: ["orders"], typeSource: typeSource)
        for rule in rules { try projection.add(ProjectionRule(rule)) }
        return projection
    }

    static func record(_ offset: Int64, _ value: String?, key: String? = nil, headers: [RecordHeader] = []) -> Record {
        Record(offset: offset, timestamp: 0, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) }, headers: headers)
    }

    /// Applies `values` at offsets 0, 1, … of orders/0.
    static func model(_ projection: Projection, _ values: [String?]) -> ReadModel {
        var model = ReadModel(projection)
        for (offset, value) in values.enumerated() { model.apply(record(Int64(offset), value), topic: "orders", partition: 0) }
        return model
    }

    @Test("put keeps each key's latest value and delete removes its row")
    func putAndDelete() throws {
        let projection = try Self.projection([
            #"on Moved put $.customer = {"city": $.city}"#, "on Left delete $.customer",
        ])
        let model = Self.model(projection, [
            #"{"type":"Moved","customer":"c-1","city":"Oslo"}"#, #"{"type":"Moved","customer":"c-2","city":"Rome"}"#,
            #"{"type":"Moved","customer":"c-1","city":"Lima"}"#, #"{"type":"Left","customer":"c-2"}"#,
        ])
        #expect(model.entries.map(\.key) == ["c-1"])
        #expect(model.row("c-1")?.value == .object([("city", .string("Lima"))]))
        #expect(model.row("c-2") == nil && model.applied == 4 && model.positions == [SourcePartition(topic: "orders", partition: 0): 4])
    }

    @Test("count and sum group by an expression's text, and sums stay exact")
    func countAndSum() throws {
        let projection = try Self.projection([
            "on Placed count by $.customer", "on Placed sum $.total by $.customer", "on Refunded sum -$.total by $.customer",
        ])
        var values: [String?] = []
        for _ in 0..<10 { values.append(#"{"type":"Placed","customer":"c-1","total":0.1}"#) }
        values.append(#"{"type":"Placed","customer":2,"total":0.2}"#)
        values.append(#"{"type":"Refunded","customer":"c-1","total":0.3}"#)
        let model = Self.model(projection, values)
        #expect(model.row("c-1") == ReadModel.Row(count: 10, sum: try ExactNumber(mantissa: 7, scale: 1)))
        #expect(model.row("2") == ReadModel.Row(count: 1, sum: try ExactNumber(mantissa: 2, scale: 1)))
        #expect(model.applied == 12 && model.failed == 0)
    }

    @Test("a condition chooses the events a rule counts; records no rule takes are skipped by reason")
    func skips() throws {
        let projection = try Self.projection(["on Placed when $.total > 100 count by $.customer"])
        let model = Self.model(projection, [
            #"{"type":"Placed","customer":"c-1","total":150}"#, #"{"type":"Placed","customer":"c-1","total":50}"#,
            #"{"type":"Shipped","customer":"c-1"}"#, #"{"customer":"c-1"}"#, nil, #"{"type":null}"#,
        ])
        #expect(model.row("c-1")?.count == 1 && model.applied == 1)
        #expect(model.skipped == [.noConditionHeld: 1, .noRule: 1, .noType: 3])
    }

    @Test("a tombstone with a type header deletes by its record key")
    func tombstoneByHeader() throws {
        let projection = try Self.projection(["on Set put key = $", "on Gone delete key"], typeSource: .header("ce_type"))
        var model = ReadModel(projection)
        let set = [RecordHeader(key: "ce_type", value: Array("Set".utf8))]
        model.apply(Self.record(0, #"{"a":1}"#, key: "k-1", headers: set), topic: "orders", partition: 0)
        model.apply(Self.record(1, #"{"a":2}"#, key: "k-2", headers: set), topic: "orders", partition: 0)
        #expect(model.count == 2)
        let change = model.apply(Self.record(2, nil, key: "k-1", headers: [RecordHeader(key: "ce_type", value: Array("Gone".utf8))]), topic: "orders", partition: 0)
        #expect(change == .applied(rules: 1))
        #expect(model.entries.map(\.key) == ["k-2"])
    }

    @Test("records below the position change nothing, so replaying a partition is harmless")
    func idempotent() throws {
        let projection = try Self.projection(["on Placed count by $.customer"])
        var model = ReadModel(projection)
        let records = (0..<5).map { Self.record(Int64($0), #"{"type":"Placed","customer":"c-\#($0 % 2)"}"#) }
        for record in records { model.apply(record, topic: "orders", partition: 0) }
        let before = model.entries.map { "\($0.key)=\($0.row.count)" }
        for record in records { #expect(model.apply(record, topic: "orders", partition: 0) == .alreadyApplied) }
        #expect(model.entries.map { "\($0.key)=\($0.row.count)" } == before && before == ["c-0=3", "c-1=2"])
        #expect(model.apply(records[0], topic: "orders", partition: 1) == .applied(rules: 1))
        #expect(model.row("c-0")?.count == 4 && model.applied == 6)
    }

    @Test("a failing rule is counted with its number and column and changes no row, not even an earlier rule's")
    func failures() throws {
        let projection = try Self.projection(["on Placed count by $.customer", "on Placed sum $.total by $.customer"])
        var model = ReadModel(projection)
        let change = model.apply(Self.record(4, #"{"type":"Placed","customer":"c-1","total":"12"}"#), topic: "orders", partition: 2)
        guard case .failed(let failure) = change else { Issue.record("\(change)"); return }
        #expect(failure.description == "orders p2 @4: rule 2: the amount at column 15 (near `…laced sum $.total by …`): a sum adds numbers, but this amount is a string")
        #expect(model.count == 0 && model.failed == 1 && model.lastFailure == failure)

        model.apply(Self.record(5, #"{"type":"Placed","total":1}"#), topic: "orders", partition: 2)
        #expect(model.lastFailure?.description.hasPrefix("orders p2 @5: rule 1: the group at column 20 (near `… count by $.customer`): ") == true)
        model.apply(Self.record(6, "nope"), topic: "orders", partition: 2)
        #expect(model.lastFailure?.rule == nil && model.lastFailure?.reason.hasPrefix("the record's value is not JSON") == true)
        model.apply(Self.record(7, #"{"type":"Placed","customer":"c-1","total":9223372036854775807}"#), topic: "orders", partition: 2)
        model.apply(Self.record(8, #"{"type":"Placed","customer":"c-1","total":1}"#), topic: "orders", partition: 2)
        #expect(model.lastFailure?.description.hasPrefix("orders p2 @8: rule 2: the amount at column 15: adding it to the sum of c-1: the number does not fit") == true)
        #expect(model.row("c-1") == ReadModel.Row(count: 1, sum: ExactNumber(.max)))
        #expect(model.failed == 4 && model.applied == 1 && model.positions[SourcePartition(topic: "orders", partition: 2)] == 9)
    }

    @Test("a default recovers a missing field, so its events count under a group of their own")
    func missingWithDefault() throws {
        let projection = try Self.projection([#"on Placed count by default($.region, "unknown")"#])
        let model = Self.model(projection, [#"{"type":"Placed","region":"eu"}"#, #"{"type":"Placed"}"#, #"{"type":"Placed"}"#])
        #expect(model.entries.map { "\($0.key)=\($0.row.count)" } == ["eu=1", "unknown=2"])
    }
}
