import Foundation

/// Splits a command line into words the way a shell would, and a line into commands at `;`.
///
/// Quotes (`'…'`, `"…"`) group words and are removed; a backslash escapes the next character
/// outside single quotes; JSON (`{…}` or `[…]`) is one word with its quotes kept, so
/// `publish t key="a b" {"x": "y; z"}` is three words after `publish`.
///
/// A command goes on over several lines in two ways: a quote or JSON left open keeps its line
/// breaks, and a backslash at the end of a line (outside quotes and JSON) joins the next line,
/// the backslash and the line break counting as one space, as a shell's do between words.
public enum Words {
    /// Why a line could not be split.
    public struct Unfinished: Error, Equatable, CustomStringConvertible {
        /// What is left open, such as `a double quote`.
        public let what: String
        /// What is left open and how to finish the command.
        public var description: String {
            what == Self.backslash
                ? "the command ends in a backslash, which continues it on the next line, but no line follows: add the rest, or write `\\\\` for a backslash"
                : "\(what) is not closed: close it, or put the command on one line"
        }
        static let backslash = "a backslash at the end"
    }

    /// The commands on `line`, split at `;` outside quotes and JSON.
    public static func commands(in line: String) throws(Unfinished) -> [String] {
        var commands: [String] = []
        var current = ""
        var scanner = Scanner()
        var isIndent = false
        for character in line {
            if isIndent && (character == " " || character == "\t") { continue }
            isIndent = false
            if character == "\n" && scanner.endsInBackslash {
                // Made the one space it stands for, with the spaces around it, so a command cut
                // at a `;` on the next line does not end in a lone backslash, and a rule written
                // over several lines reads as one.
                scanner.feed(character)
                current.removeLast()
                while current.last == " " || current.last == "\t" { current.removeLast() }
                current.append(" ")
                isIndent = true
                continue
            }
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
        var json = JSONSpan()
        for character in command {
            if json.isOpen {
                word.append(character)
                json.feed(character)
                continue
            }
            if escaped {
                escaped = false
                if character == "\n" && quote == nil {
                    // A backslash ending a line joins the next one: a space between words.
                    if inWord { words.append(word); word = ""; inWord = false }
                } else {
                    word.append(character)
                    inWord = true
                }
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
            case "{", "[":
                if !inWord || word.hasSuffix("=") { json.open() }
                inWord = true
                word.append(character)
            default:
                word.append(character)
                inWord = true
            }
        }
        if quote == "'" { throw Unfinished(what: "a single quote") }
        if quote == "\"" || json.isInString { throw Unfinished(what: "a double quote") }
        if json.isOpen { throw Unfinished(what: "a JSON brace or bracket") }
        if escaped { throw Unfinished(what: Unfinished.backslash) }
        if inWord { words.append(word) }
        return words
    }

    /// What follows the first `count` words of `command` (one of ``commands(in:)``), as typed
    /// but for the spaces at its ends. The words passed over are a command's own and a name, so
    /// quotes inside them are taken whole but not undone.
    public static func text(of command: String, after count: Int) -> String {
        var rest = Substring(command)
        for _ in 0..<count {
            rest = rest.drop { $0.isWhitespace || $0 == "\\" }
            var quote: Character?
            rest = rest.drop { character in
                if let open = quote {
                    if character == open { quote = nil }
                    return true
                }
                if character == "'" || character == "\"" { quote = character }
                return !character.isWhitespace
            }
        }
        return rest.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The inside of a JSON value: nesting depth and JSON's own string quoting.
    struct JSONSpan {
        private(set) var depth = 0
        private var inString = false
        private var escaped = false

        var isOpen: Bool { depth > 0 }
        var isInString: Bool { inString }

        /// Starts a span at an opening brace or bracket.
        mutating func open() { depth = 1 }

        /// Takes the next character inside the span.
        mutating func feed(_ character: Character) {
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character == "\"" {
                inString = true
            } else if character == "{" || character == "[" {
                depth += 1
            } else if character == "}" || character == "]" {
                depth -= 1
            }
        }
    }

    /// Tracks whether a position is outside quotes and JSON, to split at `;` and to tell
    /// whether a line needs a continuation.
    struct Scanner {
        private var quote: Character?
        private var escaped = false
        private var json = JSONSpan()

        var isOutside: Bool { quote == nil && !json.isOpen && !escaped }
        /// True after a backslash outside quotes and JSON that nothing follows yet.
        var endsInBackslash: Bool { escaped && quote == nil }

        mutating func feed(_ character: Character) {
            if json.isOpen {
                json.feed(character)
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
            case "{", "[": json.open()
            default: break
            }
        }

        func finish() throws(Unfinished) {
            if quote == "'" { throw Unfinished(what: "a single quote") }
            if quote == "\"" || json.isInString { throw Unfinished(what: "a double quote") }
            if json.isOpen { throw Unfinished(what: "a JSON brace or bracket") }
        }
    }

    /// True when `text` leaves a quote or JSON open or ends in a backslash outside them, so
    /// the REPL asks for another line.
    public static func needsContinuation(_ text: String) -> Bool {
        var scanner = Scanner()
        text.forEach { scanner.feed($0) }
        return scanner.endsInBackslash || (try? scanner.finish()) == nil
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
