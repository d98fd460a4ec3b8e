/// `verify --update`: a transcript's text with the expected output of the commands that differ
/// rewritten to what they print now. Everything else — narration, headings, directives, empty
/// lines, the output of commands that still match — stays as written, byte for byte; in a
/// rewritten block, an expected line that still matches its printed line is kept as written,
/// placeholders and all.
public enum TranscriptUpdate {
    /// `text` (the transcript `mismatches` came from) with their output blocks rewritten.
    public static func apply(_ mismatches: [TranscriptVerifier.Mismatch], to text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithNewline = lines.last == ""
        if endsWithNewline { lines.removeLast() }
        for mismatch in mismatches.sorted(by: { $0.command.outputLines.lowerBound > $1.command.outputLines.lowerBound }) {
            let range = mismatch.command.outputLines
            lines.replaceSubrange((range.lowerBound - 1)..<(range.upperBound - 1), with: merged(mismatch))
        }
        return lines.joined(separator: "\n") + (endsWithNewline ? "\n" : "")
    }

    /// The new output block: printed lines, each written as its old expected line when that
    /// line (placeholders and all) still matches it.
    static func merged(_ mismatch: TranscriptVerifier.Mismatch) -> [String] {
        let expected = mismatch.command.expected
        var kept: [ExpectedLine] = []
        for step in OutputDiff.align(expected, mismatch.actual) {
            guard let new = step.new else { continue }
            if let old = step.old, case .line = expected[old] {
                kept.append(expected[old])
            } else {
                kept.append(.line(mismatch.actual[new]))
            }
        }
        return TranscriptWriter.outputLines(kept)
    }
}
