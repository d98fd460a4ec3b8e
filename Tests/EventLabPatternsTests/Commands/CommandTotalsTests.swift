import EventLabPatterns
import Testing

@Suite("What a command's sends came to: accepted, rejected, validated again, gave up")
struct CommandTotalsTests {
    let state = AggregateState(.object([]))

    @Test("each send counts once as accepted or rejected, each try validated again counts, and a send that gave up counts apart")
    func counts() {
        var totals = CommandTotals()
        #expect(totals.summary == "0 accepted, 0 rejected")
        totals.add(CommandReport(key: "a-1", topic: "bank", partition: 0, conflicts: [], outcome: .accepted(branch: 1, appended: [], state: state)))
        totals.add(CommandReport(key: "a-1", topic: "bank", partition: 0, conflicts: [CommandConflict(validatedAt: 1, endedAt: 2)], outcome: .rejected("no", current: state)))
        totals.add(CommandContention(command: "deposit", topic: "bank", partition: 0, conflicts: [CommandConflict(validatedAt: 2, endedAt: 3), CommandConflict(validatedAt: 3, endedAt: 4)]))
        #expect(totals.accepted == 1)
        #expect(totals.rejected == 1)
        #expect(totals.summary == "1 accepted, 1 rejected, 3 validated again, 1 gave up")
    }
}
