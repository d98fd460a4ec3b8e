/// Splits a command line into words the way a shell would, and a line into commands at `;`.
///
/// Quotes (`'…'`, `"…"`) group words and are removed; a backslash escapes the next character
/// outside single quotes; JSON (`{…}` or `[…]`) is one word with its quotes kept, so
/// `publish t key="a b" {"x": "y; z"}` is three words after `publish`.
public enum Words {
    /// Why a line could not be split.
    public struct Unfinished: Error, Equatable, CustomStringConvertible {
        /// What is left open, such as `a double quote`.
        public let what: String
        public var description: String { "\(what) is not closed" }
    }

    /// The commands on `line`, split at `;` outside quotes and JSON.
    public static func commands(in line: String) throws(Unfinished) -> [String] {
        var commands: [String] = []
        var current = ""
        var scanner = Scanner()
        for character in line {
            if character == ";" && scanner.isOutside {
                commands.append(current)
                current = ""
                continue
            }
            scanner.feed(character)
            current.append(character)
        }
        try scanner.finish()
        commands.append(current)
        return commands.map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// The words of one command.
    public static func split(_ command: String) throws(Unfinished) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        var depth = 0
        var jsonQuote = false
        for character in command {
            if depth > 0 {
                word.append(character)
                if jsonQuote {
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { jsonQuote = false }
                } else if character == "\"" {
                    jsonQuote = true
                } else if character == "{" || character == "[" {
                    depth += 1
                } else if character == "}" || character == "]" {
                    depth -= 1
                }
                continue
            }
            if escaped {
                word.append(character)
                escaped = false
                continue
            }
            if let open = quote {
                if character == open {
                    quote = nil
                } else if character == "\\" && open == "\"" {
                    escaped = true
                } else {
                    word.append(character)
                }
                continue
            }
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord {
                    words.append(word)
                    word = ""
                    inWord = false
                }
            case "'", "\"":
                quote = character
                inWord = true
            case "\\":
                escaped = true
                inWord = true
            case "{", "[":
                if !inWord || word.hasSuffix("=") {
                    depth = 1
                    inWord = true
                    word.append(character)
                } else {
                    word.append(character)
                }
            default:
                word.append(character)
                inWord = true
            }
        }
        if quote == "'" { throw Unfinished(what: "a single quote") }
        if quote == "\"" || jsonQuote { throw Unfinished(what: "a double quote") }
        if depth > 0 { throw Unfinished(what: "a JSON brace or bracket") }
        if escaped { throw Unfinished(what: "a backslash at the end") }
        if inWord { words.append(word) }
        return words
    }

    /// Tracks whether a position is outside quotes and JSON, to split at `;` and to tell
    /// whether a line needs a continuation.
    struct Scanner {
        private var quote: Character?
        private var escaped = false
        private var depth = 0
        private var jsonQuote = false

        var isOutside: Bool { quote == nil && depth == 0 && !escaped }

        mutating func feed(_ character: Character) {
            if depth > 0 {
                if jsonQuote {
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { jsonQuote = false }
                } else if character == "\"" {
                    jsonQuote = true
                } else if character == "{" || character == "[" {
                    depth += 1
                } else if character == "}" || character == "]" {
                    depth -= 1
                }
                return
            }
            if escaped {
                escaped = false
                return
            }
            if let open = quote {
                if character == open { quote = nil } else if character == "\\" && open == "\"" { escaped = true }
                return
            }
            switch character {
            case "'", "\"": quote = character
            case "\\": escaped = true
            case "{", "[": depth = 1
            default: break
            }
        }

        func finish() throws(Unfinished) {
            if quote == "'" { throw Unfinished(what: "a single quote") }
            if quote == "\"" || jsonQuote { throw Unfinished(what: "a double quote") }
            if depth > 0 { throw Unfinished(what: "a JSON brace or bracket") }
        }
    }

    /// True when `text` leaves a quote or JSON open, so the REPL asks for another line.
    public static func needsContinuation(_ text: String) -> Bool {
        var scanner = Scanner()
        text.forEach { scanner.feed($0) }
        return (try? scanner.finish()) == nil
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" || first == "\n" || first == "\r" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\n" || last == "\r" { text = text.dropLast() }
        return String(text)
    }
}
