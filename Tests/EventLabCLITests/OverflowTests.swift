import EventLabTestSupport
import Foundation
import Testing

@Suite("Times, offsets and durations at the ends of Int64")
struct OverflowTests {
    /// Runs `command` after a topic with one record and a group on it, then checks it failed
    /// with `message` and that the workspace still reads as before.
    func refused(_ command: String, _ message: String) throws {
        let data = temporaryDirectory()
        let setup = try EventLabRun.run(["--data", data, "--clock", "logical", "-c", "topic create t; publish t x; consume t --group g"])
        #expect(setup.status == 0)
        let result = try EventLabRun.run(["--data", data, "--clock", "logical", "-c", command])
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 1: \(message)\n")
        let after = try EventLabRun.run(["--data", data, "--clock", "logical", "-c", "clock; topic describe t; group describe g; consume t"])
        #expect(after.stdout.contains("2024-01-01T00:00:00Z  (logical clock"))
        #expect(after.stdout.contains("retention 7d"))
        #expect(after.stdout.contains("g      t      0          1               1               0"))
        #expect(after.stdout.contains("p0 @0  -  x  2024-01-01T00:00:00Z"))
    }

    @Test("clock advance past the latest time names the most it can move")
    func clockAdvance() throws {
        try refused("clock advance 9223372036854775807ms", "clock advance 9223372036854775807ms would pass 9999-12-31T23:59:59.999Z, the latest time the logical clock reads: from 2024-01-01T00:00:00Z it can move at most 2913173d23h59m59s999ms (251698233599999 ms)")
        try refused("clock advance 99999999999999999999d", "clock advance 99999999999999999999d is longer than the longest duration, 106751991167d7h12m55s807ms (9223372036854775807 ms): give a shorter one")
    }

    @Test("consume --from -N, offset N and time T at the ends of Int64")
    func consumeFrom() throws {
        try refused("consume t --from -9223372036854775808", "N in --from -N takes at most 9223372036854775807, not 9223372036854775808")
        try refused("consume t --from offset 9223372036854775808", "--from offset takes at most 9223372036854775807, not 9223372036854775808")
        let result = try EventLabRun.run(["--memory", "--clock", "logical", "-c", "topic create t; publish t x; consume t --from -9223372036854775807; consume t --from offset 9223372036854775807; consume t --from time 9223372036854775807; consume t --from time -9223372036854775808"])
        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix("""
            1 record
            offset 9223372036854775807 on t p0 is past the log end 1: auto.offset.reset=earliest starts at 0
            p0 @0  -  x  2024-01-01T00:00:00Z
            1 record
            0 records
            p0 @0  -  x  2024-01-01T00:00:00Z
            1 record

            """))
    }

    @Test("group reset --to shift and offset at the ends of Int64")
    func groupReset() throws {
        try refused("group reset g --to shift -9223372036854775809 --execute", "--to shift takes at least -9223372036854775808, not -9223372036854775809")
        try refused("group reset g --to offset 9223372036854775808 --execute", "--to offset takes at most 9223372036854775807, not 9223372036854775808")
        let result = try EventLabRun.run(["--memory", "-c", "topic create t; publish t x; consume t --group g; group reset g --all-topics --to shift 9223372036854775807; group reset g --topic t --to shift -9223372036854775808"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("g      t      0          1               1"))
        #expect(result.stdout.contains("g      t      0          1               0"))
    }

    @Test("a duration longer than Int64 milliseconds names the longest, and the longest works")
    func durations() throws {
        try refused("topic alter t --retention 99999999999d99999999999d", "--retention 99999999999d99999999999d is longer than the longest duration, 106751991167d7h12m55s807ms (9223372036854775807 ms): give a shorter one")
        try refused("topic alter t --segment-age 9999999999999999999ms", "--segment-age 9999999999999999999ms is longer than the longest duration, 106751991167d7h12m55s807ms (9223372036854775807 ms): give a shorter one")
        let result = try EventLabRun.run(["--memory", "--clock", "logical", "-c", "topic create t --retention 106751991167d7h12m55s807ms --segment-age 106751991167d7h12m55s807ms; publish t x; show log t; retention run t; show t"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("retention 106751991167d7h12m55s807ms: segments (the active one too) whose newest record is before -292275001-05-16T16:47:04.193Z go"))
    }

    @Test("a workspace clock file beyond the latest time is refused, naming the range, and left as it was")
    func clockFile() throws {
        let data = temporaryDirectory()
        #expect(try EventLabRun.run(["--data", data, "--clock", "logical", "-c", "topic create t"]).status == 0)
        try "9223372036854775000\n".write(toFile: data + "/clock", atomically: true, encoding: .utf8)
        let result = try EventLabRun.run(["--data", data, "--clock", "logical", "-c", "publish t x"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(data)/clock holds \"9223372036854775000\", not milliseconds from 0 (1970-01-01T00:00:00Z) to 253402300799999 (9999-12-31T23:59:59.999Z): write such a time, or delete the file to start the logical clock at 2024-01-01T00:00:00Z\n")
        #expect(try String(contentsOfFile: data + "/clock", encoding: .utf8) == "9223372036854775000\n")
        let system = try EventLabRun.run(["--data", data, "-c", "consume t"])
        #expect(system.status == 0)
        #expect(system.stdout == "0 records\n")
    }
}
