/// A rule's text as the shell keeps it.
public enum RuleText {
    /// `text` with each line break outside double quotes, and the spaces and tabs around it,
    /// made one space: a rule or upcaster typed over several lines (while its JSON was open) is
    /// stored as it reads on one. A line break inside a string is kept as typed.
    public static func oneLine(_ text: String) -> String {
        var line = ""
        var inString = false
        var escaped = false
        var afterBreak = false
        for character in text {
            if inString {
                line.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            if character == "\n" || character == "\r" || character == "\r\n" {
                while line.last == " " || line.last == "\t" { line.removeLast() }
                afterBreak = true
                continue
            }
            if afterBreak {
                if character == " " || character == "\t" { continue }
                if !line.isEmpty { line.append(" ") }
                afterBreak = false
            }
            if character == "\"" { inString = true }
            line.append(character)
        }
        return line
    }
}
