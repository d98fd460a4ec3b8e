import EventLabTestSupport
import Foundation
import Testing

@Suite("publish --repeat checks its limits first and streams")
struct PublishRepeatTests {
    @Test("a huge --repeat fails at once with the limit and publishes nothing", .timeLimit(.minutes(1)))
    func huge() throws {
        let data = temporaryDirectory()
        let started = Date()
        let result = try EventLabRun.run(["--data", data, "--keep-going"], input: "topic create t\npublish t --repeat 1000000000000 x{n}\nconsume t\n")
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.status == 1)
        #expect(result.stderr == "error at line 2: --repeat takes at most 10000000 records in one command, not 1000000000000: publish fewer, or in several commands\n")
        #expect(result.stdout.hasSuffix("0 records\n"))
        let beyondInt64 = try EventLabRun.run(["--memory"], input: "topic create t\npublish t --repeat 99999999999999999999 x\n")
        #expect(beyondInt64.stderr == "error at line 2: --repeat takes at most 10000000 records in one command, not 99999999999999999999: publish fewer, or in several commands\n")
    }

    @Test("a --repeat that would write more than 1GB in all is refused before anything is written")
    func tooManyBytes() throws {
        let value = String(repeating: "v", count: 200)
        let result = try EventLabRun.run(["--memory", "--keep-going"], input: "topic create t\npublish t --repeat 10000000 \(value){n}\nconsume t\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error at line 2: --repeat 10000000 of these 221-byte records would write 2210000000 bytes, and one command writes at most 1GB"))
        #expect(result.stdout.hasSuffix("0 records\n"))
    }

    @Test("a record over the topic's max.message.bytes is refused by name, and nothing is written")
    func recordTooLarge() throws {
        let value = String(repeating: "v", count: 200)
        let result = try EventLabRun.run(["--memory", "--keep-going"], input: "topic create tiny --max-message-bytes 100\npublish tiny --repeat 3 \(value)\nconsume tiny\n")
        #expect(result.status == 1)
        #expect(result.stderr.contains("error at line 2: one record is a 270-byte batch, over tiny's max.message.bytes of 100"))
        #expect(result.stdout.hasSuffix("0 records\n"))
    }

    @Test("records are appended in chunks that fit max.message.bytes, with one summary line per partition")
    func chunksFitTheTopic() throws {
        let value = String(repeating: "v", count: 100)
        let result = try EventLabRun.run(["--memory"], input: "topic create small --max-message-bytes 2KB\npublish small --repeat 5000 key=k{n} \(value){n}\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("small p0  5000 records  @0…@4999\n"))
    }

    @Test("a large allowed --repeat publishes every record", .timeLimit(.minutes(2)))
    func large() throws {
        let result = try EventLabRun.run(["--memory"], input: "topic create t --partitions 3\npublish t --repeat 300000 key=k{n} {\"n\":{n}}\ntopic describe t\n")
        #expect(result.status == 0, "\(result.stderr)")
        let counts = result.stdout.split(separator: "\n").filter { $0.hasPrefix("t p") }.compactMap { Int($0.split(separator: " ")[2]) }
        #expect(counts.count == 3 && counts.reduce(0, +) == 300_000)
    }
}
