import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("topic delete-records, group delete, group delete-offsets")
struct DeleteCommandsTests {
    /// A shell over `test`'s broker, whose output `output` captures.
    func shell(_ test: TestBroker, _ output: CapturedOutput) -> Shell {
        Shell(broker: test.broker, logicalClock: nil, output: output)
    }

    /// Runs `body` on a shell over `test`'s broker, which is let go afterwards, so the test can
    /// reopen the workspace as a new process would.
    func session(_ test: TestBroker, _ output: CapturedOutput, _ body: (Shell) throws -> Void) rethrows {
        try body(shell(test, output))
    }

    /// What the shell printed, line by line (a table is written as one piece).
    func printed(_ output: CapturedOutput) -> [String] {
        output.text.split(separator: "\n").map(String.init)
    }

    /// The row of `topic describe orders` for partition `index`, its words.
    func describedRow(_ shell: Shell, _ output: CapturedOutput, partition index: Int) -> [String] {
        output.clear()
        #expect(shell.execute("topic describe orders"), "\(output.lines)")
        let lines = printed(output)
        let header = lines.firstIndex { $0.hasPrefix("PARTITION") } ?? 0
        return lines[header + 1 + index].split(separator: " ").map(String.init)
    }

    @Test("topic describe shows the log start delete-records moved, also after a restart", arguments: Backend.allCases)
    func deleteRecordsShows(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        try session(test, output) { shell in
            for command in ["topic create orders --partitions 2", "publish orders --partition 0 --repeat 5 v{n}"] {
                #expect(shell.execute(command), "\(output.lines)")
            }
            output.clear()
            #expect(shell.execute("topic delete-records orders --partition 0 --before 3"), "\(output.lines)")
            #expect(printed(output) == [
                "PARTITION  DELETED  LOG-START  LOG-END", "0          0…2      3          5",
                "records before the log start can no longer be read; a consumer positioned before it starts by its auto.offset.reset",
            ])
            #expect(describedRow(shell, output, partition: 0).prefix(3) == ["0", "3", "5"])
        }
        try test.reopen(clean: false)
        try session(test, output) { shell in
            #expect(describedRow(shell, output, partition: 0).prefix(3) == ["0", "3", "5"])
            output.clear()
            #expect(!shell.execute("topic delete-records orders --partition 0 --before 6"))
            #expect(output.errors == ["error: --before 6 is past the high watermark of orders partition 0, 5: records can be deleted only up to it (--before end) [OFFSET_OUT_OF_RANGE]"])
        }
    }

    @Test("without --partition every partition is checked first: one past its high watermark changes none", arguments: Backend.allCases)
    func deleteRecordsAllOrNothing(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        let shell = shell(test, output)
        for command in ["topic create orders --partitions 2", "publish orders --partition 0 --repeat 5 v{n}", "publish orders --partition 1 --repeat 2 w{n}"] {
            #expect(shell.execute(command), "\(output.lines)")
        }
        #expect(!shell.execute("topic delete-records orders --before 3"))
        #expect(try test.broker.describeTopic("orders").partitions.map(\.logStartOffset) == [0, 0])
        #expect(shell.execute("topic delete-records orders --before end"), "\(output.lines)")
        #expect(try test.broker.describeTopic("orders").partitions.map(\.logStartOffset) == [5, 2])
    }

    @Test("a deleted group is gone from group list, also after a restart", arguments: Backend.allCases)
    func groupDeleteShows(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        try session(test, output) { shell in
            for command in ["topic create orders", "publish orders a", "consume orders --group billing", "consume orders --group audit"] {
                #expect(shell.execute(command), "\(output.lines)")
            }
            output.clear()
            #expect(shell.execute("group delete billing"), "\(output.lines)")
            #expect(output.lines == ["deleted group billing and its committed offsets on orders p0"])
        }
        try test.reopen(clean: false)
        try session(test, output) { shell in
            output.clear()
            #expect(shell.execute("group list"))
            #expect(printed(output).map { $0.split(separator: " ").first.map(String.init) ?? "" } == ["GROUP", "audit"])
        }
    }

    @Test("group delete-offsets forgets the offsets on the topic only; the group's next consume starts by auto.offset.reset", arguments: Backend.allCases)
    func deleteOffsets(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        let shell = shell(test, output)
        for command in ["topic create orders --partitions 2", "topic create other", "publish orders --partition 0 a", "publish other b",
                        "consume orders --group billing", "consume other --group billing"] {
            #expect(shell.execute(command), "\(output.lines)")
        }
        output.clear()
        #expect(shell.execute("group delete-offsets billing --topic orders:0"), "\(output.lines)")
        #expect(printed(output) == [
            "TOPIC   PARTITION  STATUS", "orders  0          deleted",
            "the group's next read of that partition starts by its auto.offset.reset",
        ])
        #expect(test.broker.committedOffsets(groupId: "billing").keys.sorted() == [TopicPartition("orders", 1), TopicPartition("other", 0)])
        output.clear()
        #expect(shell.execute("consume orders --group billing --reset latest"), "\(output.lines)")
        #expect(output.lines.first == "billing has no committed offset on orders p0: auto.offset.reset=latest starts at 1")
    }

    @Test("Tab completes the new commands, their groups, topics and partitions")
    func completion() throws {
        let broker = try Broker()
        try broker.createTopic("orders", partitions: 2)
        _ = broker.commitOffsets(groupId: "billing", offsets: [TopicPartition("orders", 0): CommittedOffset(offset: 0)])
        let completer = Completer(broker: broker)
        #expect(completer.complete("topic delete-r").candidates == ["delete-records"])
        #expect(completer.complete("topic delete-records or").candidates == ["orders"])
        #expect(completer.complete("topic delete-records orders --partition ").candidates == ["0", "1"])
        #expect(completer.complete("topic delete-records orders --before ").candidates == ["end"])
        #expect(completer.complete("group delete-o").candidates == ["delete-offsets"])
        #expect(completer.complete("group delete b").candidates == ["billing"])
        #expect(completer.complete("group delete-offsets billing --topic o").candidates == ["orders"])
    }
}
