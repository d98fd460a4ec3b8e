import EventLabCore
import EventLabPatterns
import Testing

/// A record at `offset` with string key and value; a nil value is a tombstone.
func record(_ offset: Int64, _ key: String?, _ value: String?, at timestamp: Int64 = 1_000) -> Record {
    Record(offset: offset, timestamp: timestamp, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) })
}

extension Table {
    /// The table's keys and values as strings, in its listing order.
    var strings: [String] {
        entries.map { String(decoding: $0.key, as: UTF8.self) + "=" + String(decoding: $0.value, as: UTF8.self) }
    }
}

@Suite("A table keeps the last value per key of the records applied to it")
struct TableTests {
    @Test("a later value replaces its key's earlier one, and the entry says where the value came from")
    func lastValuePerKey() {
        var table = Table(name: "customer-view", topic: "customers")
        #expect(table.apply(record(0, "c-1", "Ada"), partition: 0) == .stored(added: true))
        #expect(table.apply(record(1, "c-2", "Bob"), partition: 0) == .stored(added: true))
        #expect(table.apply(record(2, "c-1", "Ada L.", at: 2_000), partition: 0) == .stored(added: false))
        #expect(table.count == 2)
        #expect(table.get("c-1") == TableEntry(key: Array("c-1".utf8), value: Array("Ada L.".utf8), partition: 0, offset: 2, timestamp: 2_000))
        #expect(table.get(Array("c-2".utf8))?.value == Array("Bob".utf8))
        #expect(table.get("c-3") == nil)
        #expect(table.positions == [0: 3])
    }

    @Test("a tombstone deletes its key; one for a key the table does not hold changes nothing but the position")
    func tombstones() {
        var table = Table(name: "v", topic: "t")
        table.apply(record(0, "a", "1"), partition: 0)
        table.apply(record(1, "b", "1"), partition: 0)
        #expect(table.apply(record(2, "a", nil), partition: 0) == .deleted(existed: true))
        #expect(table.apply(record(3, "z", nil), partition: 0) == .deleted(existed: false))
        #expect(table.get("a") == nil)
        #expect(table.strings == ["b=1"])
        #expect(table.positions == [0: 4])
        #expect(table.apply(record(4, "a", "2"), partition: 0) == .stored(added: true))
        #expect(table.strings == ["a=2", "b=1"])
    }

    @Test("a record without a key is skipped and counted with its reason, and the position moves past it")
    func unkeyed() {
        var table = Table(name: "v", topic: "t")
        #expect(table.apply(record(0, nil, "loose"), partition: 0) == .skipped(.noKey))
        table.apply(record(1, nil, nil), partition: 0)
        table.apply(record(2, "a", "1"), partition: 0)
        #expect(table.skipped == [.noKey: 2])
        #expect(table.count == 1)
        #expect(table.positions == [0: 3])
        #expect(TableSkip.noKey.description.contains("no key"))
    }

    @Test("replaying records below the position, as a restart from a committed position does, changes nothing")
    func idempotentReplay() {
        let records = [record(0, "a", "1"), record(1, "b", "1"), record(2, "a", nil), record(3, nil, "x"), record(4, "b", "2")]
        var table = Table(name: "v", topic: "t")
        for record in records { table.apply(record, partition: 0) }
        let before = (table.strings, table.positions, table.skipped)
        for record in records[1...] {
            #expect(table.apply(record, partition: 0) == .alreadyApplied)
        }
        #expect(table.strings == before.0)
        #expect(table.positions == before.1)
        #expect(table.skipped == before.2)
        #expect(table.apply(record(5, "a", "3"), partition: 0) == .stored(added: true))
        #expect(table.strings == ["a=3", "b=2"])
    }

    @Test("positions are per partition: a record of one partition is not held back by another's position")
    func perPartition() {
        var table = Table(name: "v", topic: "t")
        table.apply(record(7, "a", "1"), partition: 0)
        #expect(table.apply(record(0, "b", "1"), partition: 1) == .stored(added: true))
        #expect(table.apply(record(3, "c", "1"), partition: 0) == .alreadyApplied)
        #expect(table.positions == [0: 8, 1: 1])
        #expect(table.get("b")?.partition == 1)
    }

    @Test("entries are sorted by key bytes whatever order the keys arrived in")
    func deterministicOrder() {
        let keys = ["b", "a", "ab", "B", "é", "a\u{0}", "10", "9"]
        var forward = Table(name: "v", topic: "t")
        var backward = Table(name: "v", topic: "t")
        for (offset, key) in keys.enumerated() { forward.apply(record(Int64(offset), key, key), partition: 0) }
        for (offset, key) in keys.reversed().enumerated() { backward.apply(record(Int64(offset), key, key), partition: 0) }
        let expected = keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(forward.entries.map(\.key) == expected)
        #expect(backward.entries.map(\.key) == expected)
        #expect(expected.map { String(decoding: $0, as: UTF8.self) } == ["10", "9", "B", "a", "a\u{0}", "ab", "b", "é"])
    }

    @Test("a value is the record's bytes, kept after the batch they came from is gone")
    func ownsItsBytes() {
        var table = Table(name: "v", topic: "t")
        var batch = Array("k1v1".utf8)
        table.apply(Record(offset: 0, timestamp: 0, key: batch[0..<2], value: batch[2..<4]), partition: 0)
        batch.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        #expect(table.strings == ["k1=v1"])
    }

    @Test("an entry looked up before its key changes keeps the value it had; values longer and shorter than the last replace it whole")
    func entriesAreValues() {
        var table = Table(name: "v", topic: "t")
        table.apply(record(0, "a", "first"), partition: 0)
        let before = table.get("a")
        table.apply(record(1, "a", "a much longer second value"), partition: 0)
        table.apply(record(2, "a", "3rd"), partition: 0)
        #expect(before?.value == Array("first".utf8))
        #expect(table.strings == ["a=3rd"])
        #expect(table.get("a")?.offset == 2)
    }

    @Test("keys that share a long prefix or differ only in length stay apart")
    func similarKeys() {
        var table = Table(name: "v", topic: "t")
        let keys = ["customer-0000001", "customer-0000002", "customer-000000", "customer-00000010", "", "c"]
        for (offset, key) in keys.enumerated() { table.apply(record(Int64(offset), key, "v\(offset)"), partition: 0) }
        #expect(table.count == keys.count)
        for (offset, key) in keys.enumerated() { #expect(table.get(key)?.value == Array("v\(offset)".utf8)) }
    }

    @Test("advancing a partition past offsets that hold no record moves its position forward, never back")
    func advance() {
        var table = Table(name: "v", topic: "t")
        table.advance(partition: 0, to: 5)
        #expect(table.positions == [0: 5])
        table.advance(partition: 0, to: 3)
        #expect(table.positions == [0: 5])
        #expect(table.apply(record(4, "a", "1"), partition: 0) == .alreadyApplied)
        #expect(table.count == 0)
    }
}
