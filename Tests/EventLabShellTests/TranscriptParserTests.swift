import EventLabShell
import Testing

/// The transcript format read line by line, as `transcripts/README.md` specifies it.
@Suite("Reading a transcript")
struct TranscriptParserTests {
    /// The error parsing `text` throws.
    func error(_ text: String) -> TranscriptError? {
        do {
            _ = try TranscriptParser.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("without a header a transcript runs on the logical clock from 2024-01-01, 80 columns wide, with Kafka's defaults")
    func defaults() throws {
        let transcript = try TranscriptParser.parse("eventlab> topic list\nno topics yet\n")
        #expect(transcript.settings == TranscriptSettings(clock: .logical(startMs: 1_704_067_200_000), width: 80, brokerSettings: []))
    }

    @Test("the header's settings are read: clock, width, broker configs and the recording time")
    func header() throws {
        let transcript = try TranscriptParser.parse("""
            % clock logical 2025-02-03T04:05:06Z
            % width 120
            % set offsets.retention.minutes=5
            % set log.cleaner.backoff.ms=100
            % recorded 2026-11-29T05:55:25Z

            eventlab> topic list
            """)
        #expect(transcript.settings.clock == .logical(startMs: 1_738_555_506_000))
        #expect(transcript.settings.width == 120)
        #expect(transcript.settings.brokerSettings == ["offsets.retention.minutes=5", "log.cleaner.backoff.ms=100"])
        #expect(transcript.settings.recordedAtMs == 1_795_931_725_000)
        #expect(try TranscriptParser.parse("% clock system\n").settings.clock == .system)
        #expect(try TranscriptParser.parse("% clock logical\n").settings.clock == .logical(startMs: TranscriptSettings.logicalStartMs))
    }

    @Test("directives, headings and narration become items in order; `#` alone is empty narration")
    func items() throws {
        let transcript = try TranscriptParser.parse("""
            ## Topics
            # A topic is a log.
            #no space
            #
            % pause
            % restart
            ##not a heading
            """)
        #expect(transcript.items == [
            .heading("Topics"), .narration("A topic is a log."), .narration("no space"), .narration(""), .pause, .restart,
            .narration("#not a heading"),
        ])
        #expect(transcript.restarts)
    }

