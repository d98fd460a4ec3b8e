import EventLabCore

/// A predicate over the broker's and the flows' live state that a lesson step asks a learner to reach, written
/// in words a teacher reads, such as `group billing lag == 0` (lessons/GOALS.md lists the forms).
public struct Goal: Hashable, Sendable, CustomStringConvertible {
    /// The goal as written.
    public let text: String
    let form: GoalForm
    let arguments: GoalArguments

    public var description: String { text }

    /// Goals are equal when their texts are: reading a text always gives the same goal.
    public static func == (lhs: Goal, rhs: Goal) -> Bool { lhs.text == rhs.text }

    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The goal `text` says, in the words of `vocabulary`.
    ///
    /// - Throws: ``GoalError`` at the first word that fits no form, saying what would fit
    ///   there, with "did you mean" for a misspelt word.
    public static func parse(_ text: String, vocabulary: GoalVocabulary = .standard) throws(GoalError) -> Goal {
        let words = try GoalWords.split(text)
        let end = text.count + 1
        guard let first = words.first else {
            throw GoalError(column: 1, "a goal is empty: start it with \(list(vocabulary.words, or: true)), such as `group billing lag == 0`")
        }
        guard let subject = vocabulary.subject(first.text) else {
            throw GoalError(
                column: first.column,
                "'\(first.text)' is not something a goal checks\(didYouMean(first.text, vocabulary.words)): a goal starts with \(list(vocabulary.words, or: true))")
        }
        var arguments = GoalArguments(values: [:])
        if let name = subject.name {
            guard words.count > 1 else {
                throw GoalError(column: end, "`\(subject.word)` needs a name next: \(name.expects), as in `\(subject.forms[0].example)`")
            }
            do throws(GoalWordProblem) {
                arguments["NAME"] = try name.read(words[1].text)
            } catch {
                throw GoalError(column: words[1].column, error.message)
            }
        }
        var failures: [GoalMismatch] = []
        for form in subject.forms {
            switch GoalMismatch.match(form, words, from: subject.name == nil ? 1 : 2, arguments) {
            case .success(let matched):
                return Goal(text: text, form: form, arguments: matched)
            case .failure(let mismatch):
                failures.append(mismatch)
            }
        }
        throw GoalMismatch.error(failures, words, end: end)
    }

    /// Whether the goal holds in `world` now, with a sentence saying what it holds.
    public func evaluate(on world: GoalWorld) -> GoalResult {
        form.evaluate(arguments, world)
    }

    /// `a, b or c` (`and` unless `or`).
    static func list(_ items: [String], or: Bool = false) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + items.last!
    }

    /// ` (did you mean 'x'?)` when one of `candidates` is close to `word`.
    static func didYouMean(_ word: String, _ candidates: [String]) -> String {
        CommandParser.suggestion(word, among: candidates)
    }
}
