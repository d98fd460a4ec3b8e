@testable import EventLabShell
import Testing

@Suite("Gathering a script's lines into commands")
struct ScriptLinesTests {
    /// The commands `text` gathers into, with the line each starts on.
    static func commands(_ text: String) -> [ScriptLines.Command] {
        var lines = ScriptLines()
        var commands = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { lines.take($0) }
        if let last = lines.finish() { commands.append(last) }
        return commands
    }

    @Test("a line ending in `\\` continues on the next; the command keeps its line breaks and starts where it started")
    func backslash() throws {
        let commands = Self.commands("topic create orders \\\n  --partitions 3\n# a comment\npublish orders \\\n\\\n  key=o-1 \\\n  x\ntopic list")
        #expect(commands == [
            ScriptLines.Command(text: "topic create orders \\\n  --partitions 3", line: 1),
            ScriptLines.Command(text: "publish orders \\\n\\\n  key=o-1 \\\n  x", line: 4),
            ScriptLines.Command(text: "topic list", line: 8),
        ])
        #expect(try Words.split(commands[1].text) == ["publish", "orders", "key=o-1", "x"])
    }

    @Test("an escaped or quoted backslash at the end does not continue; a quote or JSON still does")
    func noContinuation() {
        #expect(Self.commands("publish t a\\\\\npublish t 'a\\'\ntopic list").map(\.text) == ["publish t a\\\\", "publish t 'a\\'", "topic list"])
        #expect(Self.commands("publish t {\"a\":\n1}\ntopic list").map(\.text) == ["publish t {\"a\":\n1}", "topic list"])
    }

    @Test("a script ending in a joining backslash gives the open command, which reports the backslash")
    func openAtEnd() {
        let commands = Self.commands("topic list\npublish t x \\")
        #expect(commands.map(\.text) == ["topic list", "publish t x \\"])
        #expect(throws: Words.Unfinished(what: "a backslash at the end")) { try Words.split(commands[1].text) }
    }
}
