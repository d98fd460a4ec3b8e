import EventLabShell
import Testing

/// One expected output line and its placeholders, matched against printed lines.
@Suite("Matching one output line")
struct LinePatternTests {
    func matches(_ pattern: String, _ line: String) -> Bool { LinePattern(pattern).matches(line) }

    @Test("a line without placeholders matches only itself, brackets and all")
    func literal() {
        #expect(matches("3 records", "3 records"))
        #expect(!matches("3 records", "3 records "))
        #expect(!matches("3 records", "3 record"))
        #expect(matches("", ""))
        #expect(!matches("", " "))
        #expect(matches("[trace=a] [.] [time]", "[trace=a] [.] [time]"))
        #expect(!matches("[trace=a]", "[trace=b]"))
    }

    @Test("[..] matches any text within the line, also none, but not more than the line")
    func anyText() {
        #expect(matches("p0 @0  [..]  done", "p0 @0  o-1 {\"a\": [1]}  done"))
        #expect(matches("p0 @0  [..]  done", "p0 @0    done"))
        #expect(matches("[..]", ""))
        #expect(matches("[..]", "anything at all"))
        #expect(matches("a[..]", "a"))
        #expect(matches("[..]z", "xyz"))
        #expect(!matches("p0 @0  [..]  done", "p1 @0  x  done"))
        #expect(!matches("p0 @0  [..]  done", "p0 @0  x  done!"))
        #expect(matches("a [..] b [..] c", "a 1 b 2 b 3 c"))
        #expect(!matches("a [..] b [..] c", "a 1 c 2 b"))
    }

    @Test("[TIME] matches a UTC time with or without milliseconds", arguments: [
        "2026-11-29T05:55:25Z", "2026-11-29T05:55:25.250Z", "2026-11-29T05:55:25.2Z", "2024-01-01T00:00:00.000Z",
    ])
    func time(time: String) {
        #expect(matches("p0 @0  k  v  [TIME]", "p0 @0  k  v  \(time)"))
        #expect(matches("[TIME]", time))
    }

    @Test("[TIME] does not match what is not a UTC time", arguments: [
        "2026-11-29 05:55:25Z", "2026-11-29T05:55:25", "2026-11-29T05:55:25.Z", "2026-11-29T05:55:25.2500Z", "26-11-29T05:55:25Z",
        "2026-11-29T05:55:2xZ", "yesterday", "", "2026-11-29T05:55:25+01:00",
    ])
    func notTime(text: String) {
        #expect(!matches("at [TIME]", "at \(text)"))
    }

    @Test("[MEMBER] matches a member id: text without spaces, at least one character")
    func member() {
        #expect(matches("member [MEMBER] joined", "member eventlab-3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b joined"))
        #expect(matches("[MEMBER]", "consumer-1-7"))
        #expect(!matches("member [MEMBER] joined", "member two words joined"))
        #expect(!matches("member [MEMBER] joined", "member  joined"))
        #expect(!matches("[MEMBER]", ""))
    }

    @Test("[PORT] and [PID] match digits only, at least one")
    func numbers() {
        #expect(matches("listening on 127.0.0.1:[PORT]", "listening on 127.0.0.1:9092"))
        #expect(matches("held by pid [PID]", "held by pid 48213"))
        #expect(!matches("listening on 127.0.0.1:[PORT]", "listening on 127.0.0.1:"))
        #expect(!matches("listening on 127.0.0.1:[PORT]", "listening on 127.0.0.1:90a2"))
        #expect(!matches("held by pid [PID]", "held by pid -1"))
        #expect(!matches("[PORT]", "9092 "))
    }

    @Test("placeholders side by side split the text between them")
    func adjacent() {
        #expect(matches("[PORT][PID]", "12"))
        #expect(!matches("[PORT][PID]", "1"))
        #expect(matches("[TIME][..]", "2026-11-29T05:55:25Z and more"))
        #expect(matches("[..][TIME]", "at 2026-11-29T05:55:25.250Z"))
        #expect(matches("[MEMBER][PORT]", "member-17"))
        #expect(matches("[..][..]", ""))
        #expect(matches("[TIME][TIME]", "2026-11-29T05:55:25Z2026-11-29T05:55:26.1Z"))
        #expect(matches("[MEMBER] [TIME]", "m-1 2026-11-29T05:55:25Z"))
        #expect(!matches("[MEMBER][TIME]", "m-1 2026-11-29T05:55:25Z"))
    }

    @Test("printed text that is a placeholder's own text is matched by that placeholder")
    func placeholderText() {
        for placeholder in ["[..]", "[TIME]", "[MEMBER]", "[PORT]", "[PID]"] {
            #expect(matches("value \(placeholder) end", "value \(placeholder) end"), "\(placeholder)")
        }
    }

    @Test("a half-written placeholder is literal text")
    func partial() {
        #expect(matches("[TIME", "[TIME"))
        #expect(!matches("[TIME", "2026-11-29T05:55:25Z"))
        #expect(matches("[.]", "[.]"))
        #expect(LinePattern("[TIME").parts == [.literal(Array("[TIME".utf8))])
    }

    @Test("matching works on characters beyond ASCII")
    func unicode() {
        #expect(matches("orders p0 @0  (key o-1 → murmur2 mod 3)", "orders p0 @0  (key o-1 → murmur2 mod 3)"))
        #expect(matches("p0 │0 [..]│ end 6", "p0 │0 o-1│1 o-3│ end 6"))
    }
}
