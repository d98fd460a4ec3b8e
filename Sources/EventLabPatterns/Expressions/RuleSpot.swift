/// Where in a rule's text a failure is, in words a learner finds it by: the part, its column as
/// `describe` prints the rule, and the text around that column, since a column alone is hard to
/// count on a terminal.
enum RuleSpot {
    /// How many characters of the rule are shown on each side of the column.
    static let reach = 10

    /// `the template at column 52 (near `…"due":$.total * 1.2}`)`, the column counted from 1 in `source`
    /// in Unicode scalars, as the lexer counts it: an `e` and a combining accent after it are two.
    static func describe(_ part: String, column: Int, in source: String) -> String {
        let scalars = Array(source.unicodeScalars)
        guard column >= 1, column <= scalars.count else { return "the \(part) at column \(column)" }
        let start = max(0, column - 1 - reach), end = min(scalars.count, column + reach)
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<end])
        let excerpt = (start > 0 ? "…" : "") + String(text) + (end < scalars.count ? "…" : "")
        return "the \(part) at column \(column) (near `\(excerpt)`)"
    }
}
