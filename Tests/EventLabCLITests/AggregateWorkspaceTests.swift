import EventLabTestSupport
import Foundation
import Testing

@Suite("Aggregates in a workspace on disk")
struct AggregateWorkspaceTests {
    @Test("after a restart an aggregate is back with its rules, its state folded again from the log and its snapshots")
    func restart() throws {
        let directory = temporaryDirectory("aggregates-restart")
        let script = #"""
            topic create bank --retention forever
            aggregate create account --from bank --key $.account --init {"balance":0} --snapshot-every 2
            aggregate account on Deposited set balance = state.balance + $.amount
            publish bank --repeat 3 key=a-1 {"type":"Deposited","account":"a-1","amount":{n}}
            """#
        let before = try EventLabRun.run(["--data", directory, "--clock", "logical"], input: script)
        #expect(before.status == 0, "\(before.stdout)\(before.stderr)")
        let after = try EventLabRun.run(["--data", directory, "--clock", "logical"], input: "state account a-1\naggregate rebuild account\nflow export\n")
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        let lines = after.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(2) == [#"{"balance":6}"#, "version 3, its last event at bank p0 @2"], "\(after.stdout)")
        #expect(lines.contains("aggregate account rebuilt under its current rules: its key started from its snapshot in account-snapshots, then replayed 1 of the 3 events of bank instead of all 3"), "\(after.stdout)")
        #expect(lines.suffix(2) == [
            #"aggregate create account --from bank --key $.account --init '{"balance":0}' --snapshot-every 2"#,
            "aggregate account rule 1 on Deposited set balance = state.balance + $.amount",
        ])
    }
}
