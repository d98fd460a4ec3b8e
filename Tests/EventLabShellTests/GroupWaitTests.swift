import EventLabCore
import EventLabShell
import EventLabTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Waiting for a group")
struct GroupWaitTests {
    @Test("a consume waiting for a group's other members to rejoin stops when an interrupt posts its wake-up")
    func interruptedJoin() throws {
        let broker = try Broker(timer: ManualTimer(), waker: nil)
        try broker.createTopic("t", partitions: 1)
        // A member that never rejoins holds the group in a rebalance for as long as the rebalance timeout.
        broker.joinGroup(JoinGroupRequest(
            groupId: "g", clientId: "silent",
            protocols: [GroupProtocol(name: "range", metadata: ConsumerProtocol.Subscription(topics: ["t"]).encoded())])) { _ in }
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: nil, output: output)
        let interrupted = Atomic(false)
        shell.isInterrupted = { interrupted.load(ordering: .acquiring) }
        let wakeup = shell.interruptWakeup
        let interrupter = Thread {
            while broker.coordinatedGroup("g")?.members.count != 2 { Thread.sleep(forTimeInterval: 0.001) }
            interrupted.store(true, ordering: .releasing)
            wakeup.signal()
        }
        interrupter.start()
        #expect(!shell.execute("consume t --group g"))
        #expect(output.errors.last?.contains("stopped waiting for the group's other members to rejoin (Ctrl-C)") == true, "\(output.lines)")
        #expect(broker.scheduler.pending(.real).allSatisfy { $0.label != "group join wait" })
    }
}
