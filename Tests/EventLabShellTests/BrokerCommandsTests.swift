import EventLabCore
import EventLabShell
import Testing

/// The cluster's commands on one broker: everything as before, and clear words for what a
/// single broker cannot do.
@Suite("Broker commands and replication words on one broker")
struct BrokerCommandsOneBrokerTests {
    @Test("a broker id that is not the cluster's is refused with the ids there are; the only broker cannot start, being up")
    func unknownIds() throws {
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output)
        #expect(!shell.execute("broker kill 2"))
        #expect(!shell.execute("broker pause x"))
        #expect(!shell.execute("broker start 1"))
        #expect(!shell.execute("broker resume 1"))
        #expect(output.errors == [
            "error: broker kill needs the id of one of the cluster's brokers (1), not '2'; `broker add` adds one",
            "error: broker pause needs the id of one of the cluster's brokers (1), not 'x'; `broker add` adds one",
            "error: broker 1 is already up; `broker stop 1` or `broker kill 1` takes it down",
            "error: broker 1 is running, not paused; only a paused broker resumes (`broker pause 1` pauses it)",
        ])
    }

    @Test("publish, topic create and step print what they printed before the cluster: no replicas, no acks")
    func singleBrokerWords() throws {
        let output = CapturedOutput()
        let shell = Shell(broker: try Broker(), logicalClock: nil, output: output)
        #expect(shell.execute("topic create t --replication-factor 1; publish t --acks 1 a; publish t --acks 0 b; publish t c"))
        #expect(output.lines == [
            "created topic t with 1 partition · cleanup delete · retention 7d",
            "t p0 @0  (the only partition)",
            "t p0 @1  (the only partition)",
            "t p0 @2  (the only partition)",
        ])
        #expect(!shell.execute("step"))
        #expect(!shell.execute("flow manual; step"))
        #expect(!shell.execute("publish t --acks 2 d"))
        #expect(output.errors == [
            "error: services already read after every command: say `flow manual` first, then `step`",
            "error: there are no services, tables, aggregates or projections to step: create one with `service create NAME --from TOPIC`, `projection create NAME --from TOPIC` or `table create NAME --from TOPIC`",
            "error: --acks takes 0, 1 or all (-1 is all too), not '2'",
        ])
    }

    @Test("a transcript header may say how many brokers its cluster starts with, and a recording of a cluster says it")
    func brokersHeader() throws {
        let transcript = try TranscriptParser.parse("% brokers 3\neventlab> topic list\nno topics yet\n")
        #expect(transcript.settings.brokers == 3)
        #expect(TranscriptWriter.header(transcript.settings).contains("% brokers 3"))
        #expect(!TranscriptWriter.header(TranscriptSettings()).contains { $0.hasPrefix("% brokers") })
        #expect(throws: TranscriptError.self) { try TranscriptParser.parse("% brokers 0\n") }
    }
}