    @Test("a command holds the output lines after it, with the line it starts on and the lines its output fills")
    func command() throws {
        let transcript = try TranscriptParser.parse("""
            # make one
            eventlab> topic create orders
            created topic orders with 1 partition · cleanup delete · retention 7d
            eventlab> topic list --quiet
            eventlab> publish nowhere x
            error: topic 'nowhere' does not exist
            """)
        #expect(transcript.commands == [
            TranscriptCommand(
                text: "topic create orders", expected: [.line("created topic orders with 1 partition · cleanup delete · retention 7d")],
                line: 2, outputLines: 3..<4),
            TranscriptCommand(text: "topic list --quiet", expected: [], line: 4, outputLines: 5..<5),
            TranscriptCommand(text: "publish nowhere x", expected: [.line("error: topic 'nowhere' does not exist")], line: 5, outputLines: 6..<7),
        ])
    }

    @Test("continuation lines join the command with newlines, with or without spaces before `...>`")
    func continuation() throws {
        let transcript = try TranscriptParser.parse("""
            eventlab> publish orders {"type":"OrderPlaced",
                 ...> "total":42,
            ...>   "n":1}
            orders p0 @0  (the only partition)
            """)
        let command = try #require(transcript.commands.first)
        #expect(command.text == "publish orders {\"type\":\"OrderPlaced\",\n\"total\":42,\n  \"n\":1}")
        #expect(command.line == 1)
        #expect(command.outputLines == 4..<5)
        #expect(command.expected == [.line("orders p0 @0  (the only partition)")])
    }

    @Test("a `\\` in front makes a line output, whatever it looks like; `...` alone is any lines, `\\...` the text")
    func escapes() throws {
        let transcript = try TranscriptParser.parse(##"""
            eventlab> consume t
            \# not narration
            \% not a directive
            \eventlab> not a prompt
            \     ...> not a continuation
            \\ a backslash
            \...
            ...
            3 records
            """##)
        #expect(transcript.commands.first?.expected == [
            .line("# not narration"), .line("% not a directive"), .line("eventlab> not a prompt"), .line("     ...> not a continuation"),
            .line(#"\ a backslash"#), .line("..."), .anyLines, .line("3 records"),
        ])
    }

    @Test("empty lines inside an output block are output; empty lines after it are spacing, unless written `\\`")
    func emptyLines() throws {
        let transcript = try TranscriptParser.parse(#"""
            eventlab> a

            first

            last


            eventlab> b
            one
            \


            eventlab> c

            # narration
            """#)
        #expect(transcript.commands.map(\.expected) == [[.line(""), .line("first"), .line(""), .line("last")], [.line("one"), .line("")], []])
        #expect(transcript.commands.map(\.outputLines) == [2..<6, 9..<11, 14..<14])
    }

    @Test("a file with Windows line ends reads as the same transcript")
    func crlf() throws {
        let text = "% width 100\n# note\neventlab> topic list\nno topics yet\n\nline\n\\\neventlab> b\n"
        let lf = try TranscriptParser.parse(text)
        let crlf = try TranscriptParser.parse(text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(crlf == lf)
        #expect(lf.commands.first?.expected == [.line("no topics yet"), .line(""), .line("line"), .line("")])
    }

    @Test("a file without a final newline reads its last line")
    func noFinalNewline() throws {
        let transcript = try TranscriptParser.parse("eventlab> topic list\nno topics yet")
        #expect(transcript.commands.first?.expected == [.line("no topics yet")])
        #expect(try TranscriptParser.parse("# only narration").items == [.narration("only narration")])
        #expect(try TranscriptParser.parse("") == Transcript())
    }

    @Test("an output line with no command above it names its line and says to use `#`")
    func outputWithoutCommand() {
        #expect(error("hello\n") == TranscriptError(line: 1, "an output line with no command above it: start narration with `#`, or put the command before it on an `eventlab> ` line"))
        #expect(error("eventlab> a\nout\n# note\nstray\n")?.line == 4)
        #expect(error("eventlab> a\n% pause\nstray\n")?.line == 3)
        #expect(error("% width 90\n...\n")?.line == 2)
    }

    @Test("`...>` continues a command whose line ends in `\\`, but not one ending in `\\\\`")
    func continuationAfterBackslash() throws {
        let transcript = try TranscriptParser.parse("eventlab> topic create orders \\\n     ...>   --partitions 3\ncreated\n")
        #expect(transcript.commands.first?.text == "topic create orders \\\n  --partitions 3")
        #expect(transcript.commands.first?.expected == [.line("created")])
        #expect(error("eventlab> publish t C:\\\\\n     ...> more\n")?.message.contains("the command above is complete") == true)
    }

    @Test("`...>` after a complete command is an error naming its line and the `\\` escape")
    func continuationOfCompleteCommand() {
        let error = error("eventlab> topic list\n     ...> more\n")
        #expect(error?.line == 2)
        #expect(error?.message.contains("the command above is complete") == true)
        #expect(error?.message.contains("`\\`") == true)
    }

    @Test("`...>` after a command's output has started is an error, not an output line")
    func continuationAfterOutput() {
        let error = error("eventlab> publish t {\nerror: unclosed\n     ...> }\n")
        #expect(error?.line == 3)
        #expect(error?.message.contains("`\\`") == true)
    }

    @Test("an unknown directive names its line and lists the directives and settings")
    func unknownDirective() {
        let error = error("eventlab> a\n% pasue\n")
        #expect(error?.line == 2)
        #expect(error?.message.contains("unknown directive '% pasue'") == true)
        #expect(error?.message.contains("`% pause` and `% restart`") == true)
        #expect(self.error("%\n")?.line == 1)
        #expect(self.error("% pause now\n")?.message == "`% pause` takes nothing after it, not 'now'")
    }

    @Test("a header setting after the first command, heading, narration or directive says to move it to the top")
    func settingAfterContent() {
        for content in ["eventlab> topic list", "## Start", "# hello", "% pause"] {
            let error = error("% width 90\n\(content)\n% clock system\n")
            #expect(error == TranscriptError(line: 3, "`% clock` is a header setting: move it to the top, before the first command, heading or narration"))
        }
    }

    @Test("a bad width, clock, broker config or recording time names its line and what would be right", arguments: [
        ("% width 0", "`% width` needs a number of columns from 1 to 10000, not '0'"),
        ("% width wide", "`% width` needs a number of columns from 1 to 10000, not 'wide'"),
        ("% clock sundial", "`% clock` is `logical`, `logical TIME` or `system`, not 'sundial'"),
        ("% clock logical noon", "`% clock logical` takes a UTC start time such as 2024-01-01T00:00:00Z, not 'noon'"),
        ("% clock logical 2024-02-30T00:00:00Z", "`% clock logical` takes a UTC start time such as 2024-01-01T00:00:00Z, not '2024-02-30T00:00:00Z'"),
        ("% clock system 2024-01-01T00:00:00Z", "`% clock` is `logical`, `logical TIME` or `system`, not 'system 2024-01-01T00:00:00Z'"),
        ("% recorded yesterday", "`% recorded` needs a UTC time such as 2026-11-29T05:55:25Z, not 'yesterday'"),
    ])
    func badSetting(line: String, message: String) {
        #expect(error("% set offsets.retention.minutes=5\n\(line)\n") == TranscriptError(line: 2, message))
    }

    @Test("a `% set` EventLab cannot apply names the config's own complaint")
    func badSet() {
        let error = error("% set nope=1\n")
        #expect(error?.line == 1)
        #expect(error?.message.hasPrefix("`% set nope=1`: 'nope' is not a broker config EventLab knows") == true)
        #expect(self.error("% set offsets.retention.minutes=0\n")?.message.contains("at least 1") == true)
    }

    @Test("a `record` command is refused with its line, alone or among others, so verify and replay never write a file")
    func recordRefused() {
        let expected = "`record` does not belong in a transcript: verify and replay never write files, and a recording never holds its own `record` commands; remove the line"
        #expect(error("eventlab> topic list\neventlab> record start /tmp/x.txt --force\n") == TranscriptError(line: 2, expected))
        #expect(error("eventlab> topic create a; record stop\ncreated topic a\n") == TranscriptError(line: 1, expected))
        #expect(error("eventlab> publish t \"record start\"\n") == nil)
    }

    @Test("a second clock or width is an error")
    func repeatedSetting() {
        #expect(error("% clock system\n% clock logical\n") == TranscriptError(line: 2, "a second `% clock`: give the clock once"))
        #expect(error("% width 80\n% width 90\n") == TranscriptError(line: 2, "a second `% width`: give the width once"))
    }

    @Test("a prompt with no command names its line")
    func emptyPrompt() {
        for prompt in ["eventlab>", "eventlab> ", "eventlab>    "] {
            #expect(error("# hi\n\(prompt)\n") == TranscriptError(line: 2, "a prompt with no command: write the command after `eventlab> `"))
        }
    }
}
