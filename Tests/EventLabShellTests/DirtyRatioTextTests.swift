import Testing
@testable import EventLabShell

@Suite("dirty ratio text")
struct DirtyRatioTextTests {
    @Test("a ratio and its limit take two decimals, or as many more as it takes to tell them apart")
    func enoughDigits() {
        #expect(CompactionRun.format(0.67, beside: 0.5) == ("0.67", "0.50"))
        #expect(CompactionRun.format(0.5, beside: 0.5) == ("0.50", "0.50"))
        #expect(CompactionRun.format(0.501, beside: 0.5) == ("0.501", "0.500"))
        #expect(CompactionRun.format(0.4999, beside: 0.5) == ("0.4999", "0.5000"))
        #expect(CompactionRun.format(0.558, beside: 0.555) == ("0.558", "0.555"))
        #expect(CompactionRun.format(1, beside: 0.5) == ("1.00", "0.50"))
    }
}
