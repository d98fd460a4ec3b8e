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
    /// line (placeholders and all) still matches it. A `...` stays and keeps standing for the
    /// printed lines after it, except as many of the last ones as expected lines changed there:
    /// those are written in their place.
    static func merged(_ mismatch: TranscriptVerifier.Mismatch) -> [String] {
        let expected = mismatch.command.expected
        var kept: [ExpectedLine] = []
        var afterAnyLines = false
        // The expected lines dropped and the printed lines added since the last kept line.
        var dropped = 0
        var added: [String] = []
        func flush() {
            kept += (afterAnyLines ? added.suffix(min(dropped, added.count)) : added[...]).map(ExpectedLine.line)
            dropped = 0
            added = []
        }
        for step in OutputDiff.align(expected, mismatch.actual) {
            if let old = step.old, expected[old] == .anyLines {
                flush()
                kept.append(.anyLines)
                afterAnyLines = true
            } else if let old = step.old, step.new != nil {
                flush()
                kept.append(expected[old])
                afterAnyLines = false
            } else if step.old != nil {
                dropped += 1
            } else if let new = step.new {
                added.append(mismatch.actual[new])
            }
        }
        flush()
        return TranscriptWriter.outputLines(kept)
    }
}
