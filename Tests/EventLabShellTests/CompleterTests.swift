import EventLabCore
import EventLabShell
import EventLabTestSupport
import Foundation
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
        #expect(completer.complete("help pu").candidates == ["publish"])
        #expect(completer.complete("help topic ").candidates.contains("consume"))
    }

    @Test("source completes file names: a directory's entries, directories with /, hidden ones once a dot is typed")
    func fileNames() throws {
        let directory = temporaryDirectory("eventlab-complete")
        try FileManager.default.createDirectory(atPath: directory + "/scripts", withIntermediateDirectories: true)
        for name in ["setup.txt", "scripts/orders.txt", ".hidden.txt"] {
            try "clock\n".write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
        }
        let completer = Completer(broker: try Broker())
        #expect(completer.complete("source \(directory)/s") == (directory.count + 2, [directory + "/scripts/", directory + "/setup.txt"]))
        #expect(completer.complete("source \(directory)/scripts/o").candidates == [directory + "/scripts/orders.txt"])
        #expect(completer.complete("source \(directory)/").candidates == [directory + "/scripts/", directory + "/setup.txt"])
        #expect(completer.complete("source \(directory)/.h").candidates == [directory + "/.hidden.txt"])
        #expect(completer.complete("source \(directory)/nowhere/").candidates.isEmpty)
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
