import EventLabPatterns
import Testing

@Suite("When a live aggregate writes its snapshots")
struct AggregateSnapshotScheduleTests {
    @Test("it counts events folded since the last snapshot, the last rebuild or the start, and says which")
    func counting() {
        var schedule = AggregateSnapshotSchedule(every: 3)
        #expect(schedule.describe(topic: "a-snapshots", source: "bank")
            == "snapshots: every key's state to a-snapshots after each 3 events folded; no snapshot of these states yet, 0 events folded since the start")
        #expect([schedule.folded(mixesRules: false), schedule.folded(mixesRules: false), schedule.folded(mixesRules: false)] == [.wait, .wait, .write])
        schedule.written(at: [0: 3])
        #expect(schedule.folded(mixesRules: false) == .wait)
        #expect(schedule.describe(topic: "a-snapshots", source: "bank")
            == "snapshots: every key's state to a-snapshots after each 3 events folded; the last with bank read up to p0 @2, 1 event folded since it")
        // A rebuild from the start folds every event again, and the count starts again.
        schedule.rebuilt(snapshotsAt: nil)
        #expect(schedule.describe(topic: "a-snapshots", source: "bank")
            == "snapshots: every key's state to a-snapshots after each 3 events folded; no snapshot of these states yet, 0 events folded since the last rebuild")
        #expect([schedule.folded(mixesRules: false), schedule.folded(mixesRules: false), schedule.folded(mixesRules: false)] == [.wait, .wait, .write])
        schedule.rebuilt(snapshotsAt: [0: 5, 1: 2])
        #expect(schedule.describe(topic: "a-snapshots", source: "bank")
            == "snapshots: every key's state to a-snapshots after each 3 events folded; the last with bank read up to p0 @4, p1 @1, 0 events folded since the last rebuild")
    }

    @Test("a snapshot due while the states mix rules is refused once, and written again after a rebuild")
    func refused() {
        var schedule = AggregateSnapshotSchedule(every: 2)
        #expect([schedule.folded(mixesRules: true), schedule.folded(mixesRules: true), schedule.folded(mixesRules: true)] == [.wait, .refuse, .wait])
        #expect(schedule.mixedRules("a", mixesRules: true)
            == "a snapshot is due (3 events folded, each 2 write one) but not written: its states mix rules, so a snapshot would hold states its rules do not give; `aggregate rebuild a` folds them under the rules as they are, and snapshots go on")
        schedule.rebuilt(snapshotsAt: nil)
        #expect(schedule.mixedRules("a", mixesRules: false) == nil)
        #expect([schedule.folded(mixesRules: false), schedule.folded(mixesRules: false)] == [.wait, .write])
    }

    @Test("a changed --snapshot-every forgets a refusal: what is due is judged by the new setting, and refused and said again")
    func changedEvery() {
        var schedule = AggregateSnapshotSchedule(every: 2)
        #expect([schedule.folded(mixesRules: true), schedule.folded(mixesRules: true), schedule.folded(mixesRules: true), schedule.folded(mixesRules: true)] == [.wait, .refuse, .wait, .wait])
        schedule.change(every: 100)
        #expect(schedule.mixedRules("a", mixesRules: true)
            == "no snapshot is written while its states mix rules, so a snapshot would hold states its rules do not give; `aggregate rebuild a` folds them under the rules as they are, and snapshots go on")
        // Off and on again: the next snapshot due is refused, and said, once more.
        schedule.change(every: nil)
        schedule.change(every: 3)
        #expect(schedule.folded(mixesRules: true) == .refuse)
        #expect(schedule.folded(mixesRules: true) == .wait)
        schedule.change(every: 1)
        #expect(schedule.describe(topic: "a-snapshots", source: "bank")
            == "snapshots: every key's state to a-snapshots after each event folded; no snapshot of these states yet, 6 events folded since the start")
    }

    @Test("without --snapshot-every it says nothing until `aggregate snapshot` writes one")
    func manual() {
        var schedule = AggregateSnapshotSchedule()
        #expect(schedule.folded(mixesRules: false) == .wait)
        #expect(schedule.describe(topic: "a-snapshots", source: "bank") == nil)
        schedule.written(at: [0: 1])
        #expect(schedule.describe(topic: "a-snapshots", source: "bank")
            == "snapshots: every key's state to a-snapshots on `aggregate snapshot` only; the last with bank read up to p0 @0, 0 events folded since it")
    }
}
