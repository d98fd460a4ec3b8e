/// A word of a goal's text and the column it starts at, for errors that say where.
struct GoalWord: Hashable, Sendable {
    let text: String
    /// 1-based, in characters.
    let column: Int
}

enum GoalWords {
    /// The words of `text`, split at spaces; single or double quotes hold a word with spaces
    /// (a key such as `'my key'`) or an empty one.
    static func split(_ text: String) throws(GoalError) -> [GoalWord] {
        var words: [GoalWord] = []
        var current: String?
        var start = 0
        var quote: (character: Character, column: Int)?
        for (index, character) in text.enumerated() {
            let column = index + 1
            if let open = quote {
                if character == open.character { quote = nil } else { current!.append(character) }
            } else if character == " " || character == "\t" {
                if let word = current { words.append(GoalWord(text: word, column: start)) }
                current = nil
            } else {
                if current == nil { (current, start) = ("", column) }
                if character == "'" || character == "\"" { quote = (character, column) } else { current!.append(character) }
            }
        }
        if let open = quote { throw GoalError(column: open.column, "the quote \(open.character) is not closed: close it with \(open.character)") }
        if let word = current { words.append(GoalWord(text: word, column: start)) }
        return words
    }
}
