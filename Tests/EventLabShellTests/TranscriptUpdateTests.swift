import EventLabShell
import Testing

/// `verify --update`: the output of the commands that differ is rewritten and the rest of the
/// file stays as written.
@Suite("Updating a transcript")
struct TranscriptUpdateTests {
    func mismatches(_ text: String) throws -> [TranscriptVerifier.Mismatch] {
        try TranscriptVerifier(opener: DiskTranscriptWorkspace.opener).mismatches(in: TranscriptParser.parse(text))
    }

    /// `text` updated, checked to verify afterwards.
    func updated(_ text: String) throws -> String {
        let result = TranscriptUpdate.apply(try mismatches(text), to: text)
        #expect(try mismatches(result).isEmpty, "the updated text still differs:\n\(result)")
        return result
    }

    @Test("narration, headings, directives, empty lines and placeholders that still match stay; changed lines are rewritten")
    func roundTrip() throws {
        let text = """
            % clock logical 2024-01-01T00:00:00Z
            % width 80

            ## Topics
            # Two partitions, then three records:
            eventlab> topic create orders --partitions 2
            created topic orders with [..]

            % pause
            eventlab> publish orders --repeat 4 key=k-{n} v{n}
            orders p0  3 records  @0…@2
            orders p1  9 records  @0…@8

            # read them back
            eventlab> consume orders
            p0 @0  k-1  v1  [TIME]
            p0 @1  k-2  OLD  [TIME]
            p0 @2  k-3  v3  [TIME]
            p1 @0  k-4  v4  [TIME]
            4 records
            eventlab> topic list
            % restart
            """
        #expect(try updated(text) == """
            % clock logical 2024-01-01T00:00:00Z
            % width 80

            ## Topics
            # Two partitions, then three records:
            eventlab> topic create orders --partitions 2
            created topic orders with [..]

            % pause
            eventlab> publish orders --repeat 4 key=k-{n} v{n}
            orders p0  3 records  @0…@2
            orders p1  1 record  @0

            # read them back
            eventlab> consume orders
            p0 @0  k-1  v1  [TIME]
            p0 @1  k-2  v2  2024-01-01T00:00:00Z
            p0 @2  k-3  v3  [TIME]
            p1 @0  k-4  v4  [TIME]
            4 records
            eventlab> topic list
            TOPIC   PARTITIONS  RECORDS  CLEANUP  RETENTION
            orders  2           4        delete   7d
            % restart
            """)
    }

    @Test("a command that had no output lines gets them right after it (and after its continuation lines)")
    func insertsAfterCommand() throws {
        let text = "eventlab> topic create t\n\n# then\neventlab> publish t {\"a\":\n     ...> 1}\neventlab> topic list\n"
        #expect(try updated(text) == """
            eventlab> topic create t
            created topic t with 1 partition · cleanup delete · retention 7d

            # then
            eventlab> publish t {"a":
                 ...> 1}
            t p0 @0  (the only partition)
            eventlab> topic list
            TOPIC  PARTITIONS  RECORDS  CLEANUP  RETENTION
            t      1           1        delete   7d

            """)
    }

    @Test("a command that now prints nothing loses its output lines, and the spacing after stays")
    func removesOutput() throws {
        let text = "eventlab> ;\nstale\nstale too\n\n# after\n"
        #expect(try updated(text) == "eventlab> ;\n\n# after\n")
    }

    @Test("output that reads as narration, a prompt or `...`, or ends with an empty line, is written escaped")
    func escapes() throws {
        let text = "eventlab> topic create t\ncreated topic t with 1 partition · cleanup delete · retention 7d\n"
            + "eventlab> publish t --repeat 2 \"# hi\"\nt p0  2 records  @0…@1\neventlab> consume t --max 1\nwrong\n"
        let result = try updated(text)
        #expect(result.hasSuffix("eventlab> consume t --max 1\np0 @0  -  # hi  2024-01-01T00:00:00Z\n1 record\n"))
        let printedPlaceholder = "eventlab> topic create t\ncreated topic t with 1 partition · cleanup delete · retention 7d\n"
            + "eventlab> publish t \"at [TIME] on [PORT]\"\nt p0 @0  (the only partition)\neventlab> consume t\nwrong\n"
        #expect(try updated(printedPlaceholder).hasSuffix("eventlab> consume t\np0 @0  -  at [TIME] on [PORT]  2024-01-01T00:00:00Z\n1 record\n"))
    }

    @Test("a `...` in a changed block stays and still stands for the lines it covered; a changed line after it is rewritten")
    func keepsAnyLines() throws {
        let text = """
            eventlab> topic create t
            created topic t with 1 partition · cleanup delete · retention 7d
            eventlab> publish t --repeat 5 v{n}
            t p0  5 records  @0…@4
            eventlab> consume t
            p0 @0  -  v1  2024-01-01T00:00:00Z
            ...
            9 records
            """
        #expect(try updated(text).hasSuffix("eventlab> consume t\np0 @0  -  v1  2024-01-01T00:00:00Z\n...\n5 records"))
    }

    @Test("a `...` that now stands for no line stays, and the changed line after it is rewritten")
    func anyLinesStandingForNothing() throws {
        let text = """
            eventlab> topic create t
            created topic t with 1 partition · cleanup delete · retention 7d
            eventlab> publish t v1
            t p0 @0  (the only partition)
            eventlab> consume t
            p0 @0  -  v1  2024-01-01T00:00:00Z
            ...
            3 records
            """
        #expect(try updated(text).hasSuffix("eventlab> consume t\np0 @0  -  v1  2024-01-01T00:00:00Z\n...\n1 record"))
    }

    @Test("a file without a final newline stays without one; a Windows file keeps its line ends")
    func lineEnds() throws {
        let text = "# note\neventlab> topic list\nwrong"
        #expect(try updated(text) == "# note\neventlab> topic list\nno topics yet: try `topic create orders --partitions 3`")
        #expect(try updated("eventlab> topic list") == "eventlab> topic list\nno topics yet: try `topic create orders --partitions 3`")
        let windows = "# note\r\neventlab> topic list\r\nwrong\r\n\r\n# end\r\n"
        #expect(try updated(windows) == "# note\r\neventlab> topic list\r\nno topics yet: try `topic create orders --partitions 3`\r\n\r\n# end\r\n")
    }

    @Test("with nothing that differs the text is unchanged, byte for byte")
    func unchanged() throws {
        let text = "% width 80\n\n\n# note  \neventlab> topic list\nno topics yet[..]\n\n\n"
        #expect(try mismatches(text).isEmpty)
        #expect(TranscriptUpdate.apply([], to: text) == text)
    }
}
