import EventLabShell
import Synchronization
import Testing

/// Running a transcript and comparing what each command prints with what it expects.
@Suite("Verifying a transcript")
struct TranscriptVerifierTests {
    static let quickStart = """
        % width 80
        ## Topics
        # Make a topic with two partitions:
        eventlab> topic create orders --partitions 2
        created topic orders with 2 partitions · cleanup delete · retention 7d
        % pause
        eventlab> publish orders --repeat 4 key=k-{n} {"n":{n}}
        orders p0  3 records  @0…@2
        orders p1  1 record  @0

        eventlab> consume orders
        p0 @0  k-1  {"n":1}  2024-01-01T00:00:00Z
        ...
        4 records
        eventlab> publish nowhere x
        error: topic 'nowhere' does not exist (topics: orders)
        eventlab> clock advance 1h
        clock is now 2024-01-01T01:00:00Z
        """

    func mismatches(_ text: String, opener: @escaping TranscriptWorkspaceOpener = MemoryTranscriptWorkspace.opener) throws -> [TranscriptVerifier.Mismatch] {
        try TranscriptVerifier(opener: opener).mismatches(in: TranscriptParser.parse(text))
    }

    @Test("a transcript whose commands print what it says passes: no mismatches")
    func passes() throws {
        #expect(try mismatches(Self.quickStart).isEmpty)
    }

    @Test("a changed output line is a mismatch holding the command and what it printed")
    func changedLine() throws {
        let text = Self.quickStart.replacingOccurrences(of: "orders p1  1 record  @0", with: "orders p1  2 records  @0…@1")
        let found = try mismatches(text)
        #expect(found.count == 1)
        #expect(found.first?.command.text == #"publish orders --repeat 4 key=k-{n} {"n":{n}}"#)
        #expect(found.first?.command.line == 7)
        #expect(found.first?.actual == ["orders p0  3 records  @0…@2", "orders p1  1 record  @0"])
    }

    @Test("a command that prints nothing passes with no output lines, and fails with one")
    func printsNothing() throws {
        #expect(try mismatches("eventlab> ;\n# next\n").isEmpty)
        let found = try mismatches("eventlab> ;\nsomething\n")
        #expect(found.first?.actual == [])
    }

    @Test("a transcript of only narration passes, with nothing to run")
    func onlyNarration() throws {
        #expect(try mismatches("## Intro\n# Nothing to run yet.\n% pause\n").isEmpty)
    }

    @Test("each transcript starts on a fresh workspace: nothing one made is there in the next")
    func freshWorkspace() throws {
        let text = "eventlab> topic create orders\ncreated topic orders with 1 partition · cleanup delete · retention 7d\n"
        #expect(try mismatches(text).isEmpty)
        #expect(try mismatches(text).isEmpty)
    }

    @Test("the header's clock and broker configs are the session's")
    func headerSettings() throws {
        #expect(try mismatches("""
            % clock logical 2030-05-06T07:08:09Z
            eventlab> clock advance 1s
            clock is now 2030-05-06T07:08:10Z
            """).isEmpty)
        #expect(try mismatches("""
            % clock system
            eventlab> topic create t
            created topic t with 1 partition · cleanup delete · retention 7d
            eventlab> publish t x
            t p0 @0  (the only partition)
            eventlab> consume t
            p0 @0  -  x  [TIME]
            1 record
            """).isEmpty)
    }

    @Test("the header's width is the width pictures are drawn for")
    func width() throws {
        let text = """
            % width 40
            eventlab> topic create t
            created topic t with 1 partition · cleanup delete · retention 7d
            eventlab> publish t --repeat 30 key=key-{n} v
            t p0  30 records  @0…@29
            eventlab> show t
            t · 1 partition · cleanup delete · retention 7d
            p0 │0 key-1│1 key-2│…│29 key-30│ end 30
            │ a record: offset and key (or event type)
            """
        #expect(try mismatches(text).isEmpty)
        #expect(try mismatches(text.replacingOccurrences(of: "% width 40", with: "% width 80")).count == 1)
    }

    @Test("after `% restart` on disk the topic, its records and the committed offsets are there, and the logical clock goes on from where it was")
    func restart() throws {
        let text = """
            eventlab> topic create orders --partitions 2
            created topic orders with 2 partitions · cleanup delete · retention 7d
            eventlab> publish orders --repeat 4 key=k-{n} {"n":{n}}
            orders p0  3 records  @0…@2
            orders p1  1 record  @0
            eventlab> consume orders --group billing --max 1
            billing has no committed offset on orders p0, p1: auto.offset.reset=earliest starts at 0
            p0 @0  k-1  {"n":1}  2024-01-01T00:00:00Z
            1 record · group billing committed p0 @1, p1 @0
            eventlab> clock advance 2h
            clock is now 2024-01-01T02:00:00Z
            % restart
            eventlab> topic list
            ...
            eventlab> consume orders --group billing
            p0 @1  k-2  {"n":2}  2024-01-01T00:00:00Z
            p0 @2  k-3  {"n":3}  2024-01-01T00:00:00Z
            p1 @0  k-4  {"n":4}  2024-01-01T00:00:00Z
            3 records · group billing committed p0 @3, p1 @1
            eventlab> clock advance 1h
            clock is now 2024-01-01T03:00:00Z
            """
        #expect(try mismatches(text, opener: DiskTranscriptWorkspace.opener).isEmpty)
    }

    @Test("a workspace that cannot be opened again at `% restart` stops the run with the opener's error")
    func reopenFails() throws {
        let opened = Mutex(0)
        let opener: TranscriptWorkspaceOpener = { settings, directory in
            guard opened.withLock({ $0 += 1; return $0 }) == 1, let directory else { throw ShellError("the disk is gone") }
            return try DiskTranscriptWorkspace(settings: settings, directory: directory)
        }
        #expect(throws: ShellError("the disk is gone")) { try mismatches("eventlab> topic list\n[..]\n% restart\neventlab> topic list\n", opener: opener) }
        #expect(opened.withLock { $0 } == 2)
    }

    @Test("a memory workspace forgets everything at `% restart`, so a transcript that restarts needs a disk opener")
    func restartNeedsDisk() throws {
        #expect(throws: ShellError.self) { try mismatches("eventlab> topic list\n% restart\n") }
    }

    @Test("`exit` with commands after it is an error naming its line: the REPL would have ended there")
    func exitInTheMiddle() throws {
        #expect(try mismatches("eventlab> topic list\nno topics yet[..]\neventlab> exit\n").isEmpty)
        #expect(throws: TranscriptError(line: 1, "`exit` ends the session, but commands follow it: end the transcript there, or put `% restart` after it to start EventLab again")) {
            try mismatches("eventlab> exit\neventlab> topic list\nno topics yet\n")
        }
        #expect(throws: TranscriptError.self) { try mismatches("eventlab> topic list; quit\nno topics yet\n# more\neventlab> topic list\n") }
    }

    @Test("`exit` then `% restart` is leaving and starting EventLab again: the commands after it run")
    func exitThenRestart() throws {
        let text = """
            eventlab> topic create t
            created topic t with 1 partition · cleanup delete · retention 7d
            eventlab> exit
            % restart
            eventlab> topic list
            TOPIC  PARTITIONS  RECORDS  CLEANUP  RETENTION
            t      1           0        delete   7d
            """
        #expect(try mismatches(text, opener: DiskTranscriptWorkspace.opener).isEmpty)
    }
}
