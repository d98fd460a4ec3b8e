import EventLabShell
import Testing

@Suite("Padding after a placeholder")
struct LinePatternPaddingTests {
    @Test("the spaces after a named placeholder match however many a table padded it with")
    func paddingVariesAfterNamedPlaceholders() {
        let pattern = LinePattern("t  0  [TIME]  3")
        #expect(pattern.matches("t  0  2026-11-29T05:55:25Z  3"))
        #expect(pattern.matches("t  0  2026-11-29T05:55:25.250Z      3"))
        #expect(pattern.matches("t  0  2026-11-29T05:55:25Z 3"))
        #expect(!pattern.matches("t  0  2026-11-29T05:55:25Z3"))
    }

    @Test("spaces elsewhere, and after [..], still count exactly")
    func paddingIsExactElsewhere() {
        #expect(!LinePattern("t  0  [TIME]  3").matches("t 0  2026-11-29T05:55:25Z  3"))
        #expect(LinePattern("a[..]  b").matches("a x  b"))
        #expect(!LinePattern("[MEMBER]  x").matches("  x"))
    }
}
