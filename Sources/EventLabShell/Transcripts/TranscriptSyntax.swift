/// How each kind of transcript line starts; shared by the parser and the writer so what one
/// writes the other reads back.
enum TranscriptSyntax {
    /// The REPL's prompt, which starts a command.
    static let prompt = "eventlab> "
    /// The REPL's continuation prompt, as the recorder writes it.
    static let continuation = "     ...> "
    /// Starts a section heading.
    static let heading = "## "
    /// Starts narration.
    static let narration = "#"
    /// Starts a directive or a header setting.
    static let directive = "% "
    /// Makes the rest of the line an output line, whatever it looks like.
    static let escape = "\\"
    /// Alone on a line: any number of output lines.
    static let anyLines = "..."

    /// The lines of `text`, split at `\n` or `\r\n`; a final line end ends the last line rather
    /// than starting an empty one. (`\r\n` is one Character, so splitting at `"\n"` alone would
    /// leave a Windows file one long line.)
    static func lines(_ text: String) -> [Substring] {
        var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The text after a continuation prompt (`...> `, spaces before it allowed), or nil.
    static func continued(_ line: Substring) -> Substring? {
        let rest = line.drop { $0 == " " }
        guard rest.hasPrefix("...>") else { return nil }
        let after = rest.dropFirst(4)
        return after.hasPrefix(" ") ? after.dropFirst() : after
    }

    /// True if `line`, written as an output line, would be read as something else.
    static func needsEscape(_ line: String) -> Bool {
        line.hasPrefix("#") || line.hasPrefix("%") || line.hasPrefix(escape) || line.hasPrefix("eventlab>")
            || line == anyLines || continued(Substring(line)) != nil
    }
}
