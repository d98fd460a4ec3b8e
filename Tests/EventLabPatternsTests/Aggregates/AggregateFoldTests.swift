import EventLabCore
import Testing
@testable import EventLabPatterns

@Suite("An aggregate folds events into state per key")
struct AggregateFoldTests {
    static func account() throws -> Aggregate {
        var account = try Aggregate(
            name: "account", source: "accounts", key: try Expression("$.account"), initial: try JSONParser.parse(#"{"balance":0}"#))
        try account.add(AggregateRule("on Deposited set balance = state.balance + $.amount"))
        try account.add(AggregateRule("on Withdrawn when state.balance >= $.amount set balance = state.balance - $.amount, withdrawals = default(state.withdrawals, 0) + 1"))
        return account
    }

    static func event(_ json: String, offset: Int64 = 0, key: String? = nil, timestamp: Int64 = 0) -> Record {
        Record(offset: offset, timestamp: timestamp, key: key.map { Array($0.utf8) }, value: Array(json.utf8))
    }

    func json(_ text: String) throws -> JSON { try JSONParser.parse(text) }

    @Test func theIssuesExampleFolds() throws {
        let account = try Self.account()
        let deposited = account.fold(account.initial, Self.event(#"{"type":"Deposited","account":"a-1","amount":100}"#))
        #expect(deposited == .applied(eventType: "Deposited", state: try json(#"{"balance":100}"#)))
        guard case .applied(_, let after) = deposited else { return }
        #expect(account.fold(after, Self.event(#"{"type":"Withdrawn","account":"a-1","amount":30}"#))
            == .applied(eventType: "Withdrawn", state: try json(#"{"balance":70,"withdrawals":1}"#)))
        #expect(account.fold(after, Self.event(#"{"type":"Withdrawn","account":"a-1","amount":300}"#))
            == .applied(eventType: "Withdrawn", state: try json(#"{"balance":100}"#)), "a condition that fails leaves the state")
        #expect(account.fold(after, Self.event(#"{"type":"Opened","account":"a-1"}"#)) == .applied(eventType: "Opened", state: after))
        #expect(account.fold(after, Self.event(#"{"account":"a-1"}"#)) == .skipped(.noType))
    }

    @Test("rules run in number order, each seeing the state the one before left; a rule's fields are set together")
    func order() throws {
        var aggregate = try Aggregate(name: "n", source: "t", key: try Expression("$.k"), initial: try json(#"{"a":1,"b":10}"#))
        try aggregate.add(AggregateRule("on T set a = state.b, b = state.a"), number: 5)
        try aggregate.add(AggregateRule("on T set a = state.a * 100"), number: 2)
        #expect(aggregate.rules.map(\.number) == [2, 5])
        #expect(aggregate.fold(aggregate.initial, Self.event(#"{"type":"T","k":"x"}"#))
            == .applied(eventType: "T", state: try json(#"{"a":10,"b":100}"#)))
    }

    @Test("a failing rule folds nothing of the event and names the rule, the part and the column")
    func failures() throws {
        var account = try Self.account()
        try account.add(AggregateRule(#"on Deposited set last = $.note + "!""#))
        let failed = account.fold(account.initial, Self.event(#"{"type":"Deposited","account":"a-1","amount":5}"#))
        #expect(failed == .failed(AggregateFailure(rule: 3, reason: "the value of last at column 25 (near `…et last = $.note + \"!…`): the event has no field $.note")))
        #expect(account.fold(account.initial, Self.event(#"{"type":"Deposited","account":"a-1","amount":"5"}"#)).failure?.description
            == "rule 1: the value of balance at column 42 (near `…e.balance + $.amount`): `+` needs two numbers or two texts, found a number and a string; `+` joins two texts, so turn the other into text with string(…)")
        #expect(account.fold(account.initial, Self.event(#"{"type":7}"#)).failure?.description == "the event type $.type is a number, not text")
        #expect(account.key(of: Self.event(#"{"type":"Deposited"}"#)) == .failure(AggregateFailure(rule: nil, reason: "the key $.account at column 1: the event has no field $.account")))
        #expect(account.key(of: Self.event(#"{"account":{"n":1}}"#)) == .success(#"{"n":1}"#))
    }

    @Test("numbers are never reused: removed rules keep theirs, replaced rules keep theirs, and the fingerprint follows the rules")
    func numbering() throws {
        var account = try Self.account()
        let before = account.fingerprint
        #expect(before.count == 16)
        try account.remove(2)
        #expect(try account.add(AggregateRule("on Closed set closed = true")) == 3)
        #expect(throws: AggregateError("aggregate account already has a rule 3: `aggregate account replace 3 on …` changes it")) {
            try account.add(AggregateRule("on X set a = 1"), number: 3)
        }
        #expect(throws: AggregateError("aggregate account has no rule 2: its rules are 1, 3")) { try account.remove(2) }
        let replaced = account.fingerprint
        try account.replace(1, with: AggregateRule("on Deposited set balance = state.balance + $.amount * 2"))
        #expect(account.rules.map(\.number) == [1, 3])
        #expect(account.fingerprint != replaced && replaced != before)
        try account.replace(1, with: AggregateRule("on Deposited set balance = state.balance + $.amount"))
        #expect(account.fingerprint == replaced, "the same rules give the same fingerprint")
        #expect(try Self.account().fingerprint == before)
        #expect(account.describe() == [
            "aggregate account folds accounts by $.account", "  event type: $.type", #"  initial state: {"balance":0}"#,
            "  rules fingerprint: \(replaced)", "  1. on Deposited set balance = state.balance + $.amount", "  3. on Closed set closed = true",
        ])
        #expect(throws: AggregateError("an aggregate's initial state must be a JSON object, e.g. {\"balance\":0}, not a number")) {
            _ = try Aggregate(name: "x", source: "t", key: try Expression("$.k"), initial: .number(ExactNumber(1)))
        }
    }

    @Test("applying counts the version and where the last event lay, and notices records keyed otherwise")
    func apply() throws {
        let account = try Self.account()
        var states: [String: AggregateState] = [:]
        #expect(account.apply(Self.event(#"{"type":"Deposited","account":"a-1","amount":10}"#, offset: 4, key: "a-1"), partition: 2, to: &states)
            == .applied(key: "a-1", keyedOtherwise: false))
        #expect(account.apply(Self.event(#"{"type":"Deposited","account":"a-1","amount":5}"#, offset: 9, key: "a-2"), partition: 1, to: &states)
            == .applied(key: "a-1", keyedOtherwise: true))
        #expect(account.apply(Self.event(#"{"type":"Deposited","account":"a-1","amount":5}"#, offset: 10), partition: 1, to: &states)
            == .applied(key: "a-1", keyedOtherwise: true), "a record without a key is keyed otherwise")
        #expect(account.apply(Self.event(#"{"type":"Deposited","account":"a-1","amount":"x"}"#, offset: 11, key: "a-1"), partition: 1, to: &states).isFailure)
        #expect(account.apply(Self.event(#"{"account":"a-1"}"#, offset: 12, key: "a-1"), partition: 1, to: &states) == .skipped(.noType))
        #expect(states == ["a-1": AggregateState(state: try json(#"{"balance":20}"#), version: 3, offset: 10, partition: 1)])
    }

    @Test("an event whose later rule fails leaves its key's state as the rules before it found it")
    func failureUndoesEarlierRules() throws {
        var account = try Self.account()
        try account.add(AggregateRule("on Deposited set checked = $.note"))
        var states: [String: AggregateState] = [:]
        #expect(account.apply(Self.event(#"{"type":"Withdrawn","account":"a-1","amount":0}"#, key: "a-1"), partition: 0, to: &states)
            == .applied(key: "a-1", keyedOtherwise: false))
        let before = states
        let failed = account.apply(Self.event(#"{"type":"Deposited","account":"a-1","amount":10}"#, offset: 1, key: "a-1"), partition: 0, to: &states)
        #expect(failed == .failed(AggregateFailure(rule: 3, reason: "the value of checked at column 28 (near `…checked = $.note`): the event has no field $.note")))
        #expect(states == before)
        #expect(account.apply(Self.event(#"{"type":"Deposited","account":"a-9","amount":"x"}"#, key: "a-9"), partition: 0, to: &states).isFailure)
        #expect(states == before, "a key whose first event fails is not kept")
    }

    @Test("the event type may come from a header")
    func typeFromHeader() throws {
        var aggregate = try Aggregate(name: "n", source: "t", key: try Expression("key"), typeSource: .header("ce_type"))
        try aggregate.add(AggregateRule("on Seen set count = default(state.count, 0) + 1"))
        let record = Record(offset: 0, timestamp: 0, key: Array("k".utf8), value: Array("{}".utf8), headers: [RecordHeader(key: "ce_type", value: Array("Seen".utf8))])
        #expect(aggregate.fold(aggregate.initial, record) == .applied(eventType: "Seen", state: try json(#"{"count":1}"#)))
    }
}

extension AggregateFold {
    var failure: AggregateFailure? { if case .failed(let failure) = self { failure } else { nil } }
}

extension Aggregate.Applied {
    var isFailure: Bool { if case .failed = self { true } else { false } }
}
