import EventLabTestSupport
import Foundation
import Testing

@Suite("A piped script continues a command after a line ending in `\\`")
struct ContinuationTests {
    @Test("continued commands run as one, errors name the line they start on, and a recording writes the lines with `...>` and verifies")
    func continued() throws {
        let script = """
            topic create orders \\
              --partitions 1
            publish orders key=o-1 \\
              {"type":"OrderPlaced","total":42}
            publish orders key=dir C:\\\\
            consume orders \\
              --max 2
            publish nowhere \\
              x
            record stop
            """
        let path = temporaryDirectory() + "/session.txt"
        let run = try EventLabRun.run(["--memory", "--clock", "logical", "--keep-going", "--record", path], input: script + "\n")
        #expect(run.status == 1)
        #expect(run.stderr == "error at line 8: topic 'nowhere' does not exist (topics: orders)\n")
        #expect(run.stdout.contains(#"p0 @0  o-1  {"type":"OrderPlaced","total":42}"#), "\(run.stdout)")
        #expect(run.stdout.contains(#"p0 @1  dir  C:\  "#), "\(run.stdout)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("eventlab> consume orders \\\n     ...>   --max 2\n"), "\(text)")
        let verified = try EventLabRun.run(["verify", path])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("a script whose last line ends in `\\` says the command has no next line and how to write a backslash")
    func openAtEnd() throws {
        let run = try EventLabRun.run(["--memory"], input: "topic create t\npublish t x \\\n")
        #expect(run.status == 1)
        #expect(run.stderr == "error at line 2: the command ends in a backslash, which continues it on the next line, but no line follows: add the rest, or write `\\\\` for a backslash\n")
    }
}
