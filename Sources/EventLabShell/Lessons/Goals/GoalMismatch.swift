/// Where a goal stops fitting one form, and why: what the errors of all forms are made of.
struct GoalMismatch: Error {
    /// The index of the word where the form stops fitting (the word count when one is missing).
    let index: Int
    /// What the form wanted there; nil when the goal should have ended.
    let expected: GoalPatternWord?
    /// What a slot, or the form's check of its words, found wrong with the word.
    let problem: String?

    /// The arguments of `words` from `start` on if they fit `form`, else where they stop fitting.
    static func match(_ form: GoalForm, _ words: [GoalWord], from start: Int, _ arguments: GoalArguments) -> Result<GoalArguments, GoalMismatch> {
        var arguments = arguments
        var positions: [String: Int] = [:]
        var index = start
        for part in form.words {
            guard index < words.count else { return .failure(GoalMismatch(index: index, expected: part, problem: nil)) }
            let word = words[index].text
            switch part {
            case .word(let fixed):
                guard word.lowercased() == fixed else { return .failure(GoalMismatch(index: index, expected: part, problem: nil)) }
            case .slot(let slot):
                do throws(GoalWordProblem) {
                    arguments[slot.placeholder] = try slot.read(word)
                    positions[slot.placeholder] = index
                } catch {
                    return .failure(GoalMismatch(index: index, expected: part, problem: error.message))
                }
            }
            index += 1
        }
        if index < words.count { return .failure(GoalMismatch(index: index, expected: nil, problem: nil)) }
        do throws(GoalWordProblem) {
            try form.prepare(&arguments)
        } catch {
            let at = error.placeholder.flatMap { positions[$0] } ?? start
            return .failure(GoalMismatch(index: at, expected: nil, problem: error.message))
        }
        return .success(arguments)
    }

    /// The error for a goal of `words` that fits none of its subject's forms: at the word the
    /// forms got furthest to, what each of them wanted there.
    static func error(_ failures: [GoalMismatch], _ words: [GoalWord], end: Int) -> GoalError {
        let furthest = failures.map(\.index).max()!
        let there = failures.filter { $0.index == furthest }
        let problems = there.compactMap(\.problem)
        var expected: [String] = []
        for failure in there where failure.expected != nil || failure.problem == nil {
            let wanted = failure.expected?.expected ?? "the end of the goal"
            if !expected.contains(wanted) { expected.append(wanted) }
        }
        let before = words[..<furthest].map(\.text).joined(separator: " ")
        guard furthest < words.count else {
            return GoalError(column: end, "`\(before)` ends too soon: next comes \(Goal.list(expected, or: true))")
        }
        let word = words[furthest]
        if problems.count == there.count, let problem = problems.first { return GoalError(column: word.column, problem) }
        let fixed = there.compactMap { failure -> String? in
            if case .word(let fixed) = failure.expected { return fixed }
            return nil
        }
        let wanted = expected.count == 1 ? expected[0] : "one of " + Goal.list(expected, or: true)
        return GoalError(
            column: word.column,
            "unexpected '\(word.text)' after `\(before)`\(Goal.didYouMean(word.text, fixed)): expected \(wanted)")
    }
}
