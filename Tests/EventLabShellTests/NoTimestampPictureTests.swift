import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Pictures of records with no timestamp")
struct NoTimestampPictureTests {
    @Test("records of magic 0 (timestamp -1) show no time, and consume --from a time never starts at them", arguments: Backend.allCases)
    func noTime(backend: Backend) throws {
        let test = try TestBroker(backend)
        let output = CapturedOutput()
        let shell = Shell(broker: test.broker, logicalClock: test.clock, output: output)
        #expect(shell.execute("topic create t --config message.timestamp.type=CreateTime"))
        try test.broker.storeDirectly("t", [(key: "a", value: "old", timestamp: -1)])
        try test.broker.storeDirectly("t", [(key: "b", value: "new", timestamp: 5)])
        try test.broker.storeDirectly("t", [(key: "c", value: "old", timestamp: -1)])
        for command in ["consume t", "show log t", "consume t --from time 1970-01-01T00:00:00Z"] {
            #expect(shell.execute(command), "\(command): \(output.text)")
        }
        #expect(output.lines.contains("p0 @0  a  old  no time"))
        #expect(!output.text.contains("1969-12-31"))
        #expect(output.text.hasSuffix("p0 @1  b  new  1970-01-01T00:00:00.005Z\np0 @2  c  old  no time\n2 records\n"))
    }
}
