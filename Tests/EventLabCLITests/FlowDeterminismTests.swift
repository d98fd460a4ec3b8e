import EventLabTestSupport
import Foundation
import Testing

@Suite("Flows are deterministic and survive a restart")
struct FlowDeterminismTests {
    /// A story with every kind of reaction: emissions over partitions, a condition, a skip, a
    /// poison record sent to a dead letter, a call, a stopped callee, and manual steps.
    static let script = #"""
        topic create orders --partitions 3
        topic create payments --partitions 2
        topic create dlq
        topic create customers
        service create customers --from customers
        service customers answers address(id) = "1 Main St, " + id
        service create billing --from orders --dead-letter dlq
        service billing on OrderPlaced when $.total > 10 emit payments {"type":"PaymentRequested","order":$.id,"to":call customers.address($.c)} key=$.id
        publish orders --repeat 12 key=o-{n} {"type":"OrderPlaced","id":"o-{n}","total":{n}.5,"c":"c-{n}"}
        publish orders key=o-x not-json
        service stop customers
        publish orders key=o-13 {"type":"OrderPlaced","id":"o-13","total":13,"c":"c-1"}
        service start customers
        flow manual
        publish orders --repeat 4 key=o-{n} {"type":"OrderPlaced","id":"p-{n}","total":99,"c":"c-2"}
        step 6
        flow auto
        service list
        consume payments
        consume dlq
        """#

    @Test("the same script twice prints the same bytes")
    func sameBytes() throws {
        let first = try EventLabRun.run(["--memory", "--clock", "logical"], input: Self.script)
        let second = try EventLabRun.run(["--memory", "--clock", "logical"], input: Self.script)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout == second.stdout && first.stderr == second.stderr)
        #expect(first.stdout.contains("billing ← orders p"), "\(first.stdout)")
    }

    @Test("after a restart the services are back, each going on from its committed offsets")
    func restart() throws {
        let directory = temporaryDirectory("flows-restart")
        let before = try EventLabRun.run(["--data", directory, "--clock", "logical"], input: Self.script + "\nservice stop billing\n")
        #expect(before.status == 0, "\(before.stdout)\(before.stderr)")
        let after = try EventLabRun.run(
            ["--data", directory, "--clock", "logical"],
            input: "publish orders key=o-20 {\"type\":\"OrderPlaced\",\"id\":\"o-20\",\"total\":20,\"c\":\"c-3\"}\nservice list\nservice start billing\nflow export\n")
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        let lines = after.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("billing ") && $0.contains("stopped") && $0.hasSuffix("  1") }, "\(after.stdout)")
        #expect(lines.contains { $0.hasPrefix("billing ← orders p") && $0.contains("PaymentRequested") }, "\(after.stdout)")
        #expect(after.stdout.contains("service create billing --from orders --dead-letter dlq\n"))
        #expect(after.stdout.contains("service customers answers address(id) = \"1 Main St, \" + id\n"))
    }
}
