/// Writes a ``Transcript`` in the transcript format, escaping output lines that would read as
/// something else, so ``TranscriptParser`` reads back exactly what was written.
public enum TranscriptWriter {
    /// The whole file: the header, then every item; ends with a newline.
    public static func text(of transcript: Transcript) -> String {
        (header(transcript.settings) + transcript.items.flatMap(lines)).map { $0 + "\n" }.joined()
    }

    /// The header lines for `settings`: the clock and width always, so a recording says what
    /// it ran on; the recording time and broker configs when there are any.
    public static func header(_ settings: TranscriptSettings) -> [String] {
        var lines: [String]
        switch settings.clock {
        case .logical(let start): lines = ["% clock logical \(TimeText.format(start))"]
        case .system: lines = ["% clock system"]
        }
        lines.append("% width \(settings.width)")
        if settings.brokers != 1 { lines.append("% brokers \(settings.brokers)") }
        if let recorded = settings.recordedAtMs { lines.append("% recorded \(TimeText.format(recorded))") }
        lines += settings.brokerSettings.map { "% set \($0)" }
        return lines
    }

    /// The lines of one item.
    public static func lines(_ item: Transcript.Item) -> [String] {
        switch item {
        case .narration(let text): [text.isEmpty ? "#" : "# \(text)"]
        case .heading(let text): [TranscriptSyntax.heading + text]
        case .pause: ["% pause"]
        case .restart: ["% restart"]
        case .command(let command): commandLines(command.text) + outputLines(command.expected)
        }
    }

    /// A command as the REPL shows it: the prompt, then a continuation prompt per further line.
    static func commandLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            (index == 0 ? TranscriptSyntax.prompt : TranscriptSyntax.continuation) + line
        }
    }

    /// Expected output lines, escaped where needed; a last empty line is written `\` so it is
    /// not taken for spacing.
    static func outputLines(_ expected: [ExpectedLine]) -> [String] {
        expected.enumerated().map { index, line in
            switch line {
            case .anyLines:
                return TranscriptSyntax.anyLines
            case .line(let text):
                let isLast = index == expected.count - 1
                return TranscriptSyntax.needsEscape(text) || (text.isEmpty && isLast) ? TranscriptSyntax.escape + text : text
            }
        }
    }

    /// Output lines as printed (no placeholders), written so they read back as exactly these.
    public static func literalLines(_ printed: [String]) -> [String] {
        outputLines(printed.map { .line($0) })
    }
}
