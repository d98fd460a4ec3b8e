/// A unified diff between a command's expected output and what it printed, naming the file and
/// the line of the command, for `eventlab verify` and the golden tests.
public enum OutputDiff {
    /// Lines of context around each change.
    static let context = 3
    /// Past this many line pairs the diff shows the whole block replaced rather than aligning it.
    static let alignmentLimit = 4_000_000

    /// The diff for `mismatch` in `file`.
    public static func unified(file: String, _ mismatch: TranscriptVerifier.Mismatch) -> String {
        let command = mismatch.command
        let expected = TranscriptWriter.outputLines(command.expected)
        let actual = TranscriptWriter.literalLines(mismatch.actual)
        let steps = align(command.expected, mismatch.actual)
        let firstCommandLine = TranscriptWriter.commandLines(command.text)[0]
        var lines = ["--- \(file):\(command.line) expected, after \(firstCommandLine)", "+++ printed now"]
        let start = command.outputLines.lowerBound
        for hunk in hunks(steps) {
            // A `...` that stands for several printed lines is one expected line, shown once.
            let old = Set(hunk.compactMap(\.old)), new = hunk.filter { $0.new != nil }
            let oldStart = (old.min() ?? 0) + start, newStart = (new.first?.new ?? 0) + start
            lines.append("@@ -\(oldStart),\(old.count) +\(newStart),\(new.count) @@")
            var shown: Int?
            for step in hunk {
                if let old = step.old {
                    guard old != shown else { continue }
                    shown = old
                    lines.append((step.isChange ? "-" : " ") + expected[old])
                } else if let new = step.new {
                    lines.append("+" + actual[new])
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One line of an alignment: an expected line (by index), a printed line, or both when the
    /// expected line matches the printed one (a `...` matches each printed line it stands for).
    struct Step: Equatable {
        let old: Int?
        let new: Int?
        /// False for a match, and for a `...` that stands for no printed line.
        let isChange: Bool

        init(old: Int?, new: Int?, isChange: Bool? = nil) {
            self.old = old
            self.new = new
            self.isChange = isChange ?? (old == nil || new == nil)
        }
    }

    /// Expected and printed lines aligned by their longest common subsequence, where an expected
    /// line is "common" with a printed line it matches (`...` matches any one line).
    ///
    /// Lines that match at the start and at the end are aligned as they stand first, so a long
    /// output with a change in it costs only the changed middle.
    static func align(_ expected: [ExpectedLine], _ actual: [String]) -> [Step] {
        let patterns = expected.map { line -> LinePattern? in if case .line(let text) = line { LinePattern(text) } else { nil } }
        func same(_ i: Int, _ j: Int) -> Bool { patterns[i].map { $0.matches(actual[j]) } ?? true }
        var prefix = 0
        while prefix < min(expected.count, actual.count), same(prefix, prefix) { prefix += 1 }
        var suffix = 0
        while suffix < min(expected.count, actual.count) - prefix, same(expected.count - 1 - suffix, actual.count - 1 - suffix) { suffix += 1 }
        let n = expected.count - prefix - suffix, m = actual.count - prefix - suffix
        let head = (0..<prefix).map { Step(old: $0, new: $0) }
        let tail = (0..<suffix).map { Step(old: expected.count - suffix + $0, new: actual.count - suffix + $0) }
        guard n * m <= alignmentLimit else {
            return absorbing(head + (0..<n).map { Step(old: prefix + $0, new: nil) } + (0..<m).map { Step(old: nil, new: prefix + $0) } + tail, expected)
        }
        // lengths[i][j]: the longest common subsequence of the middle's expected[i...] and actual[j...].
        var lengths = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lengths[i][j] = same(prefix + i, prefix + j) ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var steps = head
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, same(prefix + i, prefix + j), lengths[i][j] == lengths[i + 1][j + 1] + 1 {
                steps.append(Step(old: prefix + i, new: prefix + j)); i += 1; j += 1
            } else if i < n, j == m || lengths[i + 1][j] >= lengths[i][j + 1] {
                steps.append(Step(old: prefix + i, new: nil)); i += 1
            } else {
                steps.append(Step(old: nil, new: prefix + j)); j += 1
            }
        }
        return absorbing(steps + tail, expected)
    }

    /// `steps` with the printed lines a `...` still stands for given to it: after a `...`, the
    /// printed lines added before the next matching line are its own, except as many of the
    /// last ones as expected lines were dropped there, which replace those. A `...` that stands
    /// for no line is no change either.
    static func absorbing(_ steps: [Step], _ expected: [ExpectedLine]) -> [Step] {
        var result: [Step] = []
        var anyLines: Int?
        var dropped: [Step] = [], added: [Step] = []
        func flush() {
            let own = anyLines == nil ? 0 : added.count - min(dropped.count, added.count)
            result += added.prefix(own).map { Step(old: anyLines, new: $0.new) } + dropped + added.dropFirst(own)
            dropped = []
            added = []
        }
        for step in steps {
            if let old = step.old, expected[old] == .anyLines {
                flush()
                result.append(Step(old: old, new: nil, isChange: false))
                anyLines = old
                // The line it was aligned with is one more it may stand for, or one that
                // replaces a changed line after it.
                if let new = step.new { added.append(Step(old: nil, new: new)) }
            } else if step.old != nil, step.new == nil {
                dropped.append(step)
            } else if step.old == nil {
                added.append(step)
            } else {
                flush()
                result.append(step)
                anyLines = nil
            }
        }
        flush()
        return result
    }

    /// The changed steps with up to ``context`` unchanged ones around them, in hunks.
    static func hunks(_ steps: [Step]) -> [[Step]] {
        let changed = steps.indices.filter { steps[$0].isChange }
        var hunks: [[Step]] = []
        var range: ClosedRange<Int>?
        for index in changed {
            let wanted = max(0, index - context)...min(steps.count - 1, index + context)
            if let current = range, wanted.lowerBound <= current.upperBound + 1 {
                range = current.lowerBound...wanted.upperBound
            } else {
                if let current = range { hunks.append(Array(steps[current])) }
                range = wanted
            }
        }
        if let current = range { hunks.append(Array(steps[current])) }
        return hunks
    }
}
