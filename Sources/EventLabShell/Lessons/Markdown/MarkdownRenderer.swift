/// Markdown blocks as terminal lines, wrapped to a width.
///
/// On a terminal, strong text and code are bold and emphasis is italic, with the marks
/// dropped; without one (``Style/isEnabled`` false) the marks are kept as written, so the text
/// still shows what was stressed and what is a command, and the output is plain and the same
/// every time. Code blocks are indented and never wrapped, and neither is a code span: a
/// command is copied as one piece.
public struct MarkdownRenderer: Sendable {
    /// The widest line, in characters, that wrapping aims for; a code span or block wider than
    /// that is left whole.
    public let width: Int
    /// Whether marks become bold and italic.
    public let style: Style

    /// A renderer wrapping to `width` (at least 20).
    public init(width: Int, style: Style) {
        self.width = max(width, 20)
        self.style = style
    }

    /// `blocks` as lines, with an empty line between blocks.
    public func render(_ blocks: [MarkdownBlock]) -> [String] {
        render(blocks, width: width)
    }

    /// One paragraph's runs as lines no wider than `width` where the words allow.
    public func render(_ runs: [MarkdownInline]) -> [String] {
        wrap(runs, width: width)
    }

    private func render(_ blocks: [MarkdownBlock], width: Int) -> [String] {
        var lines: [String] = []
        for block in blocks {
            if !lines.isEmpty { lines.append("") }
            lines += render(block, width: width)
        }
        return lines
    }

    private func render(_ block: MarkdownBlock, width: Int) -> [String] {
        switch block {
        case .paragraph(let runs):
            return wrap(runs, width: width)
        case .bullets(let items):
            return items.flatMap { hanging("- ", wrap($0, width: width - 2)) }
        case .numbered(let start, let items):
            let widest = String(start + items.count - 1).count + 2
            return items.enumerated().flatMap { offset, runs in
                let label = "\(start + offset)."
                return hanging(label + String(repeating: " ", count: widest - label.count), wrap(runs, width: width - widest))
            }
        case .code(_, let lines):
            return lines.map { $0.isEmpty ? "" : "    " + $0 }
        case .quote(let blocks):
            let bar = style.isEnabled ? style.paint("│", "2") + " " : "> "
            return render(blocks, width: width - 2).map { $0.isEmpty ? String(bar.dropLast()) : bar + $0 }
        }
    }

    /// `lines` with `label` before the first and its width of spaces before the others.
    private func hanging(_ label: String, _ lines: [String]) -> [String] {
        let indent = String(repeating: " ", count: label.count)
        return lines.enumerated().map { $0.offset == 0 ? label + $0.element : ($0.element.isEmpty ? "" : indent + $0.element) }
    }

    private func wrap(_ runs: [MarkdownInline], width: Int) -> [String] {
        let words = WrappedWords(runs, marked: !style.isEnabled).words
        var lines: [String] = []
        var line = ""
        var used = 0
        for word in words {
            let length = word.reduce(0) { $0 + $1.text.count }
            let shown = word.map { paint($0) }.joined()
            if used > 0, used + 1 + length > max(width, 1) {
                lines.append(line)
                line = ""
                used = 0
            }
            line += used > 0 ? " " + shown : shown
            used += used > 0 ? 1 + length : length
        }
        if used > 0 { lines.append(line) }
        return lines
    }

    private func paint(_ piece: WrappedWords.Piece) -> String {
        switch piece.look {
        case .plain: piece.text
        case .strong, .code: style.paint(piece.text, "1")
        case .emphasis: style.paint(piece.text, "3")
        }
    }
}

/// A paragraph's runs cut into words at the spaces of its text, never inside code.
struct WrappedWords {
    enum Look { case plain, emphasis, strong, code }

    /// Text in one look; a word is one or more pieces with no space between them.
    struct Piece {
        var text: String
        let look: Look
    }

    private(set) var words: [[Piece]] = []
    private var word: [Piece] = []

    /// The words of `runs`; `marked` keeps Markdown's marks in the text instead of a look.
    init(_ runs: [MarkdownInline], marked: Bool) {
        for run in runs {
            switch run {
            case .text(let text): add(text, .plain)
            case .emphasis(let text): marked ? add("*" + text + "*", .plain) : add(text, .emphasis)
            case .strong(let text): marked ? add("**" + text + "**", .plain) : add(text, .strong)
            case .code(let text): append(Piece(text: marked ? "`" + text + "`" : text, look: marked ? .plain : .code))
            }
        }
        endWord()
    }

    private mutating func add(_ text: String, _ look: Look) {
        for character in text {
            if character == " " {
                endWord()
            } else {
                append(Piece(text: String(character), look: look))
            }
        }
    }

    private mutating func append(_ piece: Piece) {
        if let last = word.last, last.look == piece.look, piece.look != .code {
            word[word.count - 1].text += piece.text
        } else {
            word.append(piece)
        }
    }

    private mutating func endWord() {
        if !word.isEmpty { words.append(word) }
        word = []
    }
}
