import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Bad input")
struct FuzzTests {
    static let seeds = [
        "topic create orders --partitions 3", "publish orders key=o-1 {\"a\":1}", "consume orders --group g --max 2",
        "group reset g --all-topics --to shift -1 --execute", "show orders", "show log orders 1", "topic alter orders --retention 1d",
        "explain key k orders", "clock advance 1h", "compaction run", "retention run orders", "publish orders --repeat 3 x{n}",
        "consume orders --from time 2024-01-01T00:00:00Z", "help publish", "group describe g", "topic delete orders",
        "consume orders --from -9223372036854775808", "group reset g --topic orders --to shift 9223372036854775807 --execute",
        "clock advance 9223372036854775807ms", "topic alter orders --retention 106751991167d7h12m55s807ms",
        // Toward the clock's last time (9999-12-31), past it, and past the longest duration.
        "clock advance 2912000d", "clock advance 52w", "clock advance 0ms", "clock advance 106751991167d7h12m55s808ms",
    ]
    static let pieces = ["--", "'", "\"", "{", "}", "[", "]", ";", "\\", "=", "-1", "99999999999999999999", "--max", "--from",
                         "offset", "time", "--topic", "--all-topics", "--reset", "orders:0,1", "é", "🎉", "\u{0}", "\t", "../", "key=", "--partition", "-", "0", " ", "orders", "g",
                         "9223372036854775807", "-9223372036854775808", "106751991167d", "2912000d", "\u{1B}[2J", "\n"]

    @Test("10,000 random and mutated command lines never crash; each failure is one clear error")
    func randomLines() throws {
        var random = SplitMix(seed: 2024)
        let clock = LogicalClock()
        let broker = try Broker(clock: clock, ids: SeededIdSource(seed: 0))
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: clock, output: output)
        var clockOutcomes = ClockOutcomes()
        for round in 0..<10_000 {
            var words = Self.seeds[Int(random.next() % UInt64(Self.seeds.count))].split(separator: " ").map(String.init)
            for _ in 0..<Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(words.count + 1))
                switch random.next() % 3 {
                case 0: words.insert(Self.pieces[Int(random.next() % UInt64(Self.pieces.count))], at: position)
                case 1: if !words.isEmpty { words.remove(at: min(position, words.count - 1)) }
                default:
                    if !words.isEmpty {
                        let index = min(position, words.count - 1)
                        var characters = Array(words[index])
                        if !characters.isEmpty { characters[Int(random.next() % UInt64(characters.count))] = Self.pieces[Int(random.next() % UInt64(Self.pieces.count))].first ?? Character("x") }
                        words[index] = String(characters)
                    }
                }
            }
            output.clear()
            let line = words.joined(separator: random.next() % 5 == 0 ? "" : " ")
            let succeeded = shell.execute(line)
            if !succeeded {
                #expect(output.errors.count == 1, "round \(round): `\(line)` printed \(output.errors)")
                #expect(output.errors.first?.hasPrefix("error: ") == true)
                #expect((output.errors.first?.count ?? 0) > "error: ".count + 10)
            }
            clockOutcomes.count(line, succeeded: succeeded, error: output.errors.first)
        }
        // The clock's arithmetic is only fuzzed if the fuzzer moved it, ran into its last time,
        // and gave it a duration past Int64.
        #expect(clockOutcomes.moved > 10, "\(clockOutcomes)")
        #expect(clockOutcomes.pastLatest > 10, "\(clockOutcomes)")
        #expect(clockOutcomes.tooLong > 10, "\(clockOutcomes)")
        #expect(clock.now() > LogicalClock.latest - 1000 * 86_400_000, "the clock never came near its last time: \(clockOutcomes)")
    }

    /// How the fuzzed `clock advance` lines ended.
    struct ClockOutcomes: CustomStringConvertible {
        var moved = 0
        var pastLatest = 0
        var tooLong = 0
        var other = 0

        mutating func count(_ line: String, succeeded: Bool, error: String?) {
            guard line.split(whereSeparator: \.isWhitespace).prefix(2) == ["clock", "advance"], !line.contains(";") else { return }
            if succeeded {
                moved += 1
            } else if error?.contains("the latest time the logical clock reads") == true {
                pastLatest += 1
            } else if error?.contains("longer than the longest duration") == true {
                tooLong += 1
            } else {
                other += 1
            }
        }

        var description: String {
            "clock advance moved the clock \(moved) times, stopped at its latest time \(pastLatest), refused a duration past Int64 \(tooLong), failed otherwise \(other)"
        }
    }

    @Test("a failed command changes nothing")
    func failedCommandsChangeNothing() throws {
        let broker = try Broker()
        let shell = Shell(broker: broker, logicalClock: nil, output: CapturedOutput())
        shell.execute("topic create orders --partitions 2; publish orders key=a 1")
        let before = (broker.topics(), broker.groups().map(\.groupId))
        for bad in ["publish orders key=b {bad", "publish orders x --partition 7", "topic alter orders --partitions 1",
                    "topic create orders", "group reset g --all-topics --to earliest --execute", "group reset g --topic orders:0 --to shift -1 --execute", "publish orders key=c {\"x\": nope}",
                    "topic create bad/name", "consume orders --group g --from middle", "topic alter orders --retention never"] {
            #expect(!shell.execute(bad), "`\(bad)` succeeded")
            #expect(broker.topics() == before.0, "`\(bad)` changed the topics")
            #expect(broker.groups().map(\.groupId) == before.1, "`\(bad)` changed the groups")
        }
    }
}
