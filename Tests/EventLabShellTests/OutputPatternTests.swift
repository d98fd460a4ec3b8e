import EventLabShell
import Testing

/// A command's whole expected output, with `...` standing for any number of lines.
@Suite("Matching a command's output")
struct OutputPatternTests {
    func matches(_ expected: [ExpectedLine], _ printed: [String]) -> Bool { OutputPattern(expected).matches(printed) }

    @Test("no expected lines match only a command that printed nothing")
    func nothing() {
        #expect(matches([], []))
        #expect(!matches([], [""]))
        #expect(!matches([.line("")], []))
    }

    @Test("lines match one for one, each with its placeholders")
    func lineByLine() {
        #expect(matches([.line("a"), .line("[..] b")], ["a", "x b"]))
        #expect(!matches([.line("a"), .line("b")], ["a"]))
        #expect(!matches([.line("a")], ["a", "b"]))
        #expect(!matches([.line("a"), .line("b")], ["b", "a"]))
    }

    @Test("`...` matches no lines", arguments: [
        [ExpectedLine.anyLines], [.line("a"), .anyLines], [.anyLines, .line("a")], [.line("a"), .anyLines, .anyLines],
    ])
    func zeroLines(expected: [ExpectedLine]) {
        #expect(matches(expected, expected.contains(.line("a")) ? ["a"] : []))
    }

    @Test("`...` matches many lines, at the start, the middle or the end")
    func manyLines() {
        let printed = ["head", "1", "2", "3", "tail"]
        #expect(matches([.anyLines], printed))
        #expect(matches([.anyLines, .line("tail")], printed))
        #expect(matches([.line("head"), .anyLines], printed))
        #expect(matches([.line("head"), .anyLines, .line("tail")], printed))
        #expect(matches([.line("head"), .anyLines, .line("2"), .anyLines, .line("tail")], printed))
        #expect(!matches([.line("head"), .anyLines, .line("4"), .anyLines, .line("tail")], printed))
        #expect(!matches([.line("head"), .anyLines, .line("3")], printed))
    }

    @Test("`...` gives back lines the pattern after it needs")
    func backtracks() {
        #expect(matches([.anyLines, .line("x"), .line("y")], ["x", "x", "y"]))
        #expect(matches([.anyLines, .line("[..]"), .line("end")], ["a", "b", "end"]))
        #expect(matches([.line("a"), .anyLines, .line("a"), .anyLines, .line("a")], ["a", "a", "a"]))
        #expect(!matches([.line("a"), .anyLines, .line("a"), .anyLines, .line("a")], ["a", "a"]))
    }

    @Test("an output of half a million lines is matched, with and without `...`")
    func hugeOutput() {
        let printed = (0..<500_000).map { "p0 @\($0)  k  v" }
        #expect(matches(printed.map(ExpectedLine.line), printed))
        #expect(matches([.line("p0 @0  k  v"), .anyLines, .line("p0 @[PID]  k  v")], printed))
        #expect(!matches(printed.dropLast().map(ExpectedLine.line), printed))
    }
}
