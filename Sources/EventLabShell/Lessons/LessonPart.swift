/// The labels that start a lesson's parts: a line beginning `Label:`.
enum LessonPart: String, CaseIterable {
    case brokers = "Brokers"
    case setup = "Setup"
    case `try` = "Try"
    case goal = "Goal"
    case hint = "Hint"
    case solution = "Solution"
    case manual = "Manual"

    /// The part `line` starts and the text after its colon, if it starts one.
    static func starting(_ line: Substring) -> (part: LessonPart, rest: Substring)? {
        for part in allCases where line.hasPrefix(part.rawValue + ":") {
            let rest = line.dropFirst(part.rawValue.count + 1)
            if rest.isEmpty || rest.first == " " { return (part, rest.drop { $0 == " " }) }
        }
        return nil
    }

    /// The label of a line that looks like a part but is none, such as `Goals:` or `hint:`,
    /// so a misspelt part is an error rather than story text.
    static func lookalike(_ line: Substring) -> Substring? {
        guard let label = label(line) else { return nil }
        let lowered = label.lowercased()
        let known = allCases.map { $0.rawValue.lowercased() }
        return known.contains(lowered) || known.contains(String(lowered.dropLast())) ? label : nil
    }

    /// The word before a colon at the start of `line`, followed by a space or the line's end.
    static func label(_ line: Substring) -> Substring? {
        let word = line.prefix { $0.isLetter }
        guard !word.isEmpty, word.count <= 20 else { return nil }
        let rest = line.dropFirst(word.count)
        guard rest.hasPrefix(":"), rest.count == 1 || rest.dropFirst().first == " " else { return nil }
        return word
    }

    /// The parts a step may hold, for error messages.
    static let stepParts = "`Try:`, `Goal:`, `Hint:`, `Solution:` and `Manual:`"
}
