/// The head every rule starts with — `on TYPE [when CONDITION]` — up to the word that starts
/// its action (`emit` for a service, `set` for an aggregate, `put`… for a projection).
struct RuleHead {
    /// The event type the rule reacts to.
    let eventType: String
    /// The condition an event must meet, if any.
    let condition: Expression?
    /// Where the condition starts in the rule (1-based); 0 without one.
    let conditionColumn: Int
    /// The index in the rule's words of the word that starts its action.
    let action: Int

    /// Reads the head of `words`.
    ///
    /// - Parameters:
    ///   - actions: the words that start the rule's action.
    ///   - named: how errors name them, such as "`emit`".
    ///   - afterCondition: what an error expects after the condition, such as "`emit` and a topic".
    ///   - verb: what the rule does with its type, for the first error: "reacts to".
    ///   - compile: compiles the condition's text, found at a column, as the rule's "condition".
    init(
        _ words: RuleWords, actions: Set<String>, named: String, afterCondition: String, verb: String,
        compile: (String, Int, String) throws(RuleSyntaxError) -> Expression
    ) throws(RuleSyntaxError) {
        func fail(_ index: Int, _ message: String) -> RuleSyntaxError {
            RuleSyntaxError(column: words.column(index), message: message)
        }
        func word(_ index: Int) -> String? { index < words.words.count ? words.words[index].text : nil }

        guard word(0) == "on" else {
            throw fail(0, "expected `on` and the event type the rule \(verb), found \(words.shown(0))")
        }
        guard let type = word(1), type != "when", !actions.contains(type) else {
            throw fail(1, "expected an event type after `on`, found \(words.shown(1))")
        }
        eventType = type
        if word(2) == "when" {
            let start = 3
            guard let found = (start..<words.words.count).first(where: { actions.contains(words.words[$0].text) }) else {
                throw fail(words.words.count, "expected \(afterCondition) after the condition, found the end of the rule")
            }
            guard found > start else { throw fail(start, "expected a condition after `when`, found \(words.shown(start))") }
            conditionColumn = words.column(start)
            condition = try compile(words.span(start, found), conditionColumn, "condition")
            action = found
        } else {
            guard let verb = word(2), actions.contains(verb) else {
                throw fail(2, "expected `when` or \(named) after the event type, found \(words.shown(2))")
            }
            conditionColumn = 0
            condition = nil
            action = 2
        }
    }
}
