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

    @Test("a group member following a topic for longer than its session heartbeats, so it stays and commits")
    func followingKeepsTheSession() throws {
        let timer = ManualTimer()
        let broker = try Broker(timer: timer, waker: nil)
        try broker.createTopic("t", partitions: 1)
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: nil, output: output)
        let mover = Thread {
            // A minute of waits, each ended by its deadline: past the 45 s session.
            var seen: Set<TaskID> = []
            while seen.count < 20 {
                guard let wait = broker.scheduler.pending(.real).first(where: { $0.label == "wait for data" && !seen.contains($0.id) }) else {
                    Thread.sleep(forTimeInterval: 0.001)
                    continue
                }
                seen.insert(wait.id)
                timer.advance(wait.due - timer.elapsedMilliseconds())
                broker.scheduler.runDue(.real)
            }
            _ = try? broker.publishEach("t", [(nil, "late")])
        }
        mover.start()
        #expect(shell.execute("consume t --group g --follow --max 1"), "\(output.lines)")
        #expect(output.lines.last == "1 record · group g committed p0 @1")
    }
}
