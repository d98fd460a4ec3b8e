import EventLabCore
import EventLabShell
import EventLabTestSupport
import Testing

@Suite("Bad service and flow definitions")
struct FlowCommandFuzzTests {
    static let seeds = [
        "service create billing --from orders", "service create audit --from orders,payments --dead-letter dlq --commit before",
        "service create typed --from orders --type-header ce_type",
        #"service billing on OrderPlaced emit payments {"type":"PaymentRequested","order":$.id,"amount":$.total * 2} key=$.id"#,
        #"service billing on OrderPlaced when $.total > 100 and not $.flag emit payments {"a":[$.items[0].sku, length($.id)]} --header h=$.id"#,
        #"service audit on OrderPlaced emit dlq {"to":call customers.address($.customer)}"#,
        #"service customers answers address(id) = "1 Main St, " + upper(id)"#,
        "service billing replace 1 on OrderPlaced emit payments $", "service billing remove 1", "service customers remove address",
        "service stop billing", "service start billing", "service skip billing --to dlq", "service describe billing",
        "service delete audit", "service list", "flow manual", "step 3", "flow auto", "flow export",
        #"publish orders {"type":"OrderPlaced","id":"o-1","total":2.5,"customer":"c-1","items":[{"sku":"a"}]}"#,
        #"publish orders {"type":"OrderPlaced","id":"o-2","total":"lots"}"#, "publish orders not-json",
    ]
    static let pieces = ["--", "'", "\"", "{", "}", "[", "]", ";", "\\", "=", "$", "$.", "-1", "99999999999999999999", "on", "emit",
                         "when", "key=", "--header", "call", "answers", "(", ")", "+", "*", "/ 0", "é", "🎉", "\u{0}", "\t",
                         "orders", "payments", "billing", "9223372036854775807", "\n", "--from", "--dead-letter", "replace", "remove"]

    @Test("10,000 random and mutated service and flow commands never crash; each failure is one clear error")
    func randomDefinitions() throws {
        var random = SplitMix(seed: 15)
        let clock = LogicalClock()
        let broker = try Broker(clock: clock, ids: SeededIdSource(seed: 0))
        for topic in ["orders", "payments", "dlq", "customers"] { try broker.createTopic(topic, partitions: 2) }
        let output = CapturedOutput()
        let shell = Shell(broker: broker, logicalClock: clock, output: output)
        var succeeded = 0
        for round in 0..<10_000 {
            var line = Self.seeds[Int(random.next() % UInt64(Self.seeds.count))]
            var scalars = Array(line.unicodeScalars)
            for _ in 0..<Int(random.next() % 4) {
                let position = Int(random.next() % UInt64(scalars.count + 1))
                let piece = Array(Self.pieces[Int(random.next() % UInt64(Self.pieces.count))].unicodeScalars)
                switch random.next() % 3 {
                case 0: scalars.insert(contentsOf: piece, at: position)
                case 1: if position < scalars.count { scalars.removeSubrange(position..<min(scalars.count, position + Int(random.next() % 6) + 1)) }
                default: if position < scalars.count { scalars.replaceSubrange(position...position, with: piece) }
                }
            }
            line = String(String.UnicodeScalarView(scalars))
            output.clear()
            if shell.execute(line) {
                succeeded += 1
                continue
            }
            // Services that stop on what they read warn too; the command's own failure is one error.
            let errors = output.errors.filter { $0.hasPrefix("error") }
            #expect(errors.count == 1, "round \(round): `\(line)` printed \(output.errors)")
            #expect((errors.first?.count ?? 0) > "error: ".count + 10, "round \(round): `\(line)` printed \(output.errors)")
        }
        #expect(succeeded > 1_000, "too few lines ran for the flows to be exercised: \(succeeded)")
    }
}
