/// Reads a paragraph's text into runs of plain, emphasised, strong and code text.
///
/// An opening mark with no closing one is kept as written, so a lone `*` or `` ` `` is just
/// a character. A backslash before any ASCII punctuation keeps that character as written.
/// Underscores are plain text: topic and group names such as `order_events` are common in
/// lessons and must never turn into emphasis.
public enum MarkdownInlineReader {
    /// The runs of `text`.
    public static func read(_ text: String) -> [MarkdownInline] {
        var reader = Reader(Array(text))
        return reader.read()
    }

    private struct Reader {
        let characters: [Character]
        var index = 0
        var runs: [MarkdownInline] = []
        var plain = ""

        init(_ characters: [Character]) { self.characters = characters }

        mutating func read() -> [MarkdownInline] {
            while index < characters.count {
                let character = characters[index]
                if character == "\\", index + 1 < characters.count, isPunctuation(characters[index + 1]) {
                    plain.append(characters[index + 1])
                    index += 2
                } else if character == "`" {
                    codeSpan()
                } else if character == "*" {
                    emphasis()
                } else {
                    plain.append(character)
                    index += 1
                }
            }
            flush()
            return runs
        }

        /// A run of backticks closed by a run of the same length; one space inside each end is
        /// dropped so that `` ` `x` ` `` can show a backtick.
        mutating func codeSpan() {
            let length = run(of: "`", at: index)
            var search = index + length
            while search < characters.count {
                let found = run(of: "`", at: search)
                if found == length {
                    var content = String(characters[(index + length)..<search])
                    if content.count >= 2, content.hasPrefix(" "), content.hasSuffix(" "), content.contains(where: { $0 != " " }) {
                        content = String(content.dropFirst().dropLast())
                    }
                    append(.code(content))
                    index = search + length
                    return
                }
                search += max(found, 1)
            }
            plain += String(repeating: "`", count: length)
            index += length
        }

        /// `**strong**` or `*emphasis*`: the text inside must not start or end with a space.
        mutating func emphasis() {
            let marks = run(of: "*", at: index) >= 2 ? 2 : 1
            let start = index + marks
            if start < characters.count, characters[start] != " ", let end = closing(marks, from: start),
               characters[end - 1] != " " {
                let content = unescaped(characters[start..<end])
                append(marks == 2 ? .strong(content) : .emphasis(content))
                index = end + marks
            } else {
                plain += String(repeating: "*", count: marks)
                index = start
            }
        }

        func closing(_ marks: Int, from start: Int) -> Int? {
            var search = start + 1
            while search < characters.count {
                if characters[search] == "\\" {
                    search += 2
                    continue
                }
                let found = run(of: "*", at: search)
                if found == marks { return search }
                search += max(found, 1)
            }
            return nil
        }

        /// `text` with each backslash before punctuation dropped.
        func unescaped(_ text: ArraySlice<Character>) -> String {
            var result = ""
            var escaping = false
            for (offset, character) in zip(text.indices, text) {
                if !escaping, character == "\\", offset + 1 < text.endIndex, isPunctuation(text[offset + 1]) {
                    escaping = true
                    continue
                }
                escaping = false
                result.append(character)
            }
            return result
        }

        func run(of mark: Character, at start: Int) -> Int {
            var end = start
            while end < characters.count, characters[end] == mark { end += 1 }
            return end - start
        }

        mutating func append(_ inline: MarkdownInline) {
            flush()
            runs.append(inline)
        }

        mutating func flush() {
            if !plain.isEmpty { runs.append(.text(plain)) }
            plain = ""
        }

        func isPunctuation(_ character: Character) -> Bool {
            character.isASCII && character.isPunctuation || character.isASCII && character.isSymbol
        }
    }
}
