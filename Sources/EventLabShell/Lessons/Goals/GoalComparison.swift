/// A comparison of a number the broker holds with the number a goal names: `==`, `!=`, `<`,
/// `<=`, `>`, `>=`.
public enum GoalComparison: String, CaseIterable, Hashable, Sendable {
    /// Equal to.
    case equal = "=="
    /// Not equal to.
    case notEqual = "!="
    /// Less than.
    case less = "<"
    /// At most.
    case lessOrEqual = "<="
    /// More than.
    case greater = ">"
    /// At least.
    case greaterOrEqual = ">="

    /// The operators, as a teacher writes them.
    public static let spellings = allCases.map(\.rawValue)

    /// Whether `actual` compares with `goal` this way.
    public func holds<Value: Comparable>(_ actual: Value, _ goal: Value) -> Bool {
        switch self {
        case .equal: actual == goal
        case .notEqual: actual != goal
        case .less: actual < goal
        case .lessOrEqual: actual <= goal
        case .greater: actual > goal
        case .greaterOrEqual: actual >= goal
        }
    }

    /// What the goal wants, said after "the goal is": `0`, `at least 3`, `anything but 2`.
    public func wanted(_ goal: String) -> String {
        switch self {
        case .equal: goal
        case .notEqual: "anything but \(goal)"
        case .less: "less than \(goal)"
        case .lessOrEqual: "at most \(goal)"
        case .greater: "more than \(goal)"
        case .greaterOrEqual: "at least \(goal)"
        }
    }

    /// The result of comparing `actual` with `goal`: the fact alone when met, the fact and what
    /// the goal wants when not.
    public func result(_ actual: Int64, _ goal: Int64, fact: String) -> GoalResult {
        holds(actual, goal) ? GoalResult(met: true, fact) : GoalResult(met: false, "\(fact); the goal is \(wanted(String(goal)))")
    }
}
