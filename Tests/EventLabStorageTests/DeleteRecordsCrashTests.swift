import EventLabCore
import EventLabTestSupport
import Foundation
import Testing

@Suite("Deleting records across kills", .serialized)
struct DeleteRecordsCrashTests {
    @Test("a log start that DeleteRecords returned is there after a SIGKILL, and the records from it have no gap (24 kills)")
    func killedWhileDeletingRecords() throws {
        let directory = temporaryDirectory()
        var random = SplitMix(seed: 7)
        var returned: Int64 = 0
        for _ in 0..<24 {
            let child = try ChildProcess("eventlab-bench", ["probe", "delete-records", directory])
            _ = child.waitForLine(prefix: "deleted")
            usleep(UInt32(random.next() % 40_000))
            if let last = child.kill().last(where: { $0.hasPrefix("deleted ") }), let start = Int64(last.dropFirst("deleted ".count)) {
                returned = start
            }
            try withReopened(directory) { broker in
                let offsets = try broker.offsets("t", partition: 0)
                #expect(offsets.logStartOffset >= returned, "the log start went back from \(returned) to \(offsets.logStartOffset)")
                let records = try contents(broker)
                #expect(records.first.map { $0.0 == offsets.logStartOffset } ?? (offsets.logStartOffset == offsets.logEndOffset))
                #expect(records.enumerated().allSatisfy { $0.element.0 == offsets.logStartOffset + Int64($0.offset) && $0.element.1 == "record-\($0.element.0)" },
                        "the log has a gap, a duplicate or a damaged record")
                #expect(try broker.describeTopic("t").partitions[0].segments.dropFirst().allSatisfy { $0.baseOffset > offsets.logStartOffset },
                        "a segment wholly before the log start is left")
            }
        }
        #expect(returned > 24)
    }
}
