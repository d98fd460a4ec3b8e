import EventLabShell
import Testing

/// The diff `eventlab verify` prints for a command whose output changed.
@Suite("The diff of a changed output")
struct OutputDiffTests {
    /// The diffs of `text`'s mismatches, as verify prints them for `file`.
    func diffs(_ text: String, file: String = "transcripts/t.txt") throws -> [String] {
        try TranscriptVerifier(opener: MemoryTranscriptWorkspace.opener).mismatches(in: TranscriptParser.parse(text))
            .map { OutputDiff.unified(file: file, $0) }
    }

    @Test("it names the file and the command's line, and shows the expected line with - and the printed one with +")
    func changedLine() throws {
        let diffs = try diffs("""
            # two partitions
            eventlab> topic create orders --partitions 2
            created topic orders with 2 partitions · cleanup delete · retention 7d
            eventlab> publish orders --repeat 4 key=k-{n} v
            orders p0  3 records  @0…@2
            orders p1  2 records  @0…@1
            """)
        #expect(diffs == ["""
            --- transcripts/t.txt:4 expected, after eventlab> publish orders --repeat 4 key=k-{n} v
            +++ printed now
            @@ -5,2 +5,2 @@
             orders p0  3 records  @0…@2
            -orders p1  2 records  @0…@1
            +orders p1  1 record  @0
            """])
    }

    @Test("lines that still match their placeholders are context, not changes")
    func placeholdersAreContext() throws {
        let diffs = try diffs("""
            eventlab> topic create t
            created topic [..]
            eventlab> publish t --repeat 2 v
            t p0  2 records  @0…@1
            eventlab> consume t
            p0 @0  -  v  [TIME]
            p0 @1  -  w  [TIME]
            2 records
            """)
        #expect(diffs == ["""
            --- transcripts/t.txt:5 expected, after eventlab> consume t
            +++ printed now
            @@ -6,3 +6,3 @@
             p0 @0  -  v  [TIME]
            -p0 @1  -  w  [TIME]
            +p0 @1  -  v  2024-01-01T00:00:00Z
             2 records
            """])
    }

    @Test("a command that printed something unexpected shows only + lines, escaped as the file would hold them")
    func nothingExpected() throws {
        let diffs = try diffs("eventlab> topic list\n")
        #expect(diffs == ["""
            --- transcripts/t.txt:1 expected, after eventlab> topic list
            +++ printed now
            @@ -2,0 +2,1 @@
            +no topics yet: try `topic create orders --partitions 3`
            """])
        let escaped = try self.diffs("eventlab> publish nowhere x\n\\# error\n")
        #expect(escaped.first?.contains("\n-\\# error\n+error: topic 'nowhere' does not exist") == true)
    }

    @Test("the lines a `...` stands for are no change: the diff shows the `...` once, then what changed")
    func anyLines() throws {
        let diffs = try diffs("""
            eventlab> topic create t
            created topic t with 1 partition · cleanup delete · retention 7d
            eventlab> publish t --repeat 5 v{n}
            t p0  5 records  @0…@4
            eventlab> consume t
            p0 @0  -  v1  2024-01-01T00:00:00Z
            ...
            9 records
            """)
        #expect(diffs == ["""
            --- transcripts/t.txt:5 expected, after eventlab> consume t
            +++ printed now
            @@ -7,2 +8,4 @@
             ...
            -9 records
            +5 records
            """])
    }

    @Test("a multi-line command is named by its first line")
    func multiLineCommand() throws {
        let diffs = try diffs("eventlab> topic create t\ncreated topic t with 1 partition · cleanup delete · retention 7d\neventlab> publish t {\"a\":\n     ...> 1}\nwrong\n")
        #expect(diffs.first?.hasPrefix("--- transcripts/t.txt:3 expected, after eventlab> publish t {\"a\":\n+++ printed now\n@@ -5,1 +5,1 @@\n-wrong\n+t p0 @0  (the only partition)") == true)
    }

    @Test("changes far apart in a long output are separate hunks with three lines of context")
    func hunks() throws {
        let expected = (0..<20).map { "p0 @\($0)  -  v\($0 + 1)  2024-01-01T00:00:00Z" }
        var written = expected
        written[2] = "changed 2"
        written[15] = "changed 15"
        let text = "eventlab> topic create t\ncreated topic t with 1 partition · cleanup delete · retention 7d\n"
            + "eventlab> publish t --repeat 20 v{n}\nt p0  20 records  @0…@19\neventlab> consume t\n"
            + (written + ["20 records"]).joined(separator: "\n") + "\n"
        let diff = try #require(try diffs(text).first)
        let lines = diff.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("@@") } == ["@@ -6,6 +6,6 @@", "@@ -18,7 +18,7 @@"])
        #expect(lines.filter { $0.hasPrefix("-") && !$0.hasPrefix("---") } == ["-changed 2", "-changed 15"])
        #expect(lines.filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") } == ["+" + expected[2], "+" + expected[15]])
    }
}

@Suite("The diff of a changed output, in a huge block")
struct HugeOutputDiffTests {
    @Test("one changed line among twenty thousand is one small hunk, and the update keeps the placeholders around it")
    func oneChangeInAHugeBlock() throws {
        let count = 20_000
        var written = (0..<count).map { "p0 @\($0)  -  v  2024-01-01T00:00:00Z" }
        written[3] = "p0 @3  -  v  [TIME]"
        written[10_000] = "changed"
        let text = "eventlab> topic create t\ncreated topic t with 1 partition · cleanup delete · retention 7d\n"
            + "eventlab> publish t --repeat \(count) v\nt p0  \(count) records  @0…@\(count - 1)\neventlab> consume t\n"
            + (written + ["\(count) records"]).joined(separator: "\n") + "\n"
        let mismatches = try TranscriptVerifier(opener: MemoryTranscriptWorkspace.opener).mismatches(in: TranscriptParser.parse(text))
        let diff = try #require(mismatches.first.map { OutputDiff.unified(file: "t.txt", $0) })
        #expect(diff.split(separator: "\n").count == 2 + 1 + 3 + 2 + 3)
        #expect(diff.contains("@@ -10003,7 +10003,7 @@\n p0 @9997"))
        #expect(diff.contains("\n-changed\n+p0 @10000  -  v  2024-01-01T00:00:00Z\n"))
        let updated = TranscriptUpdate.apply(mismatches, to: text)
        #expect(updated.contains("\np0 @3  -  v  [TIME]\n"))
        #expect(updated.contains("\np0 @10000  -  v  2024-01-01T00:00:00Z\n"))
    }
}
