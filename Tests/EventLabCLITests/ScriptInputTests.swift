import EventLabTestSupport
import Foundation
import Testing

@Suite("Scripts that are not text, JSON too deep, and the flush policy")
struct ScriptInputTests {
    @Test("a piped script with a byte that is not UTF-8 runs nothing and names the line and byte")
    func invalidUTF8() throws {
        let data = temporaryDirectory()
        let script = Array("topic create t\npublish t ok\npub".utf8) + [0xFF] + Array("lish t x\n".utf8)
        let result = try EventLabRun.run(["--data", data], bytes: script)
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 3: byte 4 of the line (0xFF) is not UTF-8: save the script as UTF-8 text\n")
        #expect(result.stdout.isEmpty)
        let after = try EventLabRun.run(["--data", data, "-c", "topic list"])
        #expect(after.stdout.contains("no topics"))
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
        #expect(result.stderr.contains("error at line 2: the value starts like JSON but is not valid JSON (Invalid value around character 7): {\"a\":1 \"b\":2}"))
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
