/// `verify --update`: a transcript's text with the expected output of the commands that differ
/// rewritten to what they print now. Everything else — narration, headings, directives, empty
/// lines, the output of commands that still match — stays as written, byte for byte; in a
/// rewritten block, an expected line that still matches its printed line is kept as written,
/// placeholders and all.
public enum TranscriptUpdate {
    /// `text` (the transcript `mismatches` came from) with their output blocks rewritten; its
    /// line ends (`\n` or `\r\n`) and whether it ends with one stay as they were.
    public static func apply(_ mismatches: [TranscriptVerifier.Mismatch], to text: String) -> String {
        var lines = TranscriptSyntax.lines(text).map(String.init)
        let lineEnd = text.contains("\r\n") ? "\r\n" : "\n"
        let endsWithLineEnd = text.last == "\n" || text.last == "\r\n"
        for mismatch in mismatches.sorted(by: { $0.command.outputLines.lowerBound > $1.command.outputLines.lowerBound }) {
            let range = mismatch.command.outputLines
            lines.replaceSubrange((range.lowerBound - 1)..<(range.upperBound - 1), with: merged(mismatch))
        }
        return lines.joined(separator: lineEnd) + (endsWithLineEnd ? lineEnd : "")
    }

    /// The new output block: printed lines, each written as its old expected line when that
    /// line (placeholders and all) still matches it, and each `...` kept for the lines it still
    /// stands for (see ``OutputDiff/absorbing(_:_:)``).
    static func merged(_ mismatch: TranscriptVerifier.Mismatch) -> [String] {
        let expected = mismatch.command.expected
        var kept: [ExpectedLine] = []
        var last: Int?
        for step in OutputDiff.align(expected, mismatch.actual) {
            if let old = step.old {
                // An expected line that matches nothing printed is dropped; a `...` is kept once.
                guard !step.isChange, old != last else { continue }
                last = old
                kept.append(expected[old])
            } else if let new = step.new {
                kept.append(.line(mismatch.actual[new]))
            }
        }
        return TranscriptWriter.outputLines(kept)
    }
}
