import EventLabShell
import Testing

@Suite("The lessons' Markdown read into blocks and rendered for the terminal")
struct MarkdownTests {
    @Test("inline text reads emphasis, strong and code, and keeps unmatched marks and underscores as written", arguments: [
        ("plain text", [MarkdownInline.text("plain text")]),
        ("a *b* c", [.text("a "), .emphasis("b"), .text(" c")]),
        ("**two words**!", [.strong("two words"), .text("!")]),
        ("run `topic list` now", [.text("run "), .code("topic list"), .text(" now")]),
        ("`` a`b ``", [.code("a`b")]),
        ("a * b and 2*3", [.text("a * b and 2*3")]),
        ("an `open code", [.text("an `open code")]),
        ("order_events and _x_", [.text("order_events and _x_")]),
        (#"\*not\* emphasis"#, [.text("*not* emphasis")]),
        ("*a **b** c*", [.emphasis("a **b** c")]),
        (#"*a \* b*"#, [.emphasis("a * b")]),
    ])
    func inline(text: String, runs: [MarkdownInline]) {
        #expect(MarkdownInlineReader.read(text) == runs)
    }

    @Test("blocks: paragraphs joined over lines, lists, a quote holding a list, and a fence kept exactly")
    func blocks() {
        let text = """
            First line
            second line.

            - one
              more of one
            - two

            3. three
            4. four

            > quoted
            > - item

            ```sh
              indented  code *not emphasis*

            ```
            """
        #expect(MarkdownReader.read(text) == [
            .paragraph([.text("First line second line.")]),
            .bullets([[.text("one more of one")], [.text("two")]]),
            .numbered(start: 3, [[.text("three")], [.text("four")]]),
            .quote([.paragraph([.text("quoted")]), .bullets([[.text("item")]])]),
            .code(language: "sh", lines: ["  indented  code *not emphasis*", ""]),
        ])
    }

    @Test("a list goes on over an empty line when the next item follows, and a paragraph ends it")
    func looseList() {
        #expect(MarkdownReader.read("- a\n\n- b\n\nafter") == [.bullets([[.text("a")], [.text("b")]]), .paragraph([.text("after")])])
    }

    static let plain = MarkdownRenderer(width: 24, style: Style(isEnabled: false))

    @Test("paragraphs wrap at the width, with an empty line between blocks")
    func wraps() {
        let blocks = MarkdownReader.read("A topic is an append-only log split into partitions.\n\nSecond.")
        #expect(Self.plain.render(blocks) == ["A topic is an", "append-only log split", "into partitions.", "", "Second."])
        #expect(Self.plain.render(blocks).allSatisfy { $0.count <= 24 })
    }

    @Test("a code span is never broken and may overflow; a code block is indented and never wrapped")
    func keepsCode() {
        let blocks = MarkdownReader.read("Type `publish orders key=o-1 {\"total\":42}` then look.\n\n```\nconsume orders --group billing --from beginning\n```")
        #expect(Self.plain.render(blocks) == [
            "Type",
            "`publish orders key=o-1 {\"total\":42}`",
            "then look.",
            "",
            "    consume orders --group billing --from beginning",
        ])
    }

    @Test("without a terminal the marks stay as written; on one they become bold and italic")
    func styles() {
        let blocks = MarkdownReader.read("A *log*, **never** `edited`.")
        #expect(Self.plain.render(blocks) == ["A *log*, **never**", "`edited`."])
        let styled = MarkdownRenderer(width: 24, style: Style(isEnabled: true)).render(blocks)
        #expect(styled == ["A \u{1B}[3mlog\u{1B}[0m, \u{1B}[1mnever\u{1B}[0m \u{1B}[1medited\u{1B}[0m."])
    }

    @Test("list items hang under their text, numbers aligned; a quote has a bar on a terminal, `> ` without")
    func listsAndQuotes() {
        let blocks = MarkdownReader.read("- one two three four five six\n\n9. nine\n10. ten words that wrap here\n\n> quoted words that wrap too")
        #expect(Self.plain.render(blocks) == [
            "- one two three four",
            "  five six",
            "",
            "9.  nine",
            "10. ten words that wrap",
            "    here",
            "",
            "> quoted words that wrap",
            "> too",
        ])
        let styled = MarkdownRenderer(width: 24, style: Style(isEnabled: true)).render(MarkdownReader.read("> a"))
        #expect(styled == ["\u{1B}[2m│\u{1B}[0m a"])
    }
}
