/// A rule definition that does not parse: the column (in Unicode scalars, as expression errors
/// count) in the rule's text where it went wrong, and what was expected — the same shape as an
/// expression's syntax error, which a rule's own errors carry over with their column moved.
public typealias RuleSyntaxError = ExpressionSyntaxError
