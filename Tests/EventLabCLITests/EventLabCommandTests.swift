import EventLabTestSupport
import Foundation
import Testing

/// Runs the built `eventlab` binary, as a user would, and captures what it prints.
struct EventLabRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs `eventlab` with `arguments` and `input` on standard input; under `ulimit -n
    /// fileLimit` when one is given.
    static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], fileLimit: Int? = nil
    ) throws -> EventLabRun {
        try run(arguments, bytes: Array((input ?? "").utf8), environment: environment, fileLimit: fileLimit)
    }

    /// Runs `eventlab` with `bytes` on standard input, which need not be text.
    static func run(
        _ arguments: [String], bytes: [UInt8], environment: [String: String] = [:], fileLimit: Int? = nil
    ) throws -> EventLabRun {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("eventlab")
        let process = Process()
        if let fileLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = nil
        env["HOME"] = temporaryDirectory("eventlab-home")
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        inPipe.fileHandleForWriting.write(Data(bytes))
        try inPipe.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return EventLabRun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite("The eventlab command")
struct EventLabCommandTests {
    @Test("--version prints the version and exits 0")
    func version() throws {
        let result = try EventLabRun.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "0.1.0\n")
    }

    @Test("--help says what EventLab is and exits 0")
    func help() throws {
        let result = try EventLabRun.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("event-driven architecture"))
        #expect(result.stdout.contains("USAGE: eventlab"))
    }

    @Test("a bad argument to eventlab itself is an error on stderr with exit status 2", arguments: [
        ["--bogus"], ["--clock", "sundial"], ["--memory", "--data", "/tmp/x"],
        ["serve", "--memory", "--max-connections", "0"], ["serve", "--memory", "--idle-timeout-ms", "0"], ["serve", "--memory", "--advertised-port", "0"],
        ["serve", "--memory", "--idle-timeout-ms", "9223372036854775807"],
    ])
    func badArgument(arguments: [String]) throws {
        let result = try EventLabRun.run(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
    }

    @Test("piped commands run without a prompt and exit 0")
    func piped() throws {
        let result = try EventLabRun.run(["--memory", "--clock", "logical"], input: "topic create orders --partitions 2\npublish orders key=o-1 hello\n# a comment\n\nconsume orders\n")
        #expect(result.status == 0)
        #expect(result.stdout == """
            created topic orders with 2 partitions · cleanup delete · retention 7d
            orders p0 @0  (key o-1 → murmur2 mod 2)
            p0 @0  o-1  hello  2024-01-01T00:00:00Z
            1 record

            """)
        #expect(result.stderr.isEmpty)
    }

    @Test("the first failing command stops the run with exit 1 and its line number on stderr")
    func stopsAtFirstError() throws {
        let result = try EventLabRun.run(["--memory"], input: "topic create a\ntopic create a\ntopic create b\n")
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 2: topic 'a' already exists: pick another name, `topic alter a` to change its partitions or configs, or `topic delete a` first\n")
        #expect(!result.stdout.contains("topic b"))
    }

    @Test("--keep-going runs every line and exits 1 at the end if any failed")
    func keepGoing() throws {
        let result = try EventLabRun.run(["--memory", "--keep-going"], input: "topic create a\nnope\ntopic create b\ntopic list\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error at line 2: unknown command 'nope'"))
        #expect(result.stdout.contains("created topic b"))
    }

    @Test("-c runs commands separated by ;")
    func commandOption() throws {
        let ok = try EventLabRun.run(["--memory", "-c", "topic create a; topic list"])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("a      1"))
        let failed = try EventLabRun.run(["--memory", "-c", "topic list; topic describe x"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("error at line 1: topic 'x' does not exist"))
    }

    @Test("run FILE runs a script and names the file in errors")
    func runFile() throws {
        let path = temporaryDirectory() + "/script.txt"
        try "topic create a\npublish a {\"broken\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try EventLabRun.run(["run", path, "--memory"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error in \(path) line 2:"))
        let missing = try EventLabRun.run(["run", "/nonexistent/script.txt", "--memory"])
        #expect(missing.status == 2)
    }

    @Test("a command spread over lines by an open JSON brace runs as one")
    func continuation() throws {
        let result = try EventLabRun.run(["--memory"], input: "topic create t\npublish t key=k {\n  \"type\": \"Multi\"\n}\nconsume t\n")
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"type\": \"Multi\""))
    }

    @Test("a workspace keeps topics, records, offsets and the logical clock between runs")
    func persistence() throws {
        let data = temporaryDirectory()
        let first = try EventLabRun.run(["--data", data, "--clock", "logical", "-c", "topic create t; publish t x; consume t --group g; clock advance 1d"])
        #expect(first.status == 0)
        let second = try EventLabRun.run(["--data", data, "--clock", "logical", "-c", "publish t y; group describe g; clock"])
        #expect(second.status == 0)
        #expect(second.stdout.contains("g      t      0          1               2               1"))
        #expect(second.stdout.contains("2024-01-02T00:00:00Z"))
    }

    @Test("a topic whose name starts with a dot keeps its records between runs")
    func dotNamedTopicPersists() throws {
        let data = temporaryDirectory()
        let first = try EventLabRun.run(["--data", data, "-c", "topic create .events; publish .events key=k first; publish .events key=k second"])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try EventLabRun.run(["--data", data, "-c", "topic list; consume .events"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains(".events"))
        #expect(second.stdout.contains("k  first") && second.stdout.contains("k  second"))
    }

    @Test("--data with an empty path is a bad argument, and nothing is written")
    func emptyDataPath() throws {
        let result = try EventLabRun.run(["--data", "", "-c", "topic create t"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--data needs a directory, and the path given is empty"))
        #expect(!FileManager.default.fileExists(atPath: "/format-version") && !FileManager.default.fileExists(atPath: "/topics"))
    }

    @Test("a directory that is not a workspace is refused, saying what it holds, and nothing in it is touched", arguments: ["/", "not-a-workspace"])
    func refusesForeignDirectory(name: String) throws {
        let data: String
        if name == "/" {
            data = "/"
        } else {
            data = temporaryDirectory(name)
            try FileManager.default.createDirectory(atPath: data + "/topics/.git", withIntermediateDirectories: true)
            try "ref: refs/heads/main\n".write(toFile: data + "/topics/.git/HEAD", atomically: false, encoding: .utf8)
            try "SECRET=1\n".write(toFile: data + "/topics/.env", atomically: false, encoding: .utf8)
            try "mine\n".write(toFile: data + "/notes.txt", atomically: false, encoding: .utf8)
        }
        let before = FileManager.default.subpaths(atPath: data)?.sorted()
        let result = try EventLabRun.run(["--data", data, "-c", "topic create t"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(data) is not an EventLab workspace: it has no format-version file"))
        #expect(result.stderr.contains("give --data a new or empty directory, or a workspace EventLab made"))
        if name != "/" { #expect(FileManager.default.subpaths(atPath: data)?.sorted() == before) }
        #expect(!FileManager.default.fileExists(atPath: "/format-version") && !FileManager.default.fileExists(atPath: "/lock"))
    }

    @Test("a file given as --data is refused, and a directory that does not exist yet is created with its parents")
    func fileOrNewDirectory() throws {
        let file = temporaryDirectory() + "/file"
        try "x\n".write(toFile: file, atomically: false, encoding: .utf8)
        let refused = try EventLabRun.run(["--data", file, "-c", "topic list"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(file) is a file, not a directory"))
        let nested = temporaryDirectory() + "/a/b/workspace"
        let created = try EventLabRun.run(["--data", nested, "-c", "topic create t"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try String(contentsOfFile: nested + "/format-version", encoding: .utf8) == "6\n")
    }

    @Test("a workspace written by a newer EventLab, or with an unreadable format-version, is refused and left as it was")
    func refusesUnknownFormat() throws {
        for (text, expected) in [("7\n", "holds workspace format 7, written by a newer EventLab"), ("garbage\n", "format-version holds 'garbage', not a format version")] {
            let data = temporaryDirectory()
            let first = try EventLabRun.run(["--data", data, "-c", "topic create t; publish t x"])
            #expect(first.status == 0)
            try text.write(toFile: data + "/format-version", atomically: false, encoding: .utf8)
            let result = try EventLabRun.run(["--data", data, "-c", "topic list"])
            #expect(result.status == 1)
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            #expect(try String(contentsOfFile: data + "/format-version", encoding: .utf8) == text)
        }
    }

    @Test("a workspace in use by another process is refused with its pid and exit status 1")
    func locked() throws {
        let data = temporaryDirectory()
        let holder = try ChildProcess("eventlab-bench", ["probe", "hold", data])
        #expect(holder.waitForLine(prefix: "holding") != nil)
        let result = try EventLabRun.run(["--data", data, "-c", "topic list"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("in use by process \(holder.pid)"))
        #expect(result.stderr.contains("`listen 9092`"))
    }

    @Test("deleting the lock file of a workspace in use does not let a second process in: it is still refused with the holder's pid")
    func lockFileDeleted() throws {
        let data = temporaryDirectory()
        let holder = try ChildProcess("eventlab", ["serve", "--data", data, "--port", "0"])
        #expect(holder.waitForLine(prefix: "listening on") != nil)
        try FileManager.default.removeItem(atPath: data + "/lock")
        let result = try EventLabRun.run(["--data", data, "-c", "topic create intruder; publish intruder x"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("in use by process \(holder.pid)"), "\(result.stderr)")
        _ = holder.kill()
        #expect(!FileManager.default.fileExists(atPath: data + "/brokers/1/topics/intruder"))
    }

    @Test("COLUMNS sets the width of pictures in scripts")
    func columns() throws {
        let result = try EventLabRun.run(["--memory", "-c", "topic create t; publish t --repeat 200 x{n}; show t"], environment: ["COLUMNS": "40"])
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("p0") }
        #expect(rows.count == 1 && rows[0].count <= 40)
    }

    @Test("source FILE runs a script inside a session and stops at its first error")
    func source() throws {
        let path = temporaryDirectory() + "/setup.txt"
        try "topic create a\ntopic create a\ntopic create never\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = try EventLabRun.run(["--memory", "--keep-going"], input: "source \(path)\ntopic list\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error in \(path) line 2: topic 'a' already exists"))
        #expect(result.stderr.contains("error at line 1: \(path) stopped at its first error"))
        #expect(!result.stdout.contains("never"))
        #expect(result.stdout.contains("a      1"))
    }
}
