import EventLabTestSupport
import Foundation
import Testing

@Suite("Words that must not mean two things: listen, and show NAME")
struct ListenWordsTests {
    @Test("listen PORT and listen stop serve Kafka clients; the old broker words are gone, as `broker` now names a cluster's brokers")
    func listenWords() throws {
        let new = try EventLabRun.run(["--memory", "-c", "listen 0; listen stop"])
        #expect(new.status == 0)
        #expect(new.stdout.contains("listening on 127.0.0.1:"))
        #expect(new.stdout.contains("stopped listening on 127.0.0.1:"))
        #expect(!new.stdout.contains("note:"))
        let old = try EventLabRun.run(["--memory", "-c", "broker listen 0"])
        #expect(old.status != 0)
        #expect(old.stderr.contains("'broker listen' is not a command; broker takes: add, stop, kill, start, pause, resume"))
        let overview = try EventLabRun.run(["--memory", "-c", "help"])
        #expect(overview.stdout.contains("  listen stop "))
        #expect(overview.stdout.contains("  broker stop ") && !overview.stdout.contains("broker listen"))
    }

    @Test("show topic NAME and show group NAME work for any name; a subcommand wins over a name and says how to reach it")
    func showNames() throws {
        let script = """
            topic create log
            topic create flow
            publish log a
            consume log --group topic
            show topic log
            show group topic
            show flow
            show log

            """
        let result = try EventLabRun.run(["--memory"], input: script)
        #expect(result.stdout.contains("group topic"))
        #expect(result.stdout.contains("flow"))
        #expect(result.stderr == "error at line 8: `show log` needs TOPIC: usage: show log TOPIC [PARTITION]; for a topic or group called 'log', say `show topic log` or `show group log`\n")
        let help = try EventLabRun.run(["--memory", "-c", "help show"])
        let page = help.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(page.contains("always means the subcommand, so for a topic or group with such a name say `show topic NAME` or `show group NAME`: those always work, whatever the name."))
    }
}
