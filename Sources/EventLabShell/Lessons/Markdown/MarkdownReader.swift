/// Reads the Markdown subset of `lessons/README.md` into blocks.
///
/// Every line lands somewhere: a line that starts no block of the subset is paragraph text,
/// so `### x` or a link reads as written. A fence left open runs to the end of the text; the
/// lesson parser refuses that before it gets here.
public enum MarkdownReader {
    /// The blocks of `text`.
    public static func read(_ text: String) -> [MarkdownBlock] {
        read(lines: text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }))
    }

    static func read(lines: [Substring]) -> [MarkdownBlock] {
        var blocks: [MarkdownBlock] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if isBlank(line) {
                index += 1
            } else if let fence = MarkdownFence(opening: line) {
                var end = index + 1
                while end < lines.count, !fence.isClosed(by: lines[end]) { end += 1 }
                blocks.append(.code(language: fence.language, lines: lines[(index + 1)..<min(end, lines.count)].map(String.init)))
                index = end + 1
            } else if quoted(line) != nil {
                var inner: [Substring] = []
                while index < lines.count, let rest = quoted(lines[index]) {
                    inner.append(rest)
                    index += 1
                }
                blocks.append(.quote(read(lines: inner)))
            } else if let item = ListItem(line) {
                var items: [String] = []
                while index < lines.count {
                    guard let next = ListItem(lines[index]), next.isNumbered == item.isNumbered else { break }
                    var text = next.text
                    index += 1
                    while index < lines.count, !isBlank(lines[index]), !startsBlock(lines[index]) {
                        text += " " + lines[index].trimmingSpaces
                        index += 1
                    }
                    items.append(text)
                    var after = index
                    while after < lines.count, isBlank(lines[after]) { after += 1 }
                    guard after < lines.count, let following = ListItem(lines[after]), following.isNumbered == item.isNumbered else { break }
                    index = after
                }
                let runs = items.map(MarkdownInlineReader.read)
                blocks.append(item.isNumbered ? .numbered(start: item.number, runs) : .bullets(runs))
            } else {
                var text = line.trimmingSpaces
                index += 1
                while index < lines.count, !isBlank(lines[index]), !startsBlock(lines[index]) {
                    text += " " + lines[index].trimmingSpaces
                    index += 1
                }
                blocks.append(.paragraph(MarkdownInlineReader.read(text)))
            }
        }
        return blocks
    }

    /// Whether `line` ends the paragraph or list item above it by starting a block of its own.
    static func startsBlock(_ line: Substring) -> Bool {
        MarkdownFence(opening: line) != nil || quoted(line) != nil || ListItem(line) != nil
    }

    static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// The rest of a block-quote line, without `>` and one space after it.
    static func quoted(_ line: Substring) -> Substring? {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix(">") else { return nil }
        let rest = trimmed.dropFirst()
        return rest.hasPrefix(" ") ? rest.dropFirst() : rest
    }

    /// A line opening a list item: `- `, `* ` or a number then `. `.
    struct ListItem {
        let isNumbered: Bool
        let number: Int
        let text: String

        init?(_ line: Substring) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                isNumbered = false
                number = 0
                text = trimmed.dropFirst(2).trimmingSpaces
                return
            }
            let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 9, trimmed.dropFirst(digits.count).hasPrefix(". "),
                  let number = Int(digits) else { return nil }
            isNumbered = true
            self.number = number
            text = trimmed.dropFirst(digits.count + 2).trimmingSpaces
        }
    }
}

extension Substring {
    var trimmingSpaces: String { String(self).trimmingSpaces }
}
