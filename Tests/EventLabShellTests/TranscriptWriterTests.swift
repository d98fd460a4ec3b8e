import EventLabShell
import Testing

/// The writer and the parser agree: what one writes the other reads back as the same transcript.
@Suite("Writing a transcript")
struct TranscriptWriterTests {
    /// `transcript` without the file positions the parser adds, for comparing with one made in memory.
    func positionless(_ transcript: Transcript) -> Transcript {
        var transcript = transcript
        transcript.items = transcript.items.map {
            guard case .command(let command) = $0 else { return $0 }
            return .command(TranscriptCommand(text: command.text, expected: command.expected))
        }
        return transcript
    }

    /// The transcript `transcript` reads back as once written.
    func roundTrip(_ transcript: Transcript) throws -> Transcript {
        positionless(try TranscriptParser.parse(TranscriptWriter.text(of: transcript)))
    }

    @Test("output lines that would read as narration, a directive, a prompt, a continuation, an escape or `...` read back as output")
    func escapedLines() throws {
        let awkward = [
            "# not narration", "## not a heading", "#", "% pause", "%", "eventlab> topic list", "eventlab>", "     ...> more", "...> more",
            "...>", #"\ backslash"#, #"\"#, "...", "....", "plain", "",
        ]
        let transcript = Transcript(items: [
            .command(TranscriptCommand(text: "consume t", expected: awkward.map(ExpectedLine.line) + [.line("end")])),
        ])
        #expect(try roundTrip(transcript) == transcript)
    }

    @Test("a last empty output line is written `\\` and reads back; so do several")
    func trailingEmptyLine() throws {
        for expected: [ExpectedLine] in [[.line("a"), .line("")], [.line("")], [.line(""), .line("")], [.line(""), .anyLines, .line("")]] {
            let transcript = Transcript(items: [.command(TranscriptCommand(text: "a", expected: expected)), .command(TranscriptCommand(text: "b", expected: []))])
            #expect(try roundTrip(transcript) == transcript)
        }
        let written = TranscriptWriter.text(of: Transcript(items: [.command(TranscriptCommand(text: "a", expected: [.line("x"), .line("")]))]))
        #expect(written.hasSuffix("eventlab> a\nx\n\\\n"))
    }

    @Test("every kind of item and setting reads back as written")
    func everything() throws {
        let transcript = Transcript(
            settings: TranscriptSettings(
                clock: .logical(startMs: 1_738_555_506_000), width: 132, brokerSettings: ["offsets.retention.minutes=5"],
                recordedAtMs: 1_795_931_725_000),
            items: [
                .heading("Topics and partitions"), .heading(""), .narration("A topic is a log."), .narration(""), .narration("  indented"),
                .narration("# a hash"), .pause, .restart,
                .command(TranscriptCommand(text: "publish orders {\"a\":1,\n  \"b\":2}", expected: [.line("orders p0 @0"), .anyLines])),
                .command(TranscriptCommand(text: "consume orders --group \"billing\n\"", expected: [.line("[TIME] [..] [MEMBER]")])),
                .command(TranscriptCommand(text: "topic list", expected: [])),
            ])
        #expect(try roundTrip(transcript) == transcript)
        var system = Transcript()
        system.settings.clock = .system
        #expect(try roundTrip(system) == system)
    }

    @Test("the header always names the clock and width, so a recording says what it ran on")
    func header() {
        #expect(TranscriptWriter.text(of: Transcript()) == "% clock logical 2024-01-01T00:00:00Z\n% width 80\n")
    }

    @Test("a multi-line command is written with the REPL's continuation prompt")
    func continuationPrompt() {
        let text = TranscriptWriter.text(of: Transcript(items: [.command(TranscriptCommand(text: "publish t {\n}", expected: [.line("t p0 @0")]))]))
        #expect(text.hasSuffix("eventlab> publish t {\n     ...> }\nt p0 @0\n"))
    }
}
