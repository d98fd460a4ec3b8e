/// A rule's text cut into top-level words: runs of text separated by spaces that lie outside
/// double quotes and brackets, so a template such as `{"a": $.x + 1}` is one stretch of words
/// whose inner spaces never split it. The rule's parts end at keywords found only at top level.
struct RuleWords {
    /// One word: its text and where it lies, as indices into `scalars`.
    struct Word {
        var text: String
        var start: Int
        var end: Int
    }

    let scalars: [Unicode.Scalar]
    let words: [Word]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        var words: [Word] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start: Int?
        for (index, scalar) in scalars.enumerated() {
            if inString {
                if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == "\"" { inString = false }
                continue
            }
            switch scalar {
            case "\"": inString = true
            case "{", "[", "(": depth += 1
            case "}", "]", ")": depth = max(0, depth - 1)
            default: break
            }
            let isSpace = scalar.properties.isWhitespace
            if isSpace && depth == 0 {
                if let begun = start {
                    words.append(Word(text: Self.text(scalars[begun..<index]), start: begun, end: index))
                    start = nil
                }
            } else if start == nil, !isSpace {
                start = index
            }
        }
        if let begun = start {
            words.append(Word(text: Self.text(scalars[begun...]), start: begun, end: scalars.count))
        }
        self.words = words
    }

    /// The text from word `first` up to (not including) word `limit`, as written, spaces inside kept.
    func span(_ first: Int, _ limit: Int) -> String {
        guard first < limit else { return "" }
        return Self.text(scalars[words[first].start..<words[limit - 1].end])
    }

    /// The 1-based column of word `index`, or of the end of the rule when there is no such word.
    func column(_ index: Int) -> Int {
        index < words.count ? words[index].start + 1 : scalars.count + 1
    }

    /// How word `index` is shown in an error: quoted on one line, long words cut, or `the end of
    /// the rule`.
    func shown(_ index: Int) -> String {
        guard index < words.count else { return "the end of the rule" }
        let scalars = words[index].text.unicodeScalars
        let kept = scalars.prefix(40).map { $0.properties.isWhitespace || $0.value < 0x20 ? $0.escaped(asASCII: false) : String($0) }
        return "`\(kept.joined())\(scalars.count > 40 ? "…" : "")`"
    }

    static func text<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
