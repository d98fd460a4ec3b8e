import EventLabCore
import EventLabPatterns
import EventLabTestSupport
import Testing

@Suite("A command is validated against its key's state and appended only where it validated")
struct CommandSendTests {
    static let deposit = #"--aggregate account emit accounts {"type":"Deposited","account":$.account,"amount":$.amount}"#

    /// An account over `accounts` with three partitions, and a-1 given 100.
    func opened(_ backend: Backend) throws -> (TestBroker, Aggregate) {
        let test = try TestBroker(backend)
        try test.broker.createTopic("accounts", partitions: 3)
        let account = try AggregateFoldTests.account()
        _ = try send(Self.deposit, #"{"account":"a-1","amount":100}"#, account, test.broker)
        return (test, account)
    }

    func send(
        _ definition: String, _ payload: String, _ aggregate: Aggregate, _ broker: Broker, expecting version: Int? = nil,
        beforeAppend: (Int) throws -> Void = { _ in }
    ) throws -> CommandReport {
        let command = try Command(name: "c", definition)
        return try CommandSend(command, against: aggregate, payload: Array(payload.utf8), expectedVersion: version).run(in: broker, beforeAppend: beforeAppend)
    }

    func end(_ broker: Broker) throws -> Int64 {
        try broker.offsets("accounts", partition: Partitioner.partition(forKey: Array("a-1".utf8), count: 3)).logEndOffset
    }

    func state(_ json: String, version: Int, offset: Int64?, partition: Int32) throws -> AggregateState {
        AggregateState(state: try JSONParser.parse(json), version: version, offset: offset, partition: partition)
    }

    @Test("an accepted command appends its events keyed by the aggregate key, in the key's partition, and says the state they leave", arguments: Backend.allCases)
    func accepted(backend: Backend) throws {
        let (test, account) = try opened(backend)
        let partition = Partitioner.partition(forKey: Array("a-1".utf8), count: 3)
        let report = try send(CommandTests.withdraw, #"{"account":"a-1","amount":30}"#, account, test.broker)
        #expect(report.key == "a-1")
        #expect(report.topic == "accounts")
        #expect(report.partition == partition)
        #expect(report.conflicts.isEmpty)
        let expected = try state(#"{"balance":70,"withdrawals":1}"#, version: 2, offset: 1, partition: partition)
        #expect(report.outcome == .accepted(branch: 1, appended: [CommandAppend(eventType: "Withdrawn", offset: 1)], state: expected))
        #expect(try account.state(key: "a-1", in: test.broker) == expected)
        let written = try test.broker.read("accounts", partition: partition, from: 1, maxRecords: 10)
        #expect(written.count == 1)
        #expect(written[0].key.map(Array.init) == Array("a-1".utf8))
        #expect(written[0].value.map(Array.init) == Array(#"{"type":"Withdrawn","account":"a-1","amount":30}"#.utf8))
        #expect(written[0].headers == [RecordHeader(key: "eventlab.command", value: Array("c".utf8))])
    }

    @Test("a rejected command writes nothing and says why, with the key's current state", arguments: Backend.allCases)
    func rejected(backend: Backend) throws {
        let (test, account) = try opened(backend)
        let before = try end(test.broker)
        let report = try send(CommandTests.withdraw, #"{"account":"a-1","amount":130}"#, account, test.broker)
        let current = try account.state(key: "a-1", in: test.broker)
        #expect(report.outcome == .rejected("insufficient funds: balance is 100", current: current))
        #expect(try end(test.broker) == before)
        let silent = try send(#"--aggregate account when false emit accounts {"type":"Deposited","account":$.account,"amount":1}"#, #"{"account":"a-1"}"#, account, test.broker)
        #expect(silent.outcome == .rejected("no condition of c holds", current: current))
        #expect(try end(test.broker) == before)
    }

    @Test("--expect-version: the key's version is accepted, an older or a future one rejected with the current version", arguments: Backend.allCases)
    func expectedVersion(backend: Backend) throws {
        let (test, account) = try opened(backend)
        let stale = try send(Self.deposit, #"{"account":"a-1","amount":5}"#, account, test.broker, expecting: 0)
        guard case .rejected(let message, let current) = stale.outcome else { Issue.record("accepted at a stale version"); return }
        #expect(message == "expected version 0, but account a-1 is at version 1: it has moved on since; look at its state and send again")
        #expect(current.version == 1)
        let fresh = try send(Self.deposit, #"{"account":"a-1","amount":5}"#, account, test.broker, expecting: 1)
        guard case .accepted(_, _, let state) = fresh.outcome else { Issue.record("rejected at the current version"); return }
        #expect(state.version == 2)
        let ahead = try send(Self.deposit, #"{"account":"a-1","amount":5}"#, account, test.broker, expecting: 7)
        #expect(ahead.outcome == .rejected(
            "expected version 7, but account a-1 is at version 2: it has not reached that version: a version counts the key's events, so it is at most the number folded so far",
            current: state))
    }

    @Test("a write landing between validation and append sends the command round again: a balance now too low is rejected", arguments: Backend.allCases)
    func concurrentWrite(backend: Backend) throws {
        let (test, account) = try opened(backend)
        let other = ProducerRecord(key: "a-1", value: #"{"type":"Withdrawn","account":"a-1","amount":80}"#)
        var tries: [Int] = []
        let report = try send(CommandTests.withdraw, #"{"account":"a-1","amount":50}"#, account, test.broker) { attempt in
            tries.append(attempt)
            if attempt == 1 { _ = try test.broker.publish("accounts", [other]) }
        }
        // The first try validated at balance 100, the second saw the other writer's 80 gone.
        #expect(tries == [1])
        #expect(report.conflicts == [CommandConflict(validatedAt: 1, endedAt: 2)])
        guard case .rejected(let message, let current) = report.outcome else { Issue.record("accepted over a concurrent write"); return }
        #expect(message == "insufficient funds: balance is 20")
        #expect(current.version == 2)
        #expect(try end(test.broker) == 2)
    }

    @Test("a write landing between validation and append, after which the command still holds, is appended after it", arguments: Backend.allCases)
    func concurrentWriteStillValid(backend: Backend) throws {
        let (test, account) = try opened(backend)
        let other = ProducerRecord(key: "a-1", value: #"{"type":"Deposited","account":"a-1","amount":1}"#)
        let report = try send(CommandTests.withdraw, #"{"account":"a-1","amount":50}"#, account, test.broker) { attempt in
            if attempt == 1 { _ = try test.broker.publish("accounts", [other]) }
        }
        #expect(report.conflicts == [CommandConflict(validatedAt: 1, endedAt: 2)])
        guard case .accepted(_, let appended, let state) = report.outcome else { Issue.record("rejected"); return }
        #expect(appended == [CommandAppend(eventType: "Withdrawn", offset: 2)])
        #expect(state.state == (try JSONParser.parse(#"{"balance":51,"withdrawals":1}"#)))
        #expect(state.version == 3)
    }

    @Test("a send that another writer beats every time gives up after its tries, writing nothing of its own", arguments: Backend.allCases)
    func givesUp(backend: Backend) throws {
        let (test, account) = try opened(backend)
        let other = ProducerRecord(key: "a-1", value: #"{"type":"Deposited","account":"a-1","amount":1}"#)
        let partition = Partitioner.partition(forKey: Array("a-1".utf8), count: 3)
        // Each try validated at the end the previous one's rival left, and found it moved by one.
        let conflicts = (1...5).map { CommandConflict(validatedAt: Int64($0), endedAt: Int64($0) + 1) }
        let error = #expect(throws: CommandContention.self) {
            try send(CommandTests.withdraw, #"{"account":"a-1","amount":50}"#, account, test.broker) { _ in
                _ = try test.broker.publish("accounts", [other])
            }
        }
        #expect(error == CommandContention(command: "c", topic: "accounts", partition: partition, conflicts: conflicts))
        #expect(error?.description == "another writer appended to accounts p\(partition) each of the 5 times c validated, so nothing was written: send it again")
        let records = try test.broker.read("accounts", partition: partition, from: 0, maxRecords: 100)
        #expect(records.count == 6)
        #expect(records.allSatisfy { $0.headers.isEmpty || $0.offset == 0 })
    }

    @Test("a command that cannot be decided is an error, and writes nothing", arguments: [
        (#"--aggregate account when state.balance >= $.amount emit accounts {"type":"Withdrawn","account":"a-1","amount":$.amount}"#,
         #"{"account":"a-1"}"#, "the condition of branch 1 at column 43: the payload has no field $.amount"),
        (#"--aggregate account emit accounts {"type":"Deposited","account":"a-2","amount":1}"#,
         #"{"account":"a-1"}"#, "the event of branch 1 at column 35 is for account a-2 (by its key $.account), not a-1: account would fold it into another key; give it the command's key"),
        (#"--aggregate account emit accounts {"account":$.account}"#,
         #"{"account":"a-1"}"#, #"the event of branch 1 at column 35 has no event type, so aggregate account would pass it over: give it a type, e.g. {"type":"Withdrawn",…}"#),
        (#"--aggregate account emit accounts {"type":"Deposited","account":$.account,"amount":"x"}"#,
         #"{"account":"a-1"}"#, "the event of branch 1 at column 35 could not be folded by aggregate account, so it would be a poison event in its history: rule 1: the value of balance at column 42 (near `…e.balance + $.amount`): `+` needs two numbers or two texts, found a number and a string; `+` joins two texts, so turn the other into text with string(…)"),
        (Self.deposit, #"{"amount":1}"#, "the payload has no key for aggregate account: the key $.account at column 1: the payload has no field $.account"),
    ])
    func errors(definition: String, payload: String, message: String) throws {
        let (test, account) = try opened(.memory)
        let before = try end(test.broker)
        #expect(throws: CommandError(message)) { try send(definition, payload, account, test.broker) }
        #expect(try end(test.broker) == before)
    }
}
