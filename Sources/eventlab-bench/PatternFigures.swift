import EventLabCore
import EventLabPatterns

/// Figures of the pattern engine's building blocks.
struct PatternFigures {
    let workload: Workload
    let runs: Int

    var all: [(name: String, measure: () throws -> Figure)] {
        [
            ("expression_eval_eps", {
                // A reaction's work per event: one condition and one emitted template, over
                // about 100 B of JSON, in memory.
                let condition = try Expression(#"$.type == "OrderPlaced" and $.total > 100"#)
                let template = try Expression(#"{"type":"PaymentRequested","order":$.id,"amount":$.total}"#)
                let events = (0..<workload.records).map { index in
                    Record(offset: Int64(index), timestamp: 0, key: nil, value: orderEvent(index))
                }
                var emitted = 0
                let seconds = try medianSeconds(runs: runs) {
                    emitted = 0
                    for event in events where try condition.test(event) {
                        emitted += try template.render(event).count
                    }
                }
                guard emitted > 0 else { throw BenchError("no event passed the condition") }
                return Figure(name: "expression_eval_eps", value: Double(events.count) / seconds, unit: "events/s")
            }),
        ]
    }

    /// An order event of about 100 bytes; every other one passes `$.total > 100`.
    private func orderEvent(_ index: Int) -> [UInt8] {
        let total = index % 2 == 0 ? "150.25" : "42.5"
        return Array(#"{"type":"OrderPlaced","id":"o-\#(index)","customer":"c-\#(index % 1000)","total":\#(total),"currency":"EUR"}"#.utf8)
    }
}
