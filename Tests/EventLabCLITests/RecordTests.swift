import EventLabTestSupport
import Foundation
import Testing

@Suite("eventlab --record FILE")
struct RecordTests {
    static let session = """
        topic create orders --partitions 2
        publish orders key=o-1 {"type":"OrderPlaced",
          "total":42}
        publish nowhere x
        consume orders --group "#ops"
        record stop
        """

    @Test("piped commands recorded with --record verify with `eventlab verify`")
    func pipedRecordingVerifies() throws {
        let path = temporaryDirectory() + "/session.txt"
        let recorded = try EventLabRun.run(["--memory", "--clock", "logical", "--keep-going", "--record", path], input: Self.session + "\ntopic list\n")
        #expect(recorded.status == 1)
        #expect(recorded.stderr == "error at line 4: topic 'nowhere' does not exist (topics: orders)\n")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("eventlab> publish nowhere x\nerror: topic 'nowhere' does not exist (topics: orders)\n"), "\(text)")
        #expect(text.contains("     ...>   \"total\":42}\n"), "\(text)")
        #expect(!text.contains("topic list"), "the recording goes on after `record stop`:\n\(text)")
        let verified = try EventLabRun.run(["verify", path])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("passed   \(path)  (4 commands)"), "\(verified.stdout)")
    }

    @Test("-c and run FILE record too, with --record before or after run", arguments: [
        ["-c", "topic create a; topic list", "--record", "OUT"], ["run", "SCRIPT", "--record", "OUT"], ["--record", "OUT", "run", "SCRIPT"],
    ])
    func scriptsRecord(arguments: [String]) throws {
        let directory = temporaryDirectory()
        try "topic create a\ntopic list\n".write(toFile: directory + "/script.txt", atomically: true, encoding: .utf8)
        let path = directory + "/session.txt"
        let given = arguments.map { ["SCRIPT": directory + "/script.txt", "OUT": path][$0] ?? $0 }
        let run = try EventLabRun.run(given + ["--memory", "--clock", "logical"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("eventlab> topic create a"))
        #expect(try EventLabRun.run(["verify", path]).status == 0)
    }

    @Test("an existing file is kept, and nothing runs, unless --force-record is given")
    func refusesToOverwrite() throws {
        let directory = temporaryDirectory()
        let path = directory + "/kept.txt"
        try "my notes\n".write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try EventLabRun.run(["--data", directory + "/data", "--record", path], input: "topic create a\n")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(path) already exists: give another file to --record, or add --force-record to replace it"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "my notes\n")
        #expect(!FileManager.default.fileExists(atPath: directory + "/data"))

        let replaced = try EventLabRun.run(["--memory", "--clock", "logical", "--record", path, "--force-record"], input: "topic create a\n")
        #expect(replaced.status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("% clock logical 2024-01-01T00:00:00Z\n"))
    }

    @Test("recording a workspace that is not empty says so on standard error")
    func notEmpty() throws {
        let directory = temporaryDirectory()
        #expect(try EventLabRun.run(["--data", directory + "/data", "-c", "topic create orders"]).status == 0)
        let run = try EventLabRun.run(["--data", directory + "/data", "--record", directory + "/late.txt", "-c", "topic list"])
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("note: the workspace already holds topics (orders)"), "\(run.stderr)")
        #expect(run.stderr.contains("`eventlab --memory --clock logical --record \(directory)/late.txt`"))
    }

    @Test("a session killed midway keeps every command recorded before")
    func killedMidway() throws {
        let path = temporaryDirectory() + "/session.txt"
        let pipe = try OpenPipe(["--memory", "--clock", "logical", "--record", path])
        pipe.send("topic create orders\n")
        #expect(pipe.readLine()?.hasPrefix("created topic orders") == true)
        // A command is recorded once it has run, so before the next one prints.
        pipe.send("clock\n")
        #expect(pipe.readLine()?.hasPrefix("2024-01-01T00:00:00Z") == true)
        kill(pipe.process.processIdentifier, SIGKILL)
        pipe.process.waitUntilExit()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\neventlab> topic create orders\ncreated topic orders with 1 partition · cleanup delete · retention 7d\n"), "\(text)")
        #expect(try EventLabRun.run(["verify", path]).status == 0)
    }
}
