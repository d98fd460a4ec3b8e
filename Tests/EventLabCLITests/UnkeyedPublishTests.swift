import EventLabTestSupport
import Foundation
import Testing

@Suite("publish without a key says which partitioner placed the record")
struct UnkeyedPublishTests {
    @Test("single sends stick to one partition until batch.size, say so, and print the same every run")
    func stickyAcrossSends() throws {
        let value = String(repeating: "v", count: 1000)
        let input = "topic create t --partitions 2\n" + String(repeating: "publish t \(value)\n", count: 17)
        let result = try EventLabRun.run(["--memory"], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").dropFirst().map(String.init)
        #expect(lines.count == 17)
        let first = try #require(lines.first?.split(separator: " ")[1])
        // A send is one 1070-byte batch: the 16th brings the partition to 17120 ≥ 16384 bytes.
        for (index, line) in lines.prefix(15).enumerated() {
            #expect(line == "t \(first) @\(index)  (no key: sticky partitioner, \((index + 1) * 1070) of batch.size 16384 bytes on \(first))")
        }
        let moved = try #require(lines[15].split(separator: "(").last)
        #expect(lines[15].hasPrefix("t \(first) @15  "))
        #expect(moved.hasPrefix("no key: sticky partitioner; \(first) reached batch.size 16384 bytes, so the next unkeyed record goes to p"))
        let next = try #require(moved.split(separator: "goes to ").last?.split(separator: ",").first)
        #expect(lines[16].hasPrefix("t \(next) @"))
        #expect(try EventLabRun.run(["--memory"], input: input).stdout == result.stdout)
    }

    @Test("--partitioner round-robin takes the partitions in turn and says so")
    func roundRobin() throws {
        let result = try EventLabRun.run(["--memory"], input: "topic create t --partitions 3\n" + String(repeating: "publish t --partitioner round-robin x\n", count: 4))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").dropFirst() == [
            "t p0 @0  (no key: round-robin, partitions in turn)", "t p1 @0  (no key: round-robin, partitions in turn)",
            "t p2 @0  (no key: round-robin, partitions in turn)", "t p0 @1  (no key: round-robin, partitions in turn)",
        ])
    }
}
