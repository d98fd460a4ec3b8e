import EventLabShell
import Testing

@Suite("Text from records and clients printed safely")
struct TerminalTextTests {
    @Test("printable text, including a backslash and non-ASCII letters, is printed as it is")
    func printable() {
        #expect(TerminalText.escape(Array(#"{"a":"b\"c"} café ✓"#.utf8)) == #"{"a":"b\"c"} café ✓"#)
    }

    @Test("each control or reordering character is shown as its escape", arguments: [
        ("a\nb", #"a\nb"#), ("a\rb", #"a\rb"#), ("a\tb", #"a\tb"#),
        ("\u{1B}[31mred", #"\x1b[31mred"#), ("\u{1B}]0;title\u{07}", #"\x1b]0;title\x07"#),
        ("\u{7F}", #"\x7f"#), ("\u{0}", #"\x00"#), ("\u{85}\u{9B}", #"\u{85}\u{9b}"#),
        ("abc\u{202E}fed", #"abc\u{202e}fed"#), ("\u{2066}x\u{2069}", #"\u{2066}x\u{2069}"#),
        ("\u{200F}\u{061C}\u{2028}", #"\u{200f}\u{61c}\u{2028}"#),
        ("\u{E000}x\u{E00F}", #"\u{e000}x\u{e00f}"#),
    ])
    func controls(text: String, shown: String) {
        #expect(TerminalText.escape(Array(text.utf8)) == shown)
        #expect(TerminalText.escape(text) == shown)
    }

    @Test("bytes that are not UTF-8 are shown as hex, and the text around them is kept")
    func invalidUTF8() {
        #expect(TerminalText.escape([0x61, 0xFF, 0xC3, 0x28, 0xE2, 0x82, 0x62]) == #"a\xff\xc3(\xe2\x82b"#)
    }
}
