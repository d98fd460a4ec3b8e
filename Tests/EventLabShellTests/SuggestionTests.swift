@testable import EventLabShell
import Testing

@Suite("Did you mean: the closest command word to a slip")
struct SuggestionTests {
    @Test("two neighbours swapped are one slip, as a missing, extra or wrong character is", arguments: [
        ("strat", "start"), ("sotp", "stop"), ("servce", "service"), ("publsih", "publish"), ("descrbe", "describe"),
    ])
    func slips(typed: String, meant: String) {
        #expect(CommandParser.suggestion(typed, among: ["start", "stop", "service", "publish", "describe"]) == " (did you mean '\(meant)'?)")
    }

    @Test("a word far from every candidate gets no suggestion")
    func farWord() {
        #expect(CommandParser.suggestion("billing", among: ["start", "stop"]) == "")
        #expect(CommandParser.editDistance("ab", "ba") == 1)
        #expect(CommandParser.editDistance("abc", "ca") == 3)
    }
}
