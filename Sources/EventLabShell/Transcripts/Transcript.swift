/// A session written down: commands, what they printed, and the narration around them, in the
/// plain-text format `transcripts/README.md` describes. Parsed by ``TranscriptParser``, written by
/// ``TranscriptWriter``; verify, replay and the recorder all work on this one value.
public struct Transcript: Equatable, Sendable {
    /// The header's settings: clock, width, broker configs.
    public var settings: TranscriptSettings
    /// Everything after the header, in order.
    public var items: [Item]

    /// A transcript with `settings` and `items`.
    public init(settings: TranscriptSettings = TranscriptSettings(), items: [Item] = []) {
        self.settings = settings
        self.items = items
    }

    /// One part of a transcript.
    public enum Item: Equatable, Sendable {
        /// A `# ...` line, shown during replay (without the `#`).
        case narration(String)
        /// A `## ...` section heading; replay can start at one.
        case heading(String)
        /// `% pause`: replay waits here for the teacher.
        case pause
        /// `% restart`: the workspace is closed and opened again.
        case restart
        /// A command and the output expected of it.
        case command(TranscriptCommand)
    }

    /// The commands, in order.
    public var commands: [TranscriptCommand] {
        items.compactMap { if case .command(let command) = $0 { command } else { nil } }
    }

    /// True if the session closes and reopens its workspace, so it must run on disk.
    public var restarts: Bool { items.contains(.restart) }
}

/// A command as typed (lines joined by newlines when it went on past an open quote or JSON)
/// and the output lines it must print.
public struct TranscriptCommand: Equatable, Sendable {
    /// The command's text, as the shell runs it.
    public var text: String
    /// The expected output: literal lines with placeholders, and `...` for any lines.
    public var expected: [ExpectedLine]
    /// The line of the file the command starts on (1-based); 0 for one made in memory.
    public var line: Int
    /// The lines of the file its expected output occupies (1-based, half-open): from the line
    /// after the command to its last output line, so `verify --update` replaces exactly them and
    /// the empty lines after the block stay; an empty range where the output would go when it
    /// has none.
    public var outputLines: Range<Int>

    /// A command with its expected output.
    public init(text: String, expected: [ExpectedLine], line: Int = 0, outputLines: Range<Int> = 0..<0) {
        self.text = text
        self.expected = expected
        self.line = line
        self.outputLines = outputLines
    }
}

/// One expected output line.
public enum ExpectedLine: Equatable, Sendable {
    /// A line that must match, placeholders and all (see ``LinePattern``).
    case line(String)
    /// `...` alone on a line: any number of lines, also none.
    case anyLines
}
