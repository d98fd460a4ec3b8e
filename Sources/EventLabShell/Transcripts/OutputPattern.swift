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
    public func matches(_ lines: [String]) -> Bool {
        Self.match(pieces[...], lines[...])
    }

    private static func match(_ pieces: ArraySlice<Piece>, _ lines: ArraySlice<String>) -> Bool {
        guard let piece = pieces.first else { return lines.isEmpty }
        switch piece {
        case .line(let pattern):
            guard let line = lines.first, pattern.matches(line) else { return false }
            return match(pieces.dropFirst(), lines.dropFirst())
        case .anyLines:
            return (0...lines.count).contains { match(pieces.dropFirst(), lines.dropFirst($0)) }
        }
    }
}
