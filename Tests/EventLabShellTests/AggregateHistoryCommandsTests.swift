import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

private func shell(_ test: TestBroker) -> (Shell, CapturedOutput) {
    let output = CapturedOutput()
    return (Shell(broker: test.broker, logicalClock: test.clock, output: output, width: 100), output)
}

/// Runs `line`, expecting it to succeed, and returns the lines it printed.
private func run(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> [String] {
    output.clear()
    #expect(shell.execute(line), "\(line): \(output.text)")
    return output.text.split(separator: "\n").map(String.init)
}

/// Runs `line`, expecting it to fail, and returns its error.
private func fail(_ shell: Shell, _ output: CapturedOutput, _ line: String) -> String {
    output.clear()
    #expect(!shell.execute(line), "\(line) should fail: \(output.text)")
    return output.errors.joined(separator: "\n")
}

/// x deposits 1 and 10, is snapshotted, retention deletes both events, and x deposits 100.
private let deletedUnderSnapshot = [
    "topic create bank --retention 1h --segment-age 10m",
    #"aggregate create acct --from bank --key $.a --init {"bal":0}"#,
    "aggregate acct on Dep set bal = state.bal + $.n",
    #"publish bank key=x {"type":"Dep","a":"x","n":1}"#, "clock advance 5m",
    #"publish bank key=x {"type":"Dep","a":"x","n":10}"#,
    "aggregate snapshot acct", "clock advance 2h",
    #"publish bank key=x {"type":"Dep","a":"x","n":100}"#,
].joined(separator: "; ")

@Suite("aggregate commands: history deleted, snapshots placed, points checked, manual flow")
struct AggregateHistoryCommandsTests {
    @Test("retention deleted what a snapshot holds: time travel and the picture start from the snapshot, numbered as the state")
    func deletedUnderASnapshot() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(deletedUnderSnapshot))
        #expect(run(shell, output, "state acct x") == [#"{"bal":111}"#, "version 3, its last event at bank p0 @2"])
        #expect(run(shell, output, "state acct x --version 3") == [#"{"bal":111}"#, "version 3 of 3, its last event Dep at bank p0 @2 (2024-01-01T02:05:00Z)"])
        #expect(run(shell, output, "state acct x --version 2") == [
            #"{"bal":11}"#, "version 2 of 3, from its snapshot in acct-snapshots: retention deleted x's first 2 events: bank's log starts at p0 @2",
        ])
        #expect(fail(shell, output, "state acct x --version 1").contains("--version 1 is gone: retention deleted x's first 2 events: bank's log starts at p0 @2"))
        #expect(fail(shell, output, "state acct x --at 2024-01-01T00:06:00Z").contains("its snapshot holds the state after them, v2, but not when they were"))
        #expect(run(shell, output, "state acct x --trace") == [
            "(retention deleted x's first 2 events: bank's log starts at p0 @2)",
            #"v0  initial                           {"bal":0}"#,
            #"v2  snapshot in acct-snapshots        {"bal":11}"#,
            #"v3  p0 @2  2024-01-01T02:05:00Z  Dep  {"bal":111}"#,
        ])
        #expect(run(shell, output, "show aggregate acct x") == [
            "aggregate acct · key x · 3 events of bank",
            "  ○ initial",
            #"  │   {"bal":0}"#,
            "  ┊ retention deleted x's first 2 events: bank's log starts at p0 @2",
            "  │ ◆ snapshot v2 in acct-snapshots (events before p0 @2 folded in)",
            #"  │   {"bal":11}"#,
            "  ● v3 Dep  (p0 @2)",
            #"      {"bal":111}"#,
            "a rebuild starts x from its snapshot at v2 and replays 1 event",
        ])
    }

    @Test("retention deleted a key's first events with no snapshot: the trace, --at and a rebuild say so")
    func deletedWithoutASnapshot() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute([
            "topic create bank --retention 1h --segment-age 10m",
            #"aggregate create acct --from bank --key $.a --init {"bal":0}"#,
            "aggregate acct on Dep set bal = state.bal + $.n",
            #"publish bank key=x {"type":"Dep","a":"x","n":10}"#, "clock advance 30m",
            #"publish bank key=x {"type":"Dep","a":"x","n":5}"#, "clock advance 2h",
            #"publish bank key=x {"type":"Dep","a":"x","n":1}"#,
        ].joined(separator: "; ")))
        #expect(run(shell, output, "state acct x --trace").first
            == "(retention deleted x's first 2 events, which aggregate acct folded before (its state is at version 3): bank's log starts at p0 @2; the versions and states below count from the first event kept)")
        #expect(fail(shell, output, "state acct x --at 0").contains("--at 0 is before what the log holds of x: retention deleted x's first 2 events"))
        #expect(run(shell, output, "aggregate rebuild acct").contains(
            "bank's log starts at p0 @2: retention deleted the records before, so the states hold none of their events"))
    }

    @Test("show aggregate places the snapshot by its offsets, not by the partition order events are drawn in")
    func snapshotPlacedByOffsets() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute([
            "topic create bank --partitions 3 --retention forever",
            #"aggregate create acct --from bank --key $.a --init {"log":""}"#,
            "aggregate acct on E set log = state.log + $.s",
            #"publish bank key=x {"type":"E","a":"x","s":"1"}"#, #"publish bank key=zz {"type":"E","a":"x","s":"2"}"#,
            #"publish bank key=x {"type":"E","a":"x","s":"3"}"#, #"publish bank key=q {"type":"E","a":"x","s":"4"}"#,
            "aggregate snapshot acct",
            #"publish bank key=zz {"type":"E","a":"x","s":"5"}"#, #"publish bank key=x {"type":"E","a":"x","s":"6"}"#,
        ].joined(separator: "; ")))
        let picture = run(shell, output, "show aggregate acct x")
        let marker = try #require(picture.firstIndex { $0.contains("◆ snapshot v4") })
        // Every event above the marker is inside the snapshot, every one below it after.
        let above = picture[..<marker].filter { $0.contains("●") }
        let below = picture[marker...].filter { $0.contains("●") }
        #expect(above.count == 4)
        #expect(below.map { $0.contains("v5") || $0.contains("v6") } == [true, true])
        #expect(picture.last == "a rebuild starts x from its snapshot at v4 and replays 2 events")
    }

    @Test("--at an offset is one of the key's partition: its event published under another key elsewhere is left out, and said so")
    func offsetInTheKeysPartition() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(([
            "topic create acc --partitions 2 --retention forever",
            #"aggregate create a --from acc --key $.id --init {"bal":0}"#, "aggregate a on Dep set bal = state.bal + $.amt",
        ] + [1, 10, 100, 1000].map { #"publish acc key=a-1 {"type":"Dep","id":"a-1","amt":\#($0)}"# }).joined(separator: "; ")))
        #expect(run(shell, output, "state a a-1 --at 1") == [#"{"bal":11}"#, "version 2 of 4, its last event Dep at acc p0 @1 (2024-01-01T00:00:00Z)"])
        #expect(run(shell, output, #"publish acc key=tx-1 {"type":"Dep","id":"a-1","amt":10000}"#).first?.hasPrefix("acc p1 @0") == true)
        let note = "(1 of a-1's events is in acc outside its partition p0, published under another key, so offsets of p0 do not order it: the fold reads partitions in index order, so this state leaves out the one at p1 @0; --at TIME orders them by time, --version N by fold order)"
        #expect(run(shell, output, "state a a-1 --at 1") == [#"{"bal":11}"#, "version 2 of 5, its last event Dep at acc p0 @1 (2024-01-01T00:00:00Z)", note])
        #expect(run(shell, output, "state a a-1 --at 0") == [#"{"bal":1}"#, "version 1 of 5, its last event Dep at acc p0 @0 (2024-01-01T00:00:00Z)", note])
        #expect(run(shell, output, "state a a-1 --at 3").prefix(2) == [#"{"bal":1111}"#, "version 4 of 5, its last event Dep at acc p0 @3 (2024-01-01T00:00:00Z)"])
        #expect(run(shell, output, "state a a-1 --version 5").first == #"{"bal":11111}"#)
        #expect(run(shell, output, "state a a-1 --at 1 --trace").suffix(2) == [#"v2  p0 @1  2024-01-01T00:00:00Z  Dep  {"bal":11}"#, note])
        // a-2 hashes to p1, but its one event went to p0 under key a-1: no offset of p1 orders it.
        #expect(shell.execute(#"publish acc key=a-1 {"type":"Dep","id":"a-2","amt":5}"#))
        #expect(fail(shell, output, "state a a-2 --at 0").hasPrefix("error: --at 0 is an offset in a-2's partition, acc p1 (where key a-2 hashes), and none of its events are there"))
        #expect(run(shell, output, "state a a-2 --version 1").first == #"{"bal":5}"#)
        // Once a-2 has an event in p1, an offset there gives a version, which holds p0's event: the fold reads p0 first.
        #expect(run(shell, output, #"publish acc key=a-2 {"type":"Dep","id":"a-2","amt":50}"#).first?.hasPrefix("acc p1 @1") == true)
        #expect(run(shell, output, "state a a-2 --at 1") == [
            #"{"bal":55}"#, "version 2 of 2, its last event Dep at acc p1 @1 (2024-01-01T00:00:00Z)",
            "(1 of a-2's events is in acc outside its partition p1, published under another key, so offsets of p1 do not order it: the fold reads partitions in index order, so this state holds the one at p0 @4; --at TIME orders them by time, --version N by fold order)",
        ])
    }

    @Test("--at a time is the last version whose events are all at or before it: an earlier-stamped event the fold reads later is left out, and said so")
    func timeAcrossPartitions() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        // a-1 hashes to p0; its first event goes to p1 under another key, an hour before p0's second.
        #expect(shell.execute([
            "topic create acc --partitions 2 --retention forever",
            #"aggregate create a --from acc --key $.id --init {"bal":0}"#, "aggregate a on Dep set bal = state.bal + $.amt",
            #"publish acc key=a-1 {"type":"Dep","id":"a-1","amt":1}"#, #"publish acc key=tx-1 {"type":"Dep","id":"a-1","amt":10}"#,
            "clock advance 1h", #"publish acc key=a-1 {"type":"Dep","id":"a-1","amt":100}"#,
        ].joined(separator: "; ")))
        // Fold order: p0 @0 (00:00), p0 @1 (01:00), p1 @0 (00:00). At 00:30 only v1 had all its events.
        #expect(run(shell, output, "state a a-1 --at 2024-01-01T00:30:00Z") == [
            #"{"bal":1}"#, "version 1 of 3, its last event Dep at acc p0 @0 (2024-01-01T00:00:00Z)",
            "(1 of a-1's events stamped at or before 2024-01-01T00:30:00Z is folded after p0 @1, stamped 2024-01-01T01:00:00Z: the fold reads partitions in index order, so this state, the last whose events are all at or before the time, leaves out p1 @0; --version N shows the versions after it)",
        ])
        #expect(run(shell, output, "state a a-1 --at 2024-01-01T01:00:00Z").prefix(2) == [#"{"bal":111}"#, "version 3 of 3, its last event Dep at acc p1 @0 (2024-01-01T00:00:00Z)"])
    }

    @Test("--at past the partition's end is refused, --version 0 is the initial state")
    func points() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute([
            "topic create bank --retention forever",
            #"aggregate create acct --from bank --key $.a --init {"n":0}"#, "aggregate acct on E set n = state.n + 1",
            #"publish bank key=x {"type":"E","a":"x"}"#, #"publish bank key=x {"type":"E","a":"x"}"#,
        ].joined(separator: "; ")))
        #expect(fail(shell, output, "state acct x --at 1704067205000")
            == "error: --at 1704067205000 is past the end of the log: bank p0, the key's partition, ends at 2 (its next offset); give an offset below 2, or a UTC time such as 2024-01-01T00:00:05Z")
        #expect(run(shell, output, "state acct x --at 1") == [#"{"n":2}"#, "version 2 of 2, its last event E at bank p0 @1 (2024-01-01T00:00:00Z)"])
        #expect(run(shell, output, "state acct x --version 0") == [#"{"n":0}"#, "version 0 of 2: the initial state, before any event"])
        #expect(run(shell, output, "state acct x --version 0 --trace") == [#"v0  initial  {"n":0}"#])
    }

    @Test("a value EventLab cannot parse is the record's fault, not a rule's")
    func unreadableValue() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute([
            "topic create bank --retention forever",
            #"aggregate create acct --from bank --key $.a --init {"n":0}"#, "aggregate acct on M set n = state.n * $.v",
        ].joined(separator: "; ")))
        let warning = run(shell, output, #"publish bank key=x {"type":"M","a":"x","v":1e300}"#).filter { $0.hasPrefix("warning:") }
        #expect(warning == [
            "warning: aggregate acct could not fold bank p0 @0: the record's value is not JSON EventLab reads (invalid JSON at byte 24: the number does not fit in 64 bits (at most 9223372036854775807 without decimals)); that key's state stays as it was and acct goes on; its key, event type or value cannot be read, so no rule change fixes it",
        ])
    }

    @Test("topic alter warns an aggregate on the topic when its records start to go, as create does")
    func alterWarns() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute(#"topic create bank --retention forever; aggregate create acct --from bank --key $.a --init {"n":0}"#))
        let warnings = run(shell, output, "topic alter bank --retention 1h").filter { $0.hasPrefix("warning:") }
        #expect(warnings == [
            "warning: bank deletes records (cleanup.policy=delete, retention 1h): once they go, acct's history is incomplete and a rebuild gives other states, without an error; keep every event with `topic alter bank --retention forever`",
        ])
        #expect(run(shell, output, "topic alter bank --retention 2h").filter { $0.hasPrefix("warning:") }.isEmpty == false)
        #expect(run(shell, output, "topic alter bank --retention forever").filter { $0.hasPrefix("warning:") }.isEmpty)
    }

    @Test("in manual flow state, list and describe say what an aggregate has not read, and step says what it folded")
    func manualFlow() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(shell.execute([
            "flow manual", "topic create bank --retention forever",
            #"aggregate create acct --from bank --key $.a --init {"n":0}"#, "aggregate acct on E set n = state.n + 1",
            #"publish bank key=x {"type":"E","a":"x"}"#, #"publish bank key=x {"type":"E","a":"x"}"#,
        ].joined(separator: "; ")))
        let waiting = "aggregate acct has not read 2 records of bank yet: the flow is manual, so `step` folds them"
        #expect(fail(shell, output, "state acct x").hasSuffix("(it holds no key yet); " + waiting))
        #expect(run(shell, output, "aggregate list").last == waiting)
        #expect(run(shell, output, "aggregate describe acct").contains("  " + waiting))
        #expect(run(shell, output, "step") == ["aggregate acct folded 2 events of bank"])
        #expect(run(shell, output, "state acct x") == [#"{"n":2}"#, "version 2, its last event at bank p0 @1"])
    }

    @Test("help says a workspace reopened folds every aggregate again under its rules as they are")
    func reopenedHelp() throws {
        let test = try TestBroker(.memory)
        let (shell, output) = shell(test)
        #expect(run(shell, output, "help aggregate").joined(separator: " ").contains(
            "A workspace reopened folds every aggregate again under its rules as they are, from its snapshots made under the same rules"))
    }
}
