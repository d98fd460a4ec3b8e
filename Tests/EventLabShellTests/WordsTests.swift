@testable import EventLabShell
import Testing

@Suite("Splitting lines and words")
struct WordsTests {
    @Test("a line splits into commands at ; outside quotes and JSON")
    func commands() throws {
        #expect(try Words.commands(in: #"publish t key="a b" {"x": "y; z"}; topic list ;"#) == [#"publish t key="a b" {"x": "y; z"}"#, "topic list"])
        #expect(try Words.commands(in: "a 'b;c'; d") == ["a 'b;c'", "d"])
    }

    @Test("words follow shell quoting and keep JSON whole, quotes and all")
    func words() throws {
        #expect(try Words.split(#"publish t key="a b" {"x": "y; z"}"#) == ["publish", "t", "key=a b", #"{"x": "y; z"}"#])
        #expect(try Words.split(#"say 'it''s' "a \"quoted\" word" back\ slash"#) == ["say", "its", #"a "quoted" word"#, "back slash"])
        #expect(try Words.split(#"publish t [1, {"a": [2]}] tail"#) == ["publish", "t", #"[1, {"a": [2]}]"#, "tail"])
        #expect(try Words.split("  spaced   out  ") == ["spaced", "out"])
    }

    @Test("an open quote or brace is reported, and asks for a continuation line")
    func unfinished() {
        #expect(throws: Words.Unfinished(what: "a double quote")) { try Words.split(#"publish t "open"#) }
        #expect(throws: Words.Unfinished(what: "a JSON brace or bracket")) { try Words.split(#"publish t {"a": 1"#) }
        #expect(Words.needsContinuation(#"publish t {"a":"#))
        #expect(!Words.needsContinuation(#"publish t {"a": 1}"#))
    }

    @Test("a backslash ending a line outside quotes and JSON continues it, and joins the lines with one space")
    func backslashContinues() throws {
        #expect(Words.needsContinuation(#"publish t \"#))
        #expect(Words.needsContinuation("publish t \\\n\\"))
        #expect(try Words.split("publish t key=o-1\\\n{\"a\": 1}") == ["publish", "t", "key=o-1", #"{"a": 1}"#])
        #expect(try Words.split("service billing on OrderPlaced \\\n  when $.total > 100 \\\n\\\n  emit") == ["service", "billing", "on", "OrderPlaced", "when", "$.total", ">", "100", "emit"])
        #expect(try Words.commands(in: "a \\\n; b \\\nc") == ["a", "b c"])
        #expect(try Words.commands(in: "on A \\\n    emit t {\"a\":  1}") == [#"on A emit t {"a":  1}"#])
    }

    @Test("an escaped backslash, one in quotes or in JSON ends the line as before")
    func backslashDoesNotContinue() throws {
        #expect(!Words.needsContinuation(#"publish t C:\\"#))
        #expect(try Words.split(#"publish t C:\\"#) == ["publish", "t", #"C:\"#])
        #expect(!Words.needsContinuation(#"publish t 'C:\'"#))
        #expect(try Words.split(#"publish t 'C:\'"#) == ["publish", "t", #"C:\"#])
        #expect(!Words.needsContinuation(#"publish t {"a": "\\"}"#))
        #expect(Words.needsContinuation(#"publish t "C:\"#), "the backslash escapes the closing quote, which leaves the quote open")
        #expect(try Words.split("say \"a\\\nb\"") == ["say", "a\nb"], "inside double quotes a backslash and line break stay a line break")
    }
}

@Suite("Parsing commands")
struct ParserTests {
    @Test("options take values, flags do not, and --name=value works")
    func options() throws {
        let invocation = try CommandParser.parse(["consume", "orders", "--group=billing", "--from", "offset", "5", "--follow"])
        #expect(invocation.spec.name == "consume")
        #expect(invocation.arguments == ["orders"])
        #expect(invocation.value("--group") == "billing")
        #expect(invocation.value("--from") == "offset 5")
        #expect(invocation.has("--follow"))
    }

    @Test("a negative number is a value, not an option")
    func negativeValues() throws {
        #expect(try CommandParser.parse(["consume", "t", "--from", "-3"]).value("--from") == "-3")
        #expect(try CommandParser.parse(["group", "reset", "g", "--to", "shift", "-2"]).value("--to") == "shift -2")
    }

    @Test("typos get a suggestion", arguments: [
        (["pubish", "t", "x"], "did you mean 'publish'?"),
        (["topic", "delet", "t"], "did you mean 'delete'?"),
        (["consume", "t", "--grop", "g"], "did you mean '--group'?"),
    ])
    func typos(words: [String], hint: String) {
        #expect(throws: ShellError.self) { try CommandParser.parse(words) }
        do {
            _ = try CommandParser.parse(words)
        } catch {
            #expect(error.message.contains(hint))
        }
    }

    @Test("missing and extra arguments say the usage")
    func arity() {
        for words in [["topic", "describe"], ["topic", "list", "extra"], ["consume", "t", "--max"]] {
            do {
                _ = try CommandParser.parse(words)
                Issue.record("\(words) parsed")
            } catch {
                #expect(error.message.contains("usage") || error.message.contains("needs a value"))
            }
        }
    }
}
