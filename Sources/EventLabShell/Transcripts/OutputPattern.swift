/// A command's expected output as a whole: its lines, each a ``LinePattern``, and `...` lines
/// that stand for any number of lines.
public struct OutputPattern: Sendable {
    private enum Piece: Sendable {
        case line(LinePattern)
        case anyLines
    }

    private let pieces: [Piece]

    /// The pattern for `expected`.
    public init(_ expected: [ExpectedLine]) {
        pieces = expected.map {
            switch $0 {
            case .line(let text): .line(LinePattern(text))
            case .anyLines: .anyLines
            }
        }
    }

    /// True if `lines` (the printed output, one string per line) is what the pattern says.
    ///
    /// A loop, not recursion, so an output of a million lines cannot overflow the stack: lines are
    /// matched in step, and on a miss the last `...` takes one more line and matching resumes
    /// after it (as a shell matches `*`; an earlier `...` never needs to take more).
    public func matches(_ lines: [String]) -> Bool {
        var piece = 0, line = 0
        /// The last `...` met, and the first line not yet taken by it.
        var anyLines: (piece: Int, line: Int)?
        while line < lines.count {
            if piece < pieces.count, case .line(let pattern) = pieces[piece], pattern.matches(lines[line]) {
                piece += 1
                line += 1
            } else if piece < pieces.count, case .anyLines = pieces[piece] {
                anyLines = (piece, line)
                piece += 1
            } else if let last = anyLines {
                anyLines = (last.piece, last.line + 1)
                piece = last.piece + 1
                line = last.line + 1
            } else {
                return false
            }
        }
        return pieces[piece...].allSatisfy { if case .anyLines = $0 { true } else { false } }
    }
}
