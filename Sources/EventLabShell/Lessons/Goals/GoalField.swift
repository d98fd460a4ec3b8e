import EventLabPatterns

/// A field of a JSON state or row that a goal compares with the value it names: numbers as
/// numbers, anything else as the text it prints as.
enum GoalField {
    /// The field at `path` (dotted, `address.city`) of `json`; nil when there is none.
    static func value(_ json: JSON, _ path: String) -> JSON? {
        path.split(separator: ".", omittingEmptySubsequences: false).reduce(Optional(json)) { value, key in value?[String(key)] }
    }

    /// How `value` reads in a sentence and compares as text: a string bare, anything else as JSON.
    static func shown(_ value: JSON) -> String {
        if case .string(let text) = value { return text }
        return value.description
    }

    /// Whether `value` compares with `goal` by `comparison`: as numbers when both are numbers,
    /// else as text.
    static func holds(_ value: JSON, _ comparison: GoalComparison, _ goal: String) -> Bool {
        if case .number(let actual) = value, case .number(let wanted)? = try? JSONParser.parse(goal) {
            return comparison.holds(actual, wanted)
        }
        return comparison.holds(shown(value), goal)
    }

    /// The result of comparing field `path` of `json` with the goal's `VALUE`, said of `owner`
    /// (`aggregate accounts key a-1`).
    static func result(_ json: JSON, _ goal: GoalArguments, owner: String) -> GoalResult {
        let path = goal["FIELD"], wanted = goal.comparison.wanted(goal["VALUE"])
        guard let value = value(json, path) else {
            return GoalResult(met: false, "\(owner) has no field \(path); the goal is \(path) \(wanted)")
        }
        let fact = "\(owner) has \(path) \(shown(value))"
        return holds(value, goal.comparison, goal["VALUE"]) ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(wanted)")
    }
}

extension GoalSlot {
    /// A field of a JSON state or row, dotted for a nested one: `balance`, `address.city`.
    static let field = GoalSlot("FIELD", expects: "a field name, such as balance") { word throws(GoalWordProblem) in word }

    /// The value a field is compared with: a number compares as a number, else as text.
    static let fieldValue = GoalSlot("VALUE", expects: "a value, such as 10 or open") { word throws(GoalWordProblem) in word }
}
