import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Pictures of records with extreme timestamps")
struct ExtremeTimestampPictureTests {
    @Test("consume, show and show log draw records stamped −2^63 and 2^63−1 and clock advance stops at the latest time", arguments: Backend.allCases)
    func drawn(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output)
        #expect(shell.execute("topic create t --segment-age 1d"))
        try test.broker.storeDirectly("t", [(key: "a", value: "min", timestamp: .min)])
        #expect(shell.execute("publish t key=c rolls"))
        try test.broker.storeDirectly("t", [(key: "b", value: "max", timestamp: .max)])
        for command in ["consume t", "show t", "show log t", "retention run t", "consume t --from time -9223372036854775808", "consume t --from time 9223372036854775807"] {
            #expect(shell.execute(command), "\(command): \(output.text)")
        }
        #expect(output.lines.contains("p0 @0  a  min  -292275055-05-16T16:47:04.192Z"))
        #expect(output.lines.contains("p0 @2  b  max  292278994-08-17T07:12:55.807Z"))
        #expect(output.text.contains("-292275055-05-16T16:47:04.192Z  closed"))
        #expect(output.text.contains("292278994-08-17T07:12:55.807Z   active (never compacted)"))
        #expect(output.lines.contains("t p0: deleted 1 segment (1 record); log now starts at 1"))
        #expect(output.text.hasSuffix("p0 @2  b  max  292278994-08-17T07:12:55.807Z\n1 record\n"))
        output.clear()
        #expect(!shell.execute("clock advance 9223372036854775807ms"))
        #expect(output.errors == ["error: clock advance 9223372036854775807ms would pass 9999-12-31T23:59:59.999Z, the latest time the logical clock reads: from 2024-01-01T00:00:00Z it can move at most 2913173d23h59m59s999ms (251698233599999 ms)"])
        #expect(test.clock.now() == LogicalClock.start)
    }
}
