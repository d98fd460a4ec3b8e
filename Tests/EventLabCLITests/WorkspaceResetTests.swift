import EventLabTestSupport
import Foundation
import Testing

@Suite("workspace reset without a terminal")
struct WorkspaceResetTests {
    @Test("a piped reset without --yes is refused with the way on and deletes nothing; with --yes it deletes", arguments: ["memory", "disk"])
    func pipedReset(backend: String) throws {
        let workspace = backend == "memory" ? ["--memory"] : ["--data", temporaryDirectory()]
        let refused = try EventLabRun.run(workspace, input: "topic create precious\nworkspace reset\ntopic list\n")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("error at line 2: workspace reset deletes every topic and asks first, and there is no terminal to ask: add --yes"))
        #expect(refused.stdout.contains("precious"))
        #expect(!refused.stdout.contains("deleted"))
        let script = backend == "memory" ? "topic create precious\nworkspace reset --yes\ntopic list\n" : "workspace reset --yes\ntopic list\n"
        let reset = try EventLabRun.run(workspace, input: script)
        #expect(reset.status == 0)
        #expect(reset.stdout.contains("workspace reset: deleted 1 topic and their group offsets"))
        #expect(reset.stdout.contains("no topics yet"))
    }

    @Test("-c 'workspace reset' is refused too, and the topics are still there on the next run")
    func commandLineReset() throws {
        let data = temporaryDirectory()
        _ = try EventLabRun.run(["--data", data, "-c", "topic create precious"])
        let refused = try EventLabRun.run(["--data", data, "-c", "workspace reset"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("add --yes"))
        let after = try EventLabRun.run(["--data", data, "-c", "topic list"])
        #expect(after.stdout.contains("precious"))
    }
}
