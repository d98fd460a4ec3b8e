import EventLabTestSupport
import Foundation
import Testing

/// `eventlab verify`, run as CI runs it: exit status, diffs and the summary line.
@Suite("eventlab verify")
struct VerifyTests {
    static let passing = """
        ## Orders
        # A topic with two partitions, and three records in it:
        eventlab> topic create orders --partitions 2
        created topic orders with 2 partitions · cleanup delete · retention 7d
        eventlab> publish orders --repeat 4 key=k-{n} v{n}
        orders p0  3 records  @0…@2
        orders p1  1 record  @0
        % pause
        eventlab> consume orders
        p0 @0  k-1  v1  [TIME]
        ...
        4 records

        """

    /// A new directory holding `files` (name and text).
    func directory(_ files: [String: String]) throws -> String {
        let directory = temporaryDirectory()
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        return directory
    }

    @Test("transcripts that match exit 0, each named as passed, and the last line counts them; README.md and hidden files are not transcripts")
    func passes() throws {
        let directory = try directory([
            "01-orders.txt": Self.passing, "02-empty.txt": "# nothing to run\n", "README.md": "# not a transcript\nhello\n",
            ".#01-orders.txt": "an editor's lock file\n",
        ])
        let result = try EventLabRun.run(["verify", directory])
        #expect(result.status == 0)
        #expect(result.stdout == """
            passed   \(directory)/01-orders.txt  (3 commands)
            passed   \(directory)/02-empty.txt  (0 commands)
            2 passed, 0 failed

            """)
        #expect(result.stderr.isEmpty)
    }

    @Test("a changed output line exits 1 with a diff naming the file and the command's line")
    func changedLine() throws {
        let directory = try directory(["orders.txt": Self.passing.replacingOccurrences(of: "orders p1  1 record  @0", with: "orders p1  7 records  @0…@6")])
        let file = directory + "/orders.txt"
        let result = try EventLabRun.run(["verify", file, directory])
        #expect(result.status == 1)
        #expect(result.stdout.contains("""
            --- \(file):5 expected, after eventlab> publish orders --repeat 4 key=k-{n} v{n}
            +++ printed now
            @@ -6,2 +6,2 @@
             orders p0  3 records  @0…@2
            -orders p1  7 records  @0…@6
            +orders p1  1 record  @0
            FAILED   \(file)  (1 of 3 commands differ)
            """))
        #expect(result.stdout.hasSuffix("0 passed, 2 failed\n"))
    }

    @Test("a malformed transcript exits 2 naming the file, the line and what is wrong; the others still run")
    func malformed() throws {
        let directory = try directory(["a.txt": Self.passing, "b.txt": "# intro\nstray output\n"])
        let result = try EventLabRun.run(["verify", directory])
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(directory)/b.txt line 2: an output line with no command above it: start narration with `#`, or put the command before it on an `eventlab> ` line\n")
        #expect(result.stdout.hasSuffix("1 passed, 1 failed\n"))
    }

    @Test("a missing path or a directory without transcripts exits 2 and says so", arguments: ["missing", "empty"])
    func badPath(kind: String) throws {
        let empty = try directory(["README.md": "# only a readme\n"])
        let path = kind == "missing" ? empty + "/nope.txt" : empty
        let result = try EventLabRun.run(["verify", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(path))
        #expect(result.stderr.contains(kind == "missing" ? "does not exist" : "holds no transcripts"))
    }

    @Test("no path at all exits 2")
    func noPath() throws {
        #expect(try EventLabRun.run(["verify"]).status == 2)
    }

    @Test("--update rewrites what differs in place, keeps the rest, and the file then passes")
    func update() throws {
        let stale = Self.passing.replacingOccurrences(of: "orders p1  1 record  @0", with: "orders p1  7 records  @0…@6")
            .replacingOccurrences(of: "% pause\n", with: "% pause\neventlab> topic list --quiet\n")
        let directory = try directory(["orders.txt": stale])
        let file = directory + "/orders.txt"
        let updated = try EventLabRun.run(["verify", "--update", file])
        #expect(updated.status == 0)
        #expect(updated.stdout == "updated  \(file)  (2 of 4 commands print something new)\n0 passed, 0 failed, 1 updated\n")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix(Self.passing.components(separatedBy: "% pause")[0].replacingOccurrences(of: "7 records  @0…@6", with: "1 record  @0")))
        #expect(text.contains("p0 @0  k-1  v1  [TIME]\n...\n4 records\n"))
        let again = try EventLabRun.run(["verify", file])
        #expect(again.status == 0)
        #expect(again.stdout.hasSuffix("1 passed, 0 failed\n"))
    }

    @Test("--update through a symbolic link rewrites the file it points to and leaves the link a link")
    func updateThroughLink() throws {
        let directory = try directory(["orders.txt": "eventlab> topic list\nwrong\n"])
        let link = temporaryDirectory() + "/link.txt"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory + "/orders.txt")
        #expect(try EventLabRun.run(["verify", "--update", link]).status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == directory + "/orders.txt")
        #expect(try String(contentsOfFile: directory + "/orders.txt", encoding: .utf8).hasPrefix("eventlab> topic list\nno topics yet"))
    }

    @Test("a transcript with `% restart` runs on disk: the topic, its records and committed offsets survive, and the clock goes on")
    func restart() throws {
        let directory = try directory(["restart.txt": """
            eventlab> topic create orders
            created topic orders with 1 partition · cleanup delete · retention 7d
            eventlab> publish orders --repeat 3 v{n}
            orders p0  3 records  @0…@2
            eventlab> consume orders --group billing --max 2
            billing has no committed offset on orders p0: auto.offset.reset=earliest starts at 0
            p0 @0  -  v1  2024-01-01T00:00:00Z
            p0 @1  -  v2  2024-01-01T00:00:00Z
            2 records · group billing committed p0 @2
            eventlab> clock advance 1d
            clock is now 2024-01-02T00:00:00Z
            % restart
            # What the log and the committed offsets kept on disk is still there:
            eventlab> consume orders --group billing
            p0 @2  -  v3  2024-01-01T00:00:00Z
            1 record · group billing committed p0 @3
            eventlab> clock advance 1h
            clock is now 2024-01-02T01:00:00Z
            """])
        let result = try EventLabRun.run(["verify", directory])
        #expect(result.stdout.hasSuffix("1 passed, 0 failed\n"), "\(result.stdout)")
        #expect(result.status == 0)
    }

    @Test("`exit` with commands after it exits 2 naming its line")
    func exitInTheMiddle() throws {
        let directory = try directory(["exit.txt": "eventlab> exit\neventlab> topic list\nno topics yet\n"])
        let result = try EventLabRun.run(["verify", directory])
        #expect(result.status == 2)
        #expect(result.stderr.contains("exit.txt line 1: `exit` ends the session"))
    }
}

@Suite("The verify figure")
struct VerifyFigureTests {
    @Test("eventlab-bench's 1,000-command transcript verifies against its own recording, so its figure is measured")
    func figure() throws {
        let bench = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("eventlab-bench")
        let process = Process()
        process.executableURL = bench
        process.arguments = ["--only", "verify_1k_commands_ms", "--runs", "1", "--json"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(stdout.hasPrefix(#"{"figure": "verify_1k_commands_ms", "value": "#))
    }
}
