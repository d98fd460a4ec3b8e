import EventLabCore
import EventLabShell
import EventLabTestSupport
import Synchronization
import Testing

@Suite("A running service is a member of its group, which other consumers share")
struct ServiceMembershipTests {
    /// A shell with orders (two partitions), payments, and billing emitting a payment per order.
    private func shell(_ backend: Backend) throws -> (Shell, CapturedOutput) {
        let output = CapturedOutput()
        let shell = Shell(broker: makeBroker(backend).0, logicalClock: nil, output: output)
        for command in [
            "topic create orders --partitions 2", "topic create payments", "service create billing --from orders",
            #"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id}"#,
        ] {
            #expect(shell.execute(command), "\(output.lines)")
        }
        output.clear()
        return (shell, output)
    }

    @Test("consume --group joins beside the service, which rejoins at once; group reset needs the service stopped", arguments: Backend.allCases)
    func consumeShares(backend: Backend) throws {
        let (shell, output) = try shell(backend)
        #expect(shell.execute(#"publish orders --partition 1 {"type":"OrderPlaced","id":"o-1"}"#))
        output.clear()
        #expect(shell.execute("consume orders --group billing"), "\(output.lines)")
        #expect(output.lines.contains("waiting for group billing's other members to rejoin (a rebalance; at most 10 s)…"))
        #expect(output.lines.contains("rebalanced: this member got p1 of orders"), "\(output.lines)")
        #expect(try shell.broker.describeGroup("billing").members.map(\.clientId) == ["billing"], "the consumer left; the service stays")

        #expect(!shell.execute("group reset billing --all-topics --to earliest --execute"))
        #expect(shell.execute("service stop billing"))
        #expect(try shell.broker.describeGroup("billing").members.isEmpty)
        #expect(shell.execute("group reset billing --all-topics --to earliest --execute"), "\(output.lines)")
    }

    @Test("creating a service under a running service's name says the name is taken, not that its own member holds the group", arguments: Backend.allCases)
    func nameTakenFirst(backend: Backend) throws {
        let (shell, output) = try shell(backend)
        #expect(shell.execute("topic create billing-dlq"))
        #expect(shell.execute(#"publish orders {"type":"OrderPlaced","id":"o-1"}"#))
        #expect(try shell.broker.describeGroup("billing").members.count == 1, "billing runs as its group's member")
        output.clear()
        #expect(!shell.execute("service create billing --from orders --dead-letter billing-dlq --adopt"))
        #expect(output.errors == ["error: there is already a service named billing: pick another name, or `service delete billing` first"], "\(output.errors)")
        #expect(!shell.execute("service create billing --from orders"))
        #expect(output.errors.last == "error: there is already a service named billing: pick another name, or `service delete billing` first")
        #expect(!shell.execute("projection create billing --from orders"))
        #expect(output.errors.last == "error: there is already a service named billing: pick another name, or `service delete billing` first")
    }

    final class Wakes: Sendable {
        let count = Atomic(0)
    }

    @Test("a client joining the service's group wakes the flow watch, and the drain it runs gives the client its share", arguments: Backend.allCases)
    func watchWakesOnJoin(backend: Backend) throws {
        let (shell, _) = try shell(backend)
        let wakes = Wakes()
        shell.flowWatch = FlowWatch { wakes.count.add(1, ordering: .relaxed) }
        shell.runFlows()
        let armed = wakes.count.load(ordering: .relaxed)
        let client = GroupMember(broker: shell.broker, configuration: GroupMemberConfiguration(groupId: "billing", clientId: "client", topics: ["orders"]))
        client.start()
        #expect(wakes.count.load(ordering: .relaxed) > armed)
        #expect(!client.machine.isStable)
        shell.runFlows()
        client.poll()
        #expect(client.machine.isStable && client.assignment.count == 1)
        client.leave()
    }
}
