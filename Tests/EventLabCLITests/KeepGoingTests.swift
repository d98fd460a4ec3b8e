import EventLabTestSupport
import Foundation
import Testing

@Suite("--keep-going in every form")
struct KeepGoingTests {
    @Test("run FILE with --keep-going before or after it runs every command and exits 1 at the end", arguments: [
        ["--keep-going", "run", "FILE", "--memory"], ["run", "FILE", "--memory", "--keep-going"], ["--memory", "run", "--keep-going", "FILE"],
    ])
    func runFile(arguments: [String]) throws {
        let path = temporaryDirectory() + "/script.txt"
        try "topic create a\nnope\ntopic create b; nope; topic create c\ntopic list\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try EventLabRun.run(arguments.map { $0 == "FILE" ? path : $0 })
        #expect(result.status == 1)
        #expect(result.stderr == "error in \(path) line 2: unknown command 'nope'; `help` lists the commands\n"
            + "error in \(path) line 3: unknown command 'nope'; `help` lists the commands\n")
        #expect(result.stdout.contains("c      1"), "\(result.stdout)")
    }

    @Test("-c with --keep-going runs every command after a failed one and exits 1 at the end")
    func commandOption() throws {
        let result = try EventLabRun.run(["--memory", "--keep-going", "-c", "topic create a; topic create a; topic create b; topic list"])
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 1: topic 'a' already exists: pick another name, `topic alter a` to change its partitions or configs, or `topic delete a` first\n")
        #expect(result.stdout.contains("b      1"))
        let all = try EventLabRun.run(["--memory", "--keep-going", "-c", "topic create a; topic list"])
        #expect(all.status == 0)
    }

    @Test("without --keep-going, -c and run FILE still stop at the first failed command")
    func stops() throws {
        let result = try EventLabRun.run(["--memory", "-c", "topic create a; nope; topic create b"])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("topic b"))
        let path = temporaryDirectory() + "/script.txt"
        try "nope; topic create b\ntopic create c\n".write(toFile: path, atomically: true, encoding: .utf8)
        let file = try EventLabRun.run(["run", path, "--memory"])
        #expect(file.status == 1)
        #expect(file.stdout.isEmpty)
    }
}

@Suite("A script that stops while serving Kafka clients")
struct ScriptStopWhileListeningTests {
    @Test("piped commands that stop at a failed command while listening say the brokers stop listening, and how to run on")
    func saysTheListenerCloses() throws {
        let result = try EventLabRun.run(["--memory", "--brokers", "2"], input: "listen 0\nbroker stop 2\nbroker stop 2\ntopic list\n")
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.first == "error at line 3: broker 2 is already stopped; `broker start 2` starts it again")
        #expect(lines.last?.hasPrefix("stopping at this failed command, so 127.0.0.1:") == true)
        #expect(lines.last?.hasSuffix(" stops listening and its clients are cut off; `eventlab --keep-going` runs on past a failed command") == true)
        let quiet = try EventLabRun.run(["--memory"], input: "bogus\n")
        #expect(quiet.stderr == "error at line 1: unknown command 'bogus'; `help` lists the commands\n", "without a listener nothing more is said")
    }
}
