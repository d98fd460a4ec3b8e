import EventLabCore
import EventLabShell
import Testing

@Suite("Tab completion")
struct CompleterTests {
    func completer() throws -> Completer {
        let broker = try Broker()
        try broker.createTopic("orders", partitions: 3)
        try broker.createTopic("orders.eu", partitions: 1)
        _ = broker.commitOffsets(groupId: "billing", offsets: [TopicPartition("orders", 0): CommittedOffset(offset: 0)])
        return Completer(broker: broker)
    }

    @Test("commands, sub-commands and options complete from what is typed")
    func words() throws {
        let completer = try completer()
        #expect(completer.complete("pub").candidates == ["publish"])
        #expect(completer.complete("topic cr").candidates == ["create"])
        #expect(completer.complete("consume orders --gr").candidates == ["--group"])
        #expect(completer.complete("group reset billing --to ").candidates == ["earliest", "latest", "offset", "shift", "time"])
    }

    @Test("live names complete where the command expects them")
    func names() throws {
        let completer = try completer()
        #expect(completer.complete("publish or") == (2, ["orders", "orders.eu"]))
        #expect(completer.complete("consume orders --group b").candidates == ["billing"])
        #expect(completer.complete("show log orders ").candidates == ["0", "1", "2"])
        #expect(completer.complete("show ").candidates.contains("billing"))
        #expect(completer.complete("topic list; topic describe orders.").candidates == ["orders.eu"])
    }
}
