import EventLabTestSupport
import Foundation
import Testing

@Suite("Projections survive a restart of the real binary")
struct ProjectionRestartTests {
    static let script = #"""
        topic create accounts --partitions 2
        publish accounts --repeat 6 key=a-{n} {"type":"Deposited","account":"a-{n}","amount":{n}}
        projection create balances --from accounts
        projection balances on Deposited sum $.amount by $.account
        projection pause balances
        publish accounts key=a-1 {"type":"Deposited","account":"a-1","amount":10}
        query balances a-1
        """#

    @Test("a paused projection's read model is rebuilt at open up to its group's offsets, as stale as it was; resumed, it catches up")
    func restart() throws {
        let directory = temporaryDirectory("projections-restart")
        let before = try EventLabRun.run(["--data", directory, "--clock", "logical"], input: Self.script)
        #expect(before.status == 0, "\(before.stdout)\(before.stderr)")
        let stale = try #require(before.stdout.split(separator: "\n").last.map(String.init))
        #expect(stale.hasPrefix("balances is 1 event behind") && stale.hasSuffix("(paused: `projection resume balances` catches up)"), "\(before.stdout)")
        let after = try EventLabRun.run(
            ["--data", directory, "--clock", "logical"], input: "query balances a-1\nprojection resume balances\nquery balances a-1\n")
        #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
        let lines = after.stdout.split(separator: "\n").map(String.init)
        #expect(lines.prefix(3) == ["KEY  SUM", "a-1  1", stale], "\(after.stdout)")
        #expect(lines.suffix(2).first == "a-1  11", "\(after.stdout)")
        #expect(lines.last?.hasPrefix("balances is up to date") == true, "\(after.stdout)")
    }
}
