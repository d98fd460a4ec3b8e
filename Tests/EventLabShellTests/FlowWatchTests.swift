import EventLabCore
import EventLabShell
import EventLabTestSupport
import Synchronization
import Testing

@Suite("A shell's flow watch: records that clients add for the flows between commands")
struct FlowWatchTests {
    /// How often the watch said records arrived.
    final class Wakes: Sendable {
        let count = Atomic(0)
    }

    @Test("a record on a topic a service reads wakes the owner, one on another topic does not, and the drain it runs says what the service did", arguments: Backend.allCases)
    func wakesForInputs(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: nil, output: output)
        let wakes = Wakes()
        shell.flowWatch = FlowWatch { wakes.count.add(1, ordering: .relaxed) }
        #expect(shell.execute("topic create orders --partitions 2; topic create payments; topic create other"))
        #expect(shell.execute("service create billing --from orders"))
        #expect(shell.execute(#"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id} key=$.id"#))
        let armed = wakes.count.load(ordering: .relaxed)
        try test.broker.publish("other", [ProducerRecord(value: Array("unrelated".utf8))])
        #expect(wakes.count.load(ordering: .relaxed) == armed)
        output.clear()
        try test.broker.publish("orders", [ProducerRecord(key: Array("o-1".utf8), value: Array(#"{"type":"OrderPlaced","id":"o-1"}"#.utf8))])
        #expect(wakes.count.load(ordering: .relaxed) == armed + 1)
        #expect(output.lines.isEmpty, "the watch only tells: the owner drains on its own thread")
        shell.runFlows()
        #expect(output.lines.count == 1)
        #expect(output.lines.first?.hasPrefix("billing ← orders p") == true)
        #expect(output.lines.first?.hasSuffix("OrderPlaced → payments p0 @0 PaymentRequested") == true)
        #expect(test.broker.committedOffsets(groupId: "billing").values.map(\.offset).reduce(0, +) == 1)
        // The drain's own commit changed billing's group, which the watch told too.
        let drained = wakes.count.load(ordering: .relaxed)
        try test.broker.publish("orders", [ProducerRecord(key: Array("o-2".utf8), value: Array(#"{"type":"OrderPlaced","id":"o-2"}"#.utf8))])
        #expect(wakes.count.load(ordering: .relaxed) == drained + 1, "each drain arms the watch again")
    }

    @Test("a table is watched: its copy keeps up with its topic")
    func table() throws {
        let broker = try Broker()
        let shell = Shell(broker: broker, logicalClock: nil, output: CapturedOutput())
        let wakes = Wakes()
        shell.flowWatch = FlowWatch { wakes.count.add(1, ordering: .relaxed) }
        #expect(shell.execute("topic create customers --compact; table create customer-view --from customers"))
        try broker.publish("customers", [ProducerRecord(key: Array("c-1".utf8), value: Array(#"{"name":"Ada"}"#.utf8))])
        #expect(wakes.count.load(ordering: .relaxed) == 1)
        shell.runFlows()
        #expect(shell.flows.tables["customer-view"]?.count == 1)
    }

    @Test("a service stopped by hand is not watched: nothing would read what arrives")
    func stopped() throws {
        let broker = try Broker()
        let shell = Shell(broker: broker, logicalClock: nil, output: CapturedOutput())
        let wakes = Wakes()
        shell.flowWatch = FlowWatch { wakes.count.add(1, ordering: .relaxed) }
        #expect(shell.execute("topic create orders; topic create refunds; service create billing --from orders; service create returns --from refunds"))
        #expect(shell.execute("service stop billing"))
        try broker.publish("orders", [ProducerRecord(value: Array("{}".utf8))])
        #expect(wakes.count.load(ordering: .relaxed) == 0)
        try broker.publish("refunds", [ProducerRecord(value: Array("{}".utf8))])
        #expect(wakes.count.load(ordering: .relaxed) == 1)
    }
}
