/// Lays words out in lines no wider than a width, for pictures that must fit a terminal.
enum FlowWrap {
    /// How far continuation lines are indented past the first.
    static let continuation = 4

    /// `words` joined by spaces from `indent`, broken before any word that would pass `width`;
    /// a word too long for a line on its own is cut and ends in `…`.
    static func lines(_ words: [String], indent: Int = 0, width: Int) -> [String] {
        let width = max(width, 1)
        let first = min(indent, width / 2)
        let rest = min(first + continuation, width / 2)
        var lines: [String] = []
        var line = ""
        var lineIndent = first
        for word in words {
            if line.isEmpty {
                line = String(repeating: " ", count: lineIndent) + fit(word, width - lineIndent)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                lineIndent = rest
                line = String(repeating: " ", count: lineIndent) + fit(word, width - lineIndent)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private static func fit(_ word: String, _ room: Int) -> String {
        word.count <= room ? word : word.prefix(max(room - 1, 0)) + "…"
    }
}
