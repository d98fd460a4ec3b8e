import EventLabTestSupport
import Foundation
import Testing

@Suite("Scripts that are not text, JSON too deep, and the flush policy")
struct ScriptInputTests {
    @Test("piped input runs each line as it comes and stops at a line with a byte that is not UTF-8, naming the line and byte")
    func invalidUTF8() throws {
        let data = temporaryDirectory()
        let script = Array("topic create t\npublish t ok\npub".utf8) + [0xFF] + Array("lish t x\ntopic create never\n".utf8)
        let result = try EventLabRun.run(["--data", data, "--keep-going"], bytes: script)
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 3: byte 4 of the line (0xFF) is not UTF-8: save the script as UTF-8 text\n")
        #expect(result.stdout.contains("t p0 @0"))
        let after = try EventLabRun.run(["--data", data, "-c", "topic list; consume t"])
        #expect(!after.stdout.contains("never"))
        #expect(after.stdout.contains("1 record"))
    }

    @Test("piped input with a NUL byte stops at its line")
    func nulPiped() throws {
        let result = try EventLabRun.run(["--memory"], bytes: Array("clock\n\n# x".utf8) + [0] + Array("\nclock\n".utf8))
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 3: byte 4 of the line is a NUL (0x00): a script is text; remove it\n")
        // One `clock` ran (its time line, then the work due on the broker clock), not the second.
        #expect(result.stdout.split(separator: "\n").filter { $0.hasSuffix("(system clock)") }.count == 1)
    }

    @Test("run FILE with a NUL byte runs nothing and names the file, line and byte")
    func nulInFile() throws {
        let path = temporaryDirectory() + "/script.txt"
        try Data(Array("topic create t\npublish t a".utf8) + [0] + Array("b\n".utf8)).write(to: URL(fileURLWithPath: path))
        let result = try EventLabRun.run(["run", path, "--memory"])
        #expect(result.status == 1)
        #expect(result.stderr == "error in \(path) line 2: byte 12 of the line is a NUL (0x00): a script is text; remove it\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("source FILE of bytes that are not UTF-8 names the file and line, and the sourcing line fails")
    func sourceInvalid() throws {
        let path = temporaryDirectory() + "/setup.txt"
        try Data(Array("topic create a\n\n# caf".utf8) + [0xC3, 0x28] + Array("\n".utf8)).write(to: URL(fileURLWithPath: path))
        let result = try EventLabRun.run(["--memory"], input: "source \(path)\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error in \(path) line 3: byte 6 of the line (0xC3) is not UTF-8"))
        #expect(!result.stdout.contains("created"))
    }

    @Test("JSON nested deeper than the parser takes is refused with the limit, at its line; at the limit it is published")
    func deepJSON() throws {
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let refused = try EventLabRun.run(["--memory"], input: "topic create t\npublish t \(deep)\n")
        #expect(refused.status == 1)
        #expect(refused.stderr == "error at line 2: the value's JSON nests 513 arrays and objects deep, and JSON values may nest at most 512: flatten it\n")
        let limit = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let published = try EventLabRun.run(["--memory"], input: "topic create t\npublish t \(limit)\n")
        #expect(published.status == 0)
        #expect(published.stdout.contains("t p0 @0"))
    }

    @Test("JSON that does not parse says where the parser stopped")
    func brokenJSON() throws {
        let result = try EventLabRun.run(["--memory"], input: "topic create t\npublish t {\"a\":1 \"b\":2}\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error at line 2: the value starts like JSON but is not valid JSON (at byte 7: expected `,` or `}` in an object, found `\"`): {\"a\":1 \"b\":2}"))
    }

    @Test("--flush batch and interval:MS open a workspace whose records are there on the next run", arguments: ["batch", "interval:50", "os"])
    func flushPolicies(policy: String) throws {
        let data = temporaryDirectory()
        let first = try EventLabRun.run(["--data", data, "--flush", policy, "-c", "topic create t; publish t --repeat 3 x{n}"])
        #expect(first.status == 0)
        let served = try EventLabRun.run(["serve", "--help"])
        #expect(served.stdout.contains("--flush <os|batch|interval:MS>"))
        let second = try EventLabRun.run(["--data", data, "--flush", policy], input: "consume t\n")
        #expect(second.stdout.contains("3 records"))
    }

    @Test("--flush is explained in the help, and a bad policy or one with --memory is a bad argument")
    func flushArguments() throws {
        let help = try EventLabRun.run(["--help"])
        #expect(help.stdout.contains("--flush <os|batch|interval:MS>"))
        #expect(help.stdout.contains("power cut"))
        let bad = try EventLabRun.run(["--flush", "interval:0", "-c", "clock"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--flush <os|batch|interval:MS>"))
        let memory = try EventLabRun.run(["--memory", "--flush", "batch", "-c", "clock"])
        #expect(memory.status == 2)
        #expect(memory.stderr.contains("--memory keeps nothing on disk"))
    }
}

@Suite("Record content printed to the terminal")
struct EscapedOutputTests {
    @Test("a value with a newline cannot forge a record line, and control sequences never reach the terminal raw")
    func escaped() throws {
        let script = "topic create t\n"
            + "publish t key=k \"x\np0 @999  k  forged  2024-01-01T00:00:00Z\"\n"
            + "publish t key=\"\u{1B}]0;owned\u{07}\" --header \"h=\u{1B}[2J\" \"\u{1B}[31mred\u{7F}\u{9B}\u{202E}abc\u{2066}\"\n"
            + "consume t --headers\nshow t\n"
        let result = try EventLabRun.run(["--memory", "--clock", "logical"], input: script)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("p0 @") }.count == 2)
        #expect(lines.contains(#"p0 @0  k  x\np0 @999  k  forged  2024-01-01T00:00:00Z  2024-01-01T00:00:00Z"#))
        #expect(lines.contains(#"p0 @1  \x1b]0;owned\x07  \x1b[31mred\x7f\u{9b}\u{202e}abc\u{2066}  2024-01-01T00:00:00Z  [h=\x1b[2J]"#))
        let raw = result.stdout.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) }
        #expect(raw.isEmpty)
    }
}
